"""The left navigation, grouped by capability. Apps register their entries in ready()."""

from __future__ import annotations

from dataclasses import dataclass, field

from gongxin.accounts.choices import ADMIN_ROLES, BUSINESS_ROLES, Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]


@dataclass
class NavSection:
    label: str
    icon: str
    items: list[NavItem] = field(default_factory=list)


SECTIONS: list[NavSection] = []


def register(section_label: str, icon: str, label: str, url_name: str, roles) -> None:
    section = next((s for s in SECTIONS if s.label == section_label), None)
    if section is None:
        section = NavSection(section_label, icon)
        SECTIONS.append(section)
    if not any(item.url_name == url_name for item in section.items):
        section.items.append(NavItem(label, url_name, frozenset(roles)))


def for_user(user) -> list[NavSection]:
    role = getattr(user, "role", None)
    visible = []
    for section in SECTIONS:
        items = [item for item in section.items if role in item.roles]
        if items:
            visible.append(NavSection(section.label, section.icon, items))
    return visible


ALL_ROLES = frozenset(Role)
register("工作台", "home", "首页", "core:home", ALL_ROLES)
register("工作台", "home", "后台任务", "core:job_list", ALL_ROLES)
register(
    "督查督办",
    "tasks",
    "督办计划",
    "supervision:plan_list",
    {Role.SUPERVISOR, Role.LEADER, Role.REPORTER},
)
register(
    "企业库",
    "building",
    "企业名录",
    "enterprises:list",
    {Role.ANALYST, Role.SUPERVISOR, Role.LEADER},
)
register(
    "运行监测",
    "chart",
    "运行监测",
    "monitoring:dashboard",
    {Role.ANALYST, Role.LEADER, Role.SUPERVISOR},
)
register("企业库", "building", "本企业信息", "enterprises:mine", {Role.ENTERPRISE})
register("系统管理", "settings", "用户管理", "accounts:user_list", {Role.SYSADMIN})
register("系统管理", "settings", "单位管理", "accounts:unit_list", {Role.SYSADMIN})
register("系统管理", "settings", "分管领导", "accounts:leader_list", {Role.SYSADMIN})
register("系统管理", "settings", "接口令牌", "accounts:token_list", {Role.SYSADMIN})
register("安全管理", "shield", "登录锁定", "accounts:lockout_list", {Role.SECADMIN, Role.SYSADMIN})
register("安全管理", "shield", "安全策略", "accounts:security_settings", {Role.SECADMIN})
register("审计", "audit", "审计日志", "core:audit_list", {Role.AUDITADMIN})
register("审计", "audit", "审计链校验", "core:audit_verify", {Role.AUDITADMIN})
register("数据接口", "api", "接口文档", "api-docs", BUSINESS_ROLES | {Role.SYSADMIN})

__all__ = ["ADMIN_ROLES", "SECTIONS", "for_user", "register"]
