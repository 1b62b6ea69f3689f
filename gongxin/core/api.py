"""API access rules shared by every app's endpoints: the same roles and `restrict` scopes
as the pages. Session auth for the browser, token auth for integrations."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from gongxin.accounts.choices import Role
from gongxin.core.access import has_role, is_business_user

API_DOC_ROLES = frozenset({*(r for r in Role if r not in (Role.SECADMIN, Role.AUDITADMIN))})


class IsBusinessUser(BasePermission):
    """Business roles only: the three administrators have no business data access."""

    message = "仅业务角色可以访问数据接口。"

    def has_permission(self, request, view) -> bool:
        return is_business_user(request.user)


def schema_access(view):
    """The OpenAPI schema and its docs page: business users and the system administrator."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not has_role(request.user, API_DOC_ROLES):
            raise PermissionDenied("您的角色无权查看接口文档。")
        return view(request, *args, **kwargs)

    return wrapper
