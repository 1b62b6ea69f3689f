"""Reads and data scope of policy matches and pushes: the one place that decides who sees
which match.

- The bureau's analyst, supervisor and leader read every match and push (the policy
  library and the per-clause lists are theirs); the analyst and the supervisor push.
- An enterprise user reads only its own enterprise's eligible and near-miss matches (by
  the USCC it is bound to), with their pushes, and marks those pushes read.
- Reporters and the three administrators read nothing of it.

Models keep their default managers (models.py belongs to the matcher); these querysets
are built on the model directly: `matches(user, "view")`, `pushes(user, "view")`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from gongxin.accounts.choices import Role
from gongxin.core.access import active_role, scoped
from gongxin.policies.models import Match, Push

BUREAU_ROLES = frozenset({Role.ANALYST, Role.SUPERVISOR, Role.LEADER})
PUSH_ROLES = frozenset({Role.ANALYST, Role.SUPERVISOR})
MATCH_ROLES = frozenset({Role.ANALYST})  # re-runs a policy's match
SHOWN_STATUSES = (Match.Status.ELIGIBLE, Match.Status.NEAR_MISS)


def match_scope(user, action: str = "view", prefix: str = "") -> Q | bool:
    """True = every match, False = none, or the Q that limits them; `prefix` reaches the
    match from another model ("match__")."""
    role = active_role(user)
    if action == "view":
        if role in BUREAU_ROLES:
            return True
        if role == Role.ENTERPRISE and user.uscc:
            return Q(**{f"{prefix}enterprise__uscc": user.uscc}) & Q(
                **{f"{prefix}status__in": SHOWN_STATUSES}
            )
        return False
    if action == "push":
        return role in PUSH_ROLES
    return False


class MatchQuerySet(models.QuerySet):
    def shown(self):
        """Eligible and near-miss (a former match now ineligible stays for its history)."""
        return self.filter(status__in=SHOWN_STATUSES)

    def restrict(self, user, action: str = "view"):
        return scoped(self, match_scope(user, action))


class PushQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def restrict(self, user, action: str = "view"):
        """view: as the pushed match; read (mark as read): the enterprise's own only."""
        if action == "read":
            if active_role(user) != Role.ENTERPRISE:
                return self.none()
            return scoped(self, match_scope(user, "view", prefix="match__"))
        return scoped(self, match_scope(user, action, prefix="match__"))


def matches(user, action: str = "view") -> MatchQuerySet:
    return MatchQuerySet(Match).restrict(user, action)


def pushes(user, action: str = "view") -> PushQuerySet:
    return PushQuerySet(Push).restrict(user, action)
