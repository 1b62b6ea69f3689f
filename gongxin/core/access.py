"""Who may open which page: role checks used by views and the API.

Data scope (which rows) is decided by each model's `restrict(user, action)`; this module
only decides which roles reach a page at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from gongxin.accounts.choices import BUSINESS_ROLES, STAFF_ROLES, Role


def has_role(user, roles: Iterable[str]) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in set(roles))


def is_audit_admin(user) -> bool:
    return has_role(user, {Role.AUDITADMIN})


def is_business_user(user) -> bool:
    return has_role(user, BUSINESS_ROLES)


def is_staff_user(user) -> bool:
    return has_role(user, STAFF_ROLES)


def roles_required(*roles: str):
    """View decorator: anonymous users go to the login page, other roles get 403."""
    allowed = frozenset(roles)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, allowed):
                raise PermissionDenied("您的角色无权访问此页面。")
            return view(request, *args, **kwargs)

        wrapper.allowed_roles = allowed  # read by the navigation and the permission tests
        return wrapper

    return decorator


def login_required(view):
    """Any signed-in user, administrators included."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


business_required = roles_required(*BUSINESS_ROLES)
staff_required = roles_required(*STAFF_ROLES)


def active_role(user) -> str | None:
    """The role of a signed-in, active user; None for anyone else."""
    return getattr(user, "role", None) if user.is_authenticated and user.is_active else None


def scoped(queryset, scope):
    """A queryset limited by a scope rule: True = all, False = none, or a Q to filter by.
    The querysets' restrict() methods compute the rule per role and apply it here."""
    if scope is True:
        return queryset
    if scope is False:
        return queryset.none()
    return queryset.filter(scope)
