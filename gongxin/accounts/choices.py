from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    SYSADMIN = "sysadmin", "系统管理员"
    SECADMIN = "secadmin", "安全管理员"
    AUDITADMIN = "auditadmin", "审计管理员"
    SUPERVISOR = "supervisor", "督查人员"
    LEADER = "leader", "分管领导"
    REPORTER = "reporter", "责任单位填报人"
    ANALYST = "analyst", "统计分析人员"
    ENTERPRISE = "enterprise", "企业用户"


# 三员分立: the three administrators, none of whom does business work.
ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN})
BUSINESS_ROLES = frozenset(set(Role) - ADMIN_ROLES)
# Bureau staff: business roles that are not enterprises.
STAFF_ROLES = BUSINESS_ROLES - {Role.ENTERPRISE}


class UnitKind(models.TextChoices):
    BUREAU = "bureau", "局机关"
    BUREAU_DEPT = "bureau_dept", "局内科室"
    DEPARTMENT = "department", "区直部门"
    TOWN = "town", "镇街"
    ZONE = "zone", "功能区"
    OTHER = "other", "其他"
