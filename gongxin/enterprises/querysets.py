"""Reads and data scope for the enterprise registry.

Identity data (name, USCC, industry, region, honors) is not confidential statistics, so
the bureau's analyst, supervisor and leader read every enterprise; an enterprise user
reads only the enterprise bound to its USCC; reporters and the three administrators read
none. Only the analyst changes the registry. Statistics live elsewhere, under their own
stricter scope.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from gongxin.accounts.choices import Role
from gongxin.core.access import active_role, scoped

READ_ALL_ROLES = frozenset({Role.ANALYST, Role.SUPERVISOR, Role.LEADER})
CHANGE_ROLES = frozenset({Role.ANALYST})


def enterprise_scope(user, action: str = "view", prefix: str = "") -> Q | bool:
    """What the user may see or change of enterprises reached through `prefix` (e.g.
    "enterprise__"): True = all, False = none, or the Q that limits them."""
    role = active_role(user)
    if action == "view":
        if role in READ_ALL_ROLES:
            return True
        if role == Role.ENTERPRISE and user.uscc:
            return Q(**{f"{prefix}uscc": user.uscc})
        return False
    return role in CHANGE_ROLES


class EnterpriseQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def restrict(self, user, action: str = "view"):
        return scoped(self, enterprise_scope(user, action))

    def search(self, text: str):
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(Q(name__icontains=text) | Q(uscc__icontains=text.upper()))

    def in_section(self, letter: str):
        """Enterprises whose 小类 lies in the 门类 (by its 大类 range)."""
        from gongxin.enterprises import industries

        low, high = industries.section_ranges()[letter]
        divisions = [f"{n:02d}" for n in range(int(low), int(high) + 1)]
        query = Q()
        for division in divisions:
            query |= Q(industry_code__startswith=division)
        return self.filter(query)

    def above_scale_in(self, year: int, above: bool = True):
        """On (or, with above=False, not on) the above-scale register of the year."""
        on_register = Q(scale_records__year=year, scale_records__above_scale=True)
        return self.filter(on_register) if above else self.exclude(on_register)


class EnterpriseRelatedQuerySet(models.QuerySet):
    """Records that belong to one enterprise (scale, honors, memberships, liaisons)."""

    def restrict(self, user, action: str = "view"):
        return scoped(self, enterprise_scope(user, action, prefix="enterprise__"))


class GroupingQuerySet(models.QuerySet):
    """Programs and clusters: lists of enterprises. Bureau readers see all; an enterprise
    sees the ones it belongs to."""

    def restrict(self, user, action: str = "view"):
        scope = enterprise_scope(user, action, prefix="members__")
        return scoped(self, scope).distinct() if isinstance(scope, Q) else scoped(self, scope)
