"""企业在线申报: an enterprise declares the figures a policy clause reads, for itself only.

A clause in force asks for the declared base figures its criteria and award rule read
(computed features such as 一季度新增工业产值 are followed to their inputs through
features.SOURCES), each for the period the compiler reads (feature_table.figure_period). A
declaration is written through enterprises.services.apply_figures (provenance declared,
source "企业在线申报", audited in the same transaction), refused when any figure changed
since the form was shown (EnterpriseFigure.version: optimistic locking), and the policy is
then re-matched so the enterprise's inbox shows the new result at once.

The enterprise is always the one bound to the acting user's USCC: nothing posted chooses it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import CharField, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.utils import timezone

from gongxin.accounts.choices import Role
from gongxin.analytics import catalog
from gongxin.analytics.catalog import Provenance
from gongxin.core.errors import ConflictError, ServiceError
from gongxin.core.models import AuditEvent
from gongxin.enterprises import services as enterprise_services
from gongxin.enterprises.models import Enterprise, EnterpriseFigure
from gongxin.policies import awards, criteria, display, features, querysets, services
from gongxin.policies.feature_table import figure_period
from gongxin.policies.models import Clause, Match

SOURCE = "企业在线申报"
STATEMENT = "本企业承诺所填数据真实准确，与报送统计部门的数据口径一致，如有不实，愿承担相应责任。"
AUDIT_ACTION = "enterprise.figures"  # the action apply_figures records
MAX_WAN = Decimal("1e14")  # EnterpriseFigure.value: 18 digits, 4 after the point
DECLARED_SUFFIX = "（企业申报）"


class DeclarationConflict(ConflictError):
    """A figure changed since the form was shown; `current` holds the stored figures."""

    def __init__(self, message: str, current: dict[str, EnterpriseFigure]):
        super().__init__(message)
        self.current = current


@dataclass(frozen=True)
class Ask:
    """One figure the form asks for."""

    code: str
    label: str  # the catalog label without the "（企业申报）" suffix
    unit: str
    definition: str
    period: str

    @property
    def period_text(self) -> str:
        return period_text(self.period)

    @property
    def is_money(self) -> bool:
        return self.unit == "万元"


def period_text(period: str) -> str:
    """ "2024-Q1" → "2024年一季度", "2024" → "2024年"."""
    quarters = {"Q1": "一季度", "Q2": "二季度", "Q3": "三季度", "Q4": "四季度"}
    year, _, rest = period.partition("-")
    if rest in quarters:
        return f"{year}年{quarters[rest]}"
    if rest:
        return f"{year}年{int(rest)}月"
    return f"{year}年"


# --- what a clause asks for -----------------------------------------------------------------
def declared_inputs(code: str) -> list[str]:
    """The declared base figures (kind "figure") a feature reads, computed ones followed
    to their inputs; survey, administrative and registry features ask nothing."""
    source = features.source_of(code)
    if source is None:
        return []
    if source.kind in ("diff", "yoy"):
        return [c for arg in source.args for c in declared_inputs(arg)]
    if source.kind == "figure" and catalog.get(code).provenance == Provenance.DECLARED:
        return [code]
    return []


def clause_year(clause: Clause, as_of: date) -> int:
    return clause.year or as_of.year  # as services.context_for


def asks_for(clause: Clause, as_of: date) -> list[Ask]:
    """The figures an enterprise declares for the clause, in the order its criteria (then
    its award rule) read them; empty when the clause reads no declared figure."""
    if Provenance.DECLARED not in (clause.provenances or []):
        return []
    codes: list[str] = []
    read = [leaf.get("feature", "") for leaf in criteria.leaves(clause.criteria or {})]
    read += awards.base_features(clause.award or {})
    for code in read:
        for base in declared_inputs(str(code)):
            if base not in codes:
                codes.append(base)
    year = clause_year(clause, as_of)
    asks = []
    for code in codes:
        feature = catalog.get(code)
        asks.append(
            Ask(
                code=code,
                label=feature.label.removesuffix(DECLARED_SUFFIX),
                unit=feature.unit,
                definition=feature.definition,
                period=figure_period(code, year),
            )
        )
    return asks


def open_clause(clause_pk: int, as_of: date | None = None) -> tuple[Clause, list[Ask]]:
    """The clause and what it asks for, or ServiceError saying why it takes no declaration."""
    as_of = as_of or timezone.localdate()
    clause = services.clauses_in_force(as_of).filter(pk=clause_pk).first()
    if clause is None:
        raise ServiceError("该政策条款不在有效期内，不能在线申报。")
    asks = asks_for(clause, as_of)
    if not asks:
        raise ServiceError("该政策条款不读取企业申报数据，无需在线申报。")
    return clause, asks


def open_clauses(as_of: date | None = None) -> list[tuple[Clause, list[Ask]]]:
    """Every clause in force that reads declared figures."""
    as_of = as_of or timezone.localdate()
    found = []
    for clause in services.clauses_in_force(as_of):
        asks = asks_for(clause, as_of)
        if asks:
            found.append((clause, asks))
    return found


# --- the enterprise and its figures ---------------------------------------------------------
def enterprise_of(user) -> Enterprise:
    """The enterprise the user declares for: the one bound to its USCC, never another."""
    if getattr(user, "role", None) != Role.ENTERPRISE or not user.uscc:
        raise ServiceError("只有企业用户可以在线申报本企业的数据。")
    enterprise = Enterprise.objects.filter(uscc=user.uscc, is_active=True).first()
    if enterprise is None:
        raise ServiceError("您的账号绑定的企业不在企业库中（或已注销），暂不能在线申报。")
    return enterprise


def _slots(asks: list[Ask]) -> Q:
    query = Q()
    for ask in asks:
        query |= Q(feature=ask.code, period=ask.period)
    return query


def current_figures(enterprise: Enterprise, asks: list[Ask]) -> dict[str, EnterpriseFigure]:
    """What the enterprise declared before (by the analyst's import or online), by code."""
    rows = EnterpriseFigure.objects.filter(
        _slots(asks), enterprise=enterprise, provenance=Provenance.DECLARED
    )
    return {f.feature: f for f in rows}


# --- declaring ------------------------------------------------------------------------------
@dataclass
class Entry:
    """One submitted figure: the value in the feature's unit (万元 for money) and the
    version of the stored figure the form showed (0 = none was stored)."""

    code: str
    value: Decimal
    version: int = 0


@dataclass
class Outcome:
    counts: dict[str, int]
    matched: bool = True
    match_error: str = ""
    changed: list[str] = field(default_factory=list)


def _shown_value(figure: EnterpriseFigure, ask: Ask) -> str:
    return f"{display.number(figure.value)}{ask.unit}"


def declare(actor, clause: Clause, entries: list[Entry], as_of: date | None = None) -> Outcome:
    """Write the enterprise's figures for the clause (audited), then re-match the policy.

    Refused with nothing written when the actor is not an enterprise user, the clause takes
    no declaration, a figure is missing, negative or too large, or a stored figure changed
    since the form was shown (DeclarationConflict)."""
    as_of = as_of or timezone.localdate()
    enterprise = enterprise_of(actor)
    clause, asks = open_clause(clause.pk, as_of)
    by_code = {e.code: e for e in entries}
    for ask in asks:
        entry = by_code.get(ask.code)
        if entry is None:
            raise ServiceError(f"请填写{ask.label}。")
        if not entry.value.is_finite() or entry.value < 0:
            raise ServiceError(f"{ask.label}应为不小于0的数字。")
        if abs(entry.value) >= MAX_WAN:
            raise ServiceError(f"{ask.label}数值过大，请核对单位。")
    reason = f"在线申报：{clause.policy.title}／{clause.title}"
    try:
        with transaction.atomic():
            stored = {
                f.feature: f
                for f in EnterpriseFigure.objects.select_for_update().filter(
                    _slots(asks), enterprise=enterprise, provenance=Provenance.DECLARED
                )
            }
            stale = [
                ask
                for ask in asks
                if (stored[ask.code].version if ask.code in stored else 0)
                != by_code[ask.code].version
            ]
            if stale:
                raise DeclarationConflict(_conflict_message(stale, stored), stored)
            rows = [
                {
                    "enterprise_id": enterprise.pk,
                    "feature": ask.code,
                    "period": ask.period,
                    "provenance": Provenance.DECLARED,
                    "value": by_code[ask.code].value,
                    "source": SOURCE,
                }
                for ask in asks
            ]
            counts = enterprise_services.apply_figures(actor, rows, reason=reason)
    except IntegrityError:
        # a figure was created by someone else between our read and our insert
        current = current_figures(enterprise, asks)
        raise DeclarationConflict(
            _conflict_message([a for a in asks if a.code in current], current), current
        ) from None
    outcome = Outcome(counts=counts)
    try:
        services.run_match(actor, as_of, clause.policy.code)
    except ServiceError as error:  # the declaration stands; the bureau's next match will do
        outcome.matched, outcome.match_error = False, error.message
    return outcome


def _conflict_message(stale: list[Ask], stored: dict[str, EnterpriseFigure]) -> str:
    parts = []
    for ask in stale:
        figure = stored.get(ask.code)
        if figure is None:
            parts.append(f"“{ask.label}”已被删除")
        else:
            when = timezone.localtime(figure.recorded_at).strftime("%Y-%m-%d %H:%M")
            parts.append(f"“{ask.label}”已于{when}更新为{_shown_value(figure, ask)}")
    return (
        "提交未保存：您打开本页后，"
        + "；".join(parts)
        + "。为避免覆盖他人填报的数据，请核对页面上的最新数据后重新提交。"
    )


# --- the result shown after a declaration ---------------------------------------------------
@dataclass
class ClauseResult:
    status: str  # eligible | near_miss | ineligible
    status_label: str
    award: str
    reasons: list[dict]


def result_for(
    clause: Clause, enterprise: Enterprise, as_of: date | None = None, *, evaluate_now: bool = True
) -> ClauseResult | None:
    """The enterprise's result for the clause: its stored match when eligible or near, else
    (with `evaluate_now`) the clause evaluated now, since run_match stores no result that is
    neither; None when there is nothing to show."""
    match = (
        querysets.MatchQuerySet(Match).shown().filter(clause=clause, enterprise=enterprise).first()
    )
    if match is not None:
        return ClauseResult(
            match.status,
            match.get_status_display(),
            display.award_text(match.award, match.award_cap),
            display.reason_lines(match.reasons),
        )
    if not evaluate_now:
        return None
    as_of = as_of or timezone.localdate()
    found = next(
        (
            r
            for r in services.evaluate(clause, as_of, all_rows=True)
            if r.enterprise_id == enterprise.pk
        ),
        None,
    )
    reasons = display.reason_lines(found.reasons) if found is not None else []
    return ClauseResult(Match.Status.INELIGIBLE, Match.Status.INELIGIBLE.label, "", reasons)


# --- the analyst's view of declarations ------------------------------------------------------
def declarations(user, clause: Clause, as_of: date | None = None):
    """The declared figures the clause reads, of every enterprise the user may see, with who
    last wrote each and when (from the audit trail)."""
    as_of = as_of or timezone.localdate()
    asks = asks_for(clause, as_of)
    if not asks:
        return EnterpriseFigure.objects.none(), asks
    last = AuditEvent.objects.filter(
        action=AUDIT_ACTION,
        object_type=EnterpriseFigure._meta.label_lower,
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
    ).order_by("-id")
    rows = (
        EnterpriseFigure.objects.restrict(user)
        .filter(_slots(asks), provenance=Provenance.DECLARED)
        .select_related("enterprise")
        .annotate(
            declared_by=Subquery(last.values("actor_username")[:1]),
            declared_by_role=Subquery(last.values("actor_role")[:1]),
            declared_at=Subquery(last.values("at")[:1]),
        )
        .order_by("enterprise__name", "enterprise__uscc", "feature", "period")
    )
    return rows, asks
