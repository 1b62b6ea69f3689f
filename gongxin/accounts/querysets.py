"""Reads and data scope for accounts: who sees which users, units and leaders."""

from __future__ import annotations

from django.db import models

from gongxin.accounts.choices import BUSINESS_ROLES, Role


def _role(user) -> str | None:
    return getattr(user, "role", None) if user.is_authenticated and user.is_active else None


class UserQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def restrict(self, user, action: str = "view"):
        role = _role(user)
        if role == Role.SYSADMIN:
            return self
        if role == Role.SECADMIN and action in ("view", "unlock"):
            return self
        if role is not None and action == "view":
            return self.filter(pk=user.pk)
        return self.none()


class UnitQuerySet(models.QuerySet):
    """Units and aliases are not confidential: every business user and the system
    administrator reads them; only the system administrator changes them."""

    def active(self):
        return self.filter(is_active=True)

    def restrict(self, user, action: str = "view"):
        role = _role(user)
        if role == Role.SYSADMIN:
            return self
        if role in BUSINESS_ROLES and action == "view":
            return self
        return self.none()


class LeaderQuerySet(UnitQuerySet):
    pass
