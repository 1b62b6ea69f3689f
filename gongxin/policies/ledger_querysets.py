"""Data scope of the 兑现 ledger: who reads and who changes grants, payments and batches.

- The analyst decides and documents: proposes and approves 免申即享 batches, enters grants
  of apply-mode clauses, records payments ("manage").
- The supervisor and the leader read the whole ledger and its totals ("view").
- An enterprise user reads only its own grants and payments, never a batch (a batch lists
  other enterprises).
- Reporters and the three administrators see nothing.

The models do not carry these querysets as managers (models.py is shared): use
`grants(user, action)`, `payments(user, action)` and `batches(user, action)`, or
`GrantQuerySet(model=Grant).restrict(...)`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from gongxin.accounts.choices import Role
from gongxin.core.access import active_role, scoped
from gongxin.policies.models import Grant, GrantBatch, Payment

MANAGE_ROLES = frozenset({Role.ANALYST})
READ_ALL_ROLES = frozenset({Role.ANALYST, Role.SUPERVISOR, Role.LEADER})


def scope(user, action: str = "view", prefix: str = "") -> Q | bool:
    """True = every row, False = none, or the Q that limits rows reached via `prefix`
    (e.g. "grant__") to the user's own enterprise."""
    role = active_role(user)
    if action == "manage":
        return role in MANAGE_ROLES
    if action != "view":
        return False
    if role in READ_ALL_ROLES:
        return True
    if role == Role.ENTERPRISE and user.uscc:
        return Q(**{f"{prefix}enterprise__uscc": user.uscc})
    return False


class GrantQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        return scoped(self, scope(user, action))

    def in_year(self, year: int | None):
        return self if year is None else self.filter(year=year)


class PaymentQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        return scoped(self, scope(user, action, prefix="grant__"))


class GrantBatchQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        rule = scope(user, action)
        return self if rule is True else self.none()  # never to an enterprise

    def drafts(self):
        return self.filter(status=GrantBatch.Status.DRAFT)


def grants(user, action: str = "view") -> GrantQuerySet:
    return GrantQuerySet(model=Grant).restrict(user, action)


def payments(user, action: str = "view") -> PaymentQuerySet:
    return PaymentQuerySet(model=Payment).restrict(user, action)


def batches(user, action: str = "view") -> GrantBatchQuerySet:
    return GrantBatchQuerySet(model=GrantBatch).restrict(user, action)


def may_manage(user) -> bool:
    return active_role(user) in MANAGE_ROLES
