"""Scope of enterprise-level statistics (confidential under the Statistics Law): the
analyst sees them; an enterprise user sees its own enterprise's released months; nobody
else reads individual figures (they see suppressed aggregates from the engine)."""

from __future__ import annotations

from django.db import models

from gongxin.accounts.choices import Role


class MonthlyStatQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        role = user.role if user.is_authenticated and user.is_active else None
        if role == Role.ANALYST:
            return self
        if role == Role.ENTERPRISE and user.uscc and action == "view":
            from gongxin.monitoring.models import PeriodRelease

            released = PeriodRelease.objects.values("period")
            return self.filter(enterprise__uscc=user.uscc, period__in=released)
        return self.none()

    def released(self):
        from gongxin.monitoring.models import PeriodRelease

        return self.filter(period__in=PeriodRelease.objects.values("period"))
