"""梯度培育 pages: per tier, the rule set in force on a date and the candidate list (with its
.xlsx export); one enterprise's result criterion by criterion with the source of every
figure; the titles due for review; an enterprise's own results for the three tiers.

Thin: the results are tiers.services (read only); the scope is
Enterprise.objects.restrict(user) — bureau readers see every enterprise, an enterprise user
only its own (another's detail is 404). Supervisors and leaders see the same figures as the
analyst: they are declarations and administrative records given for this assessment, never
survey data (the rule sets read none), and the gap texts state them anyway; only the analyst
exports the list.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from gongxin.accounts.choices import Role
from gongxin.analytics import catalog
from gongxin.core import audit
from gongxin.core.access import roles_required
from gongxin.enterprises.models import Enterprise
from gongxin.evaluation import querysets as scopes
from gongxin.evaluation.tiers import rules, services
from gongxin.evaluation.tiers.results import (
    MANUAL,
    MET,
    MISSING,
    NOT_MET,
    OUTCOME_LABELS,
    OUTCOME_ORDER,
    PENDING,
    QUALIFIED,
    SKIPPED,
    CriterionResult,
    TierResult,
)
from gongxin.evaluation.tiers.services import Candidate
from gongxin.reports.xlsx import table_xlsx

readers = roles_required(*scopes.READ_ROLES)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TIERS = rules.TIERS
EXPORT_HEADERS = ["序号", "企业名称", "统一社会信用代码", "结论", "得分", "满分",
                  "未满足的条件及差距", "缺少的数据"]  # fmt: skip
STATUS_CSS = {"qualified": "ok", "qualified_pending_manual": "ok", "near": "warn",
              "incomplete": "muted", "not_qualified": "bad"}  # fmt: skip


# --- reading the request ---------------------------------------------------------------------
def _tier(tier: str) -> str:
    if tier not in TIERS:
        raise Http404("没有这个培育梯度。")
    return tier


def _on(request) -> date:
    """The assessment date (?on=YYYY-MM-DD), today when absent or unreadable."""
    try:
        return date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return timezone.localdate()


def _rule_set(tier: str, on: date) -> rules.RuleSet | None:
    try:
        return rules.in_force(tier, on)
    except rules.TierRuleError:
        return None


# --- wording ---------------------------------------------------------------------------------
def _value(value, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return rules.amount(value, unit) if unit else rules.trim(value)
    return str(value)


def _not_met(result: TierResult) -> list[str]:
    """The conditions not met, each with its gap ("上年度营业收入…：差100万元"), and the
    points still lacking where the set scores."""
    lines = []
    for c in result.conditions:
        if c.status == NOT_MET:
            detail = c.gap_text or c.text
            lines.append(f"{c.label}：{detail}" if detail else c.label)
    total, needed = result.total, result.pass_total
    settled = result.status in (QUALIFIED, PENDING)  # passed by points or an alternative
    if not settled and total is not None and needed is not None and total < needed:
        lines.append(f"评价得分{rules.trim(total)}分，差{rules.trim(needed - total)}分达到"
                     f"{rules.trim(needed)}分")  # fmt: skip
    return lines


def _missing(result: TierResult) -> list[str]:
    return [rules.key_label(key) for key in result.missing]


def _shorten(labels: list[str], keep: int = 5) -> str:
    if len(labels) <= keep:
        return "、".join(labels)
    return "、".join(labels[:keep]) + f"等{len(labels)}项"


def _points(result: TierResult) -> str:
    if result.total is None:
        return ""
    text = f"{rules.trim(result.total)}/{rules.trim(result.pass_total or Decimal(0))}"
    if result.total_max is not None and result.total_max != result.total:
        text += f"（最高可达{rules.trim(result.total_max)}）"
    return text


def _row(candidate: Candidate) -> dict:
    result = candidate.result
    return {
        "enterprise": candidate.enterprise,
        "status": result.status,
        "status_label": result.status_label,
        "css": STATUS_CSS[result.status],
        "points": _points(result),
        "not_met": _not_met(result),
        "missing": _missing(result),
        "missing_short": _shorten(_missing(result)),
        "summary": result.summary,
        "holds_title": candidate.holds_title,
    }


def _criteria(result: TierResult) -> list[dict]:
    """Every criterion, depth-first, with its depth for indentation."""
    rows: list[dict] = []

    def walk(c: CriterionResult, part: str, depth: int) -> None:
        rows.append({
            "part": part, "depth": depth, "code": c.code, "label": c.label,
            "status": c.status, "status_label": c.status_label,
            "css": {MET: "ok", NOT_MET: "bad", MISSING: "muted", MANUAL: "warn",
                    SKIPPED: "muted"}.get(c.status, ""),
            "actual": "" if c.actual is None else _value(c.actual, c.unit),
            "threshold": "" if c.threshold is None else _value(c.threshold, c.unit),
            "gap": c.gap_text, "text": c.text,
            "points": "" if c.max_points is None else
                f"{rules.trim(c.points or Decimal(0))}/{rules.trim(c.max_points)}",
            "missing": [rules.key_label(k) for k in c.missing], "ref": c.ref,
        })  # fmt: skip
        for child in c.children:
            walk(child, part, depth + 1)

    for part, items in (("条件", result.conditions), ("评分", result.points),
                        ("替代条件", result.alternatives)):  # fmt: skip
        for item in items:
            walk(item, part, 0)
    return rows


def _figures(candidate_facts: dict, sources: dict) -> list[dict]:
    """Every figure read, with its provenance, period and source."""
    rows = []
    for key in sorted(candidate_facts):
        code, _ = rules.split_key(key)
        feature = catalog.get(code)
        source = sources.get(key)
        rows.append({
            "label": rules.key_label(key),
            "value": _value(candidate_facts[key], feature.unit),
            "provenance": source.provenance_label if source else "",
            "period": source.period if source else "",
            "source": source.source if source else "",
        })  # fmt: skip
    return rows


def _manual(result: TierResult) -> list[CriterionResult]:
    """The manual-review items themselves (a group waiting on one is not repeated)."""
    return [c for c in result.criteria() if c.status == MANUAL and not c.children]


def _detail(candidate: Candidate, rule_set: rules.RuleSet) -> dict:
    result = candidate.result
    return {
        "tier": rule_set.tier,
        "tier_label": TIERS[rule_set.tier],
        "rule_set": rule_set,
        "row": _row(candidate),
        "result": result,
        "criteria": _criteria(result),
        "figures": _figures(candidate.facts, candidate.sources),
        "manual": _manual(result),
        "groups": result.groups,
    }


# --- pages -----------------------------------------------------------------------------------
@require_GET
@readers
def candidate_list(request, tier: str):
    tier, on = _tier(tier), _on(request)
    rule_set = _rule_set(tier, on)
    holders = request.GET.get("holders") == "1"
    found = (
        services.candidates(
            tier, on, Enterprise.objects.restrict(request.user), include_holders=holders
        )  # fmt: skip
        if rule_set
        else []
    )
    counts = {s: 0 for s in OUTCOME_ORDER}
    for c in found:
        counts[c.result.status] += 1
    status = request.GET.get("status", "")
    shown = [c for c in found if not status or c.result.status == status]
    if request.GET.get("export") == "xlsx" and rule_set is not None:
        return _export(request, rule_set, on, shown)
    return render(
        request,
        "evaluation/cultivation/candidate_list.html",
        {
            "page_title": f"梯度培育候选名单：{TIERS[tier]}",
            "tier": tier,
            "tier_label": TIERS[tier],
            "tiers": TIERS,
            "on": on,
            "rule_set": rule_set,
            "rows": [_row(c) for c in shown],
            "counts": [(s, OUTCOME_LABELS[s], counts[s]) for s in OUTCOME_ORDER],
            "status": status,
            "holders": holders,
            "has_points": bool(rule_set and rule_set.points),
            "may_export": scopes.may_manage(request.user),
        },
    )


def _export(request, rule_set: rules.RuleSet, on: date, shown: list[Candidate]) -> HttpResponse:
    if not scopes.may_manage(request.user):
        raise PermissionDenied("只有统计分析人员可以导出候选名单。")
    tier = rule_set.tier
    rows = export_rows(shown)
    audit.record_now(request.user, "export.xlsx", object_repr=f"{TIERS[tier]}候选名单",
                     after={"list": "evaluation.cultivation", "scheme": rule_set.code,
                            "on": on.isoformat(), "rows": len(rows)})  # fmt: skip
    data = table_xlsx(f"{TIERS[tier]}候选名单", EXPORT_HEADERS, rows)
    response = HttpResponse(data, content_type=XLSX)
    name = f"{TIERS[tier]}候选名单_{on.isoformat()}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def export_rows(shown: list[Candidate]) -> list[list]:
    """The list as the sheet shows it (table_xlsx escapes formula-like text)."""
    rows = []
    for number, c in enumerate(shown, start=1):
        row = _row(c)
        total, full = c.result.total, None
        if total is not None:
            full = float(sum((p.max_points or Decimal(0) for p in c.result.points), Decimal(0)))
        rows.append([
            number, c.enterprise.name, c.enterprise.uscc, row["status_label"],
            None if total is None else float(total), full,
            "；".join(row["not_met"]), "、".join(row["missing"]),
        ])  # fmt: skip
    return rows


@require_GET
@roles_required(*scopes.READ_ROLES, Role.ENTERPRISE)
def candidate_detail(request, tier: str, pk: int):
    tier, on = _tier(tier), _on(request)
    rule_set = _rule_set(tier, on)
    scope = Enterprise.objects.restrict(request.user).filter(pk=pk)
    found = services.candidates(tier, on, scope, include_holders=True) if rule_set else []
    if not found or rule_set is None:
        raise Http404("没有这家企业的评价结果。")
    candidate = found[0]
    bureau = scopes.is_bureau_reader(request.user)
    return render(
        request,
        "evaluation/cultivation/candidate_detail.html",
        {
            "page_title": f"{TIERS[tier]}：{candidate.enterprise.name}",
            "on": on,
            "detail": _detail(candidate, rule_set),
            "back": reverse("evaluation:cultivation_list", args=[tier])
            if bureau
            else reverse("evaluation:cultivation_mine"),
        },
    )


@require_GET
@readers
def review_list(request):
    on = _on(request)
    due = services.due_for_review(on, Enterprise.objects.restrict(request.user))
    rows = [
        {**_row(Candidate(d.enterprise, d.result)), "tier": d.tier, "tier_label": TIERS[d.tier],
         "honor_year": d.honor_year, "years_since": d.years_since,
         "scheme": d.result.scheme}
        for d in due
    ]  # fmt: skip
    return render(
        request,
        "evaluation/cultivation/review_list.html",
        {"page_title": "梯度培育：称号到期复核", "on": on, "rows": rows, "tiers": TIERS},
    )


@require_GET
@roles_required(Role.ENTERPRISE)
def mine(request):
    on = _on(request)
    scope = Enterprise.objects.restrict(request.user)
    details = []
    for tier in TIERS:
        rule_set = _rule_set(tier, on)
        if rule_set is None:
            continue
        for candidate in services.candidates(tier, on, scope, include_holders=True):
            details.append(_detail(candidate, rule_set))
    return render(
        request,
        "evaluation/cultivation/mine.html",
        {"page_title": "我的梯度培育自评", "on": on, "details": details},
    )


@require_GET
@readers
def index(request):
    return redirect("evaluation:cultivation_list", tier="srdi")


urlpatterns = [
    path("cultivation/", index, name="cultivation_index"),
    path("cultivation/review/", review_list, name="cultivation_review"),
    path("cultivation/mine/", mine, name="cultivation_mine"),
    path("cultivation/<slug:tier>/", candidate_list, name="cultivation_list"),
    path("cultivation/<slug:tier>/<int:pk>/", candidate_detail, name="cultivation_detail"),
]
