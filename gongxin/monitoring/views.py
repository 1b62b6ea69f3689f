"""Monitoring pages: the leader cockpit / dashboard, drill-down to enterprises, release."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from gongxin.accounts.choices import Role
from gongxin.analytics import catalog, facts, runners
from gongxin.core import audit
from gongxin.core.access import roles_required
from gongxin.core.errors import ServiceError
from gongxin.core.periods import Period
from gongxin.monitoring import brief, official, queries, rankings, services

readers = roles_required(Role.ANALYST, Role.LEADER, Role.SUPERVISOR)
GROUP_LABELS = {
    "cluster": "产业集群", "chain": "产业链", "section": "行业门类", "division": "行业大类",
    "town": "镇街", "zone": "功能区", "program": "培育计划", "honor": "企业称号", "size_band": "规模",
}  # fmt: skip
MEASURE_LABELS = {m: catalog.get(m).label for m in facts.MEASURES}


def _period(request) -> str | None:
    periods = queries.visible_periods(request.user)
    wanted = request.GET.get("period") or request.POST.get("period")
    if wanted in periods:
        return wanted
    return periods[-1] if periods else None


@require_http_methods(["GET"])
@readers
def dashboard(request):
    period = _period(request)
    by = request.GET.get("by") if request.GET.get("by") in facts.GROUPINGS else "cluster"
    context = {"page_title": "工业经济运行监测", "period": period, "by": by, "groupings": GROUP_LABELS,
               "periods": queries.visible_periods(request.user),
               "is_analyst": request.user.role == Role.ANALYST}  # fmt: skip
    if period is None:
        return render(request, "monitoring/dashboard.html", context)
    suppress = request.user.role != Role.ANALYST
    rows = runners.indicator_table(by, period, suppress=suppress)
    groups, total = rows[:-1], rows[-1]
    trend = queries.year_trend(period)
    context.update({
        "rows": groups, "total": total, "released": services.is_released(period),
        "total_yi": brief.yi(total.ytd or 0),
        # Published figures are public: no release gate, no suppression (official.py).
        "official": official.figures_for(period),
        **_warnings_context(request.user, period),
        **_rankings_context(request.user, period, groups),
        "brief": brief.compose(period, rows, suppress=suppress),
        "chart": {
            "trend": trend,
            "groups": [{"name": r.name, "ytd": r.as_json()["ytd"], "yoy": r.as_json()["yoy"],
                        "share": r.as_json()["share"]} for r in groups if not r.suppressed],
        },
    })  # fmt: skip
    return render(request, "monitoring/dashboard.html", context)


def _rankings_context(user, period: str, groups) -> dict:
    """Groups for everyone (visible cells only); enterprises for the analyst alone."""
    context: dict = {"rankings": rankings.group_rankings(groups), "gainers": [], "losers": []}
    if user.role == Role.ANALYST:
        gainers, losers = brief.movers(period)
        for m in gainers + losers:
            m["amount"] = brief.amount(abs(m["delta"]))
        context.update(gainers=gainers, losers=losers)
    return context


def _warnings_context(user, period: str) -> dict:
    """The analyst sees which enterprises; other roles only how many of each kind."""
    from collections import Counter

    from gongxin.monitoring.warnings import KIND_LABELS, early_warnings

    found = early_warnings(period)
    counts = Counter(w.kind for w in found)
    return {
        "warning_counts": [(label, counts.get(kind, 0)) for kind, label in KIND_LABELS.items()],
        "warnings": found[:50] if user.role == Role.ANALYST else [],
    }


@require_http_methods(["GET", "POST"])
@roles_required(Role.ANALYST, Role.LEADER)
def drilldown(request, by: str, group: str):
    """The enterprises behind a group: the analyst directly, a leader after giving a
    reason (audited); nobody else."""
    if by not in facts.GROUPINGS:
        raise PermissionDenied("未知的分组。")
    period = _period(request)
    if period is None:
        raise PermissionDenied("尚无已发布的数据。")
    reason = ""
    if request.user.role == Role.LEADER:
        reason = (request.POST.get("reason") or "").strip()
        if request.method != "POST" or len(reason) < 4:
            return render(request, "monitoring/drilldown_reason.html", {
                "page_title": "查看企业明细", "by": by, "group": group, "period": period,
                "error": "请说明查看企业明细的事由（至少4个字）。" if request.method == "POST" else "",
            })  # fmt: skip
    elif request.method == "POST":
        raise PermissionDenied("统计分析人员可直接查看。")
    rows = queries.group_members(by, group, period)
    audit.record_now(request.user, "stats.drilldown", object_type="monitoring.group",
                     object_repr=f"{by}:{group} {period}", reason=reason,
                     after={"enterprises": len(rows)})  # fmt: skip
    return render(request, "monitoring/drilldown.html", {
        "page_title": "企业明细", "rows": rows, "period": period, "by": by, "group": group,
    })  # fmt: skip


@require_http_methods(["GET"])
@roles_required(Role.ANALYST)
def brief_docx(request):
    """The analysis brief as .docx (statistics role: it names enterprises)."""
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    from gongxin.reports.docx import notice_docx

    period = _period(request)
    if period is None:
        raise PermissionDenied("尚无统计数据。")
    by = request.GET.get("by") if request.GET.get("by") in facts.GROUPINGS else "cluster"
    title, paragraphs = brief.build_brief(period, by)
    audit.record_now(
        request.user, "export.brief", object_type="monitoring.brief", object_repr=period
    )
    response = HttpResponse(
        notice_docx(title, paragraphs),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = content_disposition_header(True, f"{title}.docx")
    return response


@require_POST
@roles_required(Role.ANALYST)
def release(request):
    period = request.POST.get("period", "")
    try:
        services.release_period(request.user, str(Period.parse(period)))
        messages.success(
            request, f"{period} 数据已发布，分管领导和督查人员可查看脱敏后的汇总数据。"
        )
    except (ServiceError, ValueError) as error:
        messages.error(request, getattr(error, "message", "统计期无效。"))
    return redirect(f"{reverse('monitoring:dashboard')}?period={period}")


@require_http_methods(["GET", "POST"])
@roles_required(Role.ANALYST)
def custom_list(request):
    """The analyst's own enterprise list: pasted codes or names, one row of indicators."""
    from gongxin.monitoring import custom_lists

    period = _period(request)
    measure = (
        request.POST.get("measure") if request.POST.get("measure") in facts.MEASURES else "output"
    )
    context = {"page_title": "自定义企业名单", "period": period, "periods": queries.visible_periods(request.user),
               "measures": MEASURE_LABELS, "measure": measure, "text": request.POST.get("text", ""),
               "unit": catalog.get(measure).unit}  # fmt: skip
    if request.method == "POST" and period is not None:
        resolved = custom_lists.resolve(context["text"])
        if not resolved.ids:
            context["error"] = "名单中没有可识别的企业：请每行填写一个统一社会信用代码或企业全称。"
        else:
            context["row"] = custom_lists.list_indicators(resolved, period, measure)
        context["resolved"] = resolved
    return render(request, "monitoring/custom_list.html", context)
