"""Data scope of supervision, decided here only.

Supervisors see and review everything; a leader reads the items he or she leads; a unit
reporter reads and reports the items of his or her own unit and sees only that unit's
progress texts. Other roles see nothing.
"""

from __future__ import annotations

from django.db import models

from gongxin.accounts.choices import Role


def _role(user) -> str | None:
    return user.role if user.is_authenticated and user.is_active else None


class PlanQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        role = _role(user)
        if role == Role.SUPERVISOR:
            return self
        if action != "view":
            return self.none()
        if role == Role.LEADER and user.leader_id:
            return self.filter(items__leaders=user.leader_id).distinct()
        if role == Role.REPORTER and user.unit_id:
            return self.filter(items__assignments__unit=user.unit_id).distinct()
        return self.none()


class ItemQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        """Actions: view, change (supervisor), review (supervisor), instruct (leader),
        report (reporter of an assigned unit)."""
        role = _role(user)
        if role == Role.SUPERVISOR and action in ("view", "change", "review"):
            return self
        if role == Role.LEADER and user.leader_id and action in ("view", "instruct"):
            return self.filter(leaders=user.leader_id).distinct()
        if role == Role.REPORTER and user.unit_id and action in ("view", "report"):
            return self.filter(assignments__unit=user.unit_id).distinct()
        return self.none()

    def key_only(self):
        return self.filter(key=True)


class ItemUnitQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        role = _role(user)
        if role == Role.SUPERVISOR:
            return self
        if role == Role.LEADER and user.leader_id and action == "view":
            return self.filter(item__leaders=user.leader_id).distinct()
        if role == Role.REPORTER and user.unit_id and action in ("view", "report", "acknowledge"):
            return self.filter(unit=user.unit_id)
        return self.none()


class ProgressReportQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        role = _role(user)
        if role == Role.SUPERVISOR and action == "view":
            return self
        if role == Role.LEADER and user.leader_id and action == "view":
            return self.filter(item__leaders=user.leader_id).distinct()
        if role == Role.REPORTER and user.unit_id and action in ("view", "change"):
            return self.filter(assignment__unit=user.unit_id)
        return self.none()

    def in_period(self, period: str):
        return self.filter(period=period)
