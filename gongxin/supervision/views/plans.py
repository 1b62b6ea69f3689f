"""Plans: list, create/edit, overview with charts, the monthly report, 通报 and 催办."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongxin.core import audit
from gongxin.supervision import exporters, services
from gongxin.supervision.choices import Light, Status
from gongxin.supervision.forms import PlanForm
from gongxin.supervision.models import Item, Plan, Reminder
from gongxin.supervision.services import workflow
from gongxin.supervision.views.common import (
    file_response,
    period_of,
    report_readers,
    supervision_roles,
    supervisor_only,
)


@require_GET
@supervision_roles
def plan_list(request):
    plans = Plan.objects.restrict(request.user, "view")
    return render(request, "supervision/plan_list.html", {"page_title": "督查督办", "plans": plans})


@require_http_methods(["GET", "POST"])
@supervisor_only
def plan_edit(request, pk: int | None = None):
    plan = get_object_or_404(Plan.objects.restrict(request.user, "change"), pk=pk) if pk else None
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        saved = services.save_plan(request.user, plan, **form.cleaned_data)
        messages.success(request, "已保存。")
        return redirect("supervision:plan_overview", pk=saved.pk)
    title = f"编辑计划：{plan.title}" if plan else "新建督办计划"
    return render(
        request, "supervision/plan_form.html", {"page_title": title, "form": form, "plan": plan}
    )


def _status_of(item: Item) -> str:
    return item.official_status or item.suggested_status or Status.OTHER


@require_GET
@supervision_roles
def plan_overview(request, pk: int):
    plan = get_object_or_404(Plan.objects.restrict(request.user, "view"), pk=pk)
    period = period_of(request, plan)
    items = list(
        Item.objects.restrict(request.user, "view")
        .filter(plan=plan)
        .prefetch_related("leader_links__leader", "assignments__unit", "reviews")
    )
    by_status = Counter(_status_of(i) for i in items)
    by_light = Counter(workflow.item_light(i) for i in items)
    unit_status: dict[str, Counter] = {}
    leader_counts: Counter = Counter()
    for item in items:
        for assignment in item.assignments.all():
            unit_status.setdefault(assignment.display_name, Counter())[_status_of(item)] += 1
        for leader in item.ordered_leaders:
            leader_counts[leader.name] += 1
    units = sorted(unit_status, key=lambda u: -sum(unit_status[u].values()))[:15]
    chart = {
        "status": [{"name": s.label, "value": by_status.get(s.value, 0)} for s in Status],
        "units": units,
        "unit_series": [
            {"name": s.label, "data": [unit_status[u].get(s.value, 0) for u in units]}
            for s in Status
        ],
        "leaders": [{"name": n, "value": c} for n, c in leader_counts.most_common()],
    }
    context = {
        "page_title": plan.title, "plan": plan, "period": period, "total": len(items),
        "status_counts": [(s, by_status.get(s.value, 0)) for s in Status],
        "light_counts": [(light, by_light.get(light.value, 0)) for light in Light],
        "disagreements": sum(1 for i in items if i.status_disagrees),
        "key_count": sum(1 for i in items if i.key),
        "chart": chart,
        "is_supervisor": request.user.role == "supervisor",
        "can_download": request.user.role in ("supervisor", "leader"),
        "on_time": workflow.on_time_statistics(plan, str(period)) if request.user.role == "supervisor" else [],
        "missing": workflow.missing_reports(plan, str(period)) if request.user.role == "supervisor" else [],
        "reminders": Reminder.objects.filter(plan=plan, period=str(period)).select_related("unit")
        if request.user.role == "supervisor" else [],
    }  # fmt: skip
    return render(request, "supervision/plan_overview.html", context)


@require_GET
@report_readers
def report_download(request, pk: int):
    """The monthly table; a leader's copy holds only the items he or she leads."""
    plan = get_object_or_404(Plan.objects.restrict(request.user, "view"), pk=pk)
    period = period_of(request, plan)
    fmt = request.GET.get("format", "docx")
    if fmt not in exporters.FORMATS:
        fmt = "docx"
    items = Item.objects.restrict(request.user, "view").filter(plan=plan)
    report = exporters.build_report(plan, period, items=items)
    audit.record_now(
        request.user, "export.report", plan, after={"period": str(period), "format": fmt}
    )
    return file_response(
        exporters.FORMATS[fmt](report), f"{report.title}.{fmt}", exporters.CONTENT_TYPES[fmt]
    )


@require_POST
@supervisor_only
def send_reminders(request, pk: int):
    plan = get_object_or_404(Plan.objects.restrict(request.user, "change"), pk=pk)
    period = period_of(request, plan)
    sent = workflow.send_reminders(request.user, plan, str(period))
    if sent:
        messages.success(request, f"已向 {len(sent)} 个未报送单位发出催办通知。")
    else:
        messages.info(request, "本期各单位均已报送，无需催办。")
    return redirect(f"{reverse('supervision:plan_overview', args=[plan.pk])}?period={period}")


@require_GET
@supervisor_only
def reminder_docx(request, pk: int):
    from gongxin.supervision import bulletin

    reminder = get_object_or_404(
        Reminder.objects.filter(plan__in=Plan.objects.restrict(request.user, "change")), pk=pk
    )
    data = bulletin.reminder_docx(reminder)
    return file_response(
        data,
        f"催办通知-{reminder.unit.name}-{reminder.period}.docx",
        exporters.CONTENT_TYPES["docx"],
    )


@require_GET
@supervisor_only
def bulletin_download(request, pk: int):
    from gongxin.supervision import bulletin

    plan = get_object_or_404(Plan.objects.restrict(request.user, "change"), pk=pk)
    period = period_of(request, plan)
    data = bulletin.bulletin_docx(plan, period)
    audit.record_now(request.user, "export.bulletin", plan, after={"period": str(period)})
    return file_response(
        data,
        f"{plan.title}{exporters.period_words(period)}推进情况通报.docx",
        exporters.CONTENT_TYPES["docx"],
    )
