from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from gongxin.accounts.choices import Role
from gongxin.core.access import roles_required
from gongxin.core.periods import Period

supervisor_only = roles_required(Role.SUPERVISOR)
supervision_roles = roles_required(Role.SUPERVISOR, Role.LEADER, Role.REPORTER)
reporter_only = roles_required(Role.REPORTER)
leader_only = roles_required(Role.LEADER)
report_readers = roles_required(Role.SUPERVISOR, Role.LEADER)


def period_of(request, plan) -> Period:
    """?period=YYYY-MM, else the plan's current period, else this month."""
    value = request.GET.get("period") or request.POST.get("period") or plan.current_period
    try:
        return Period.parse(value)
    except (TypeError, ValueError):
        today = timezone.localdate()
        return Period(today.year, today.month)


def file_response(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
