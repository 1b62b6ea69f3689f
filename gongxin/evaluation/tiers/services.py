"""The 梯度培育 lists: for a tier, every active enterprise's result under the rule set in
force (whom to coach before declaration season), and the titles due for review.

Reads only — a fixed number of queries whatever the number of enterprises: the enterprises,
their EnterpriseFigure rows for the features and years the rule set reads, and their honors.
Scope is the caller's: pass `Enterprise.objects.restrict(user)` (or a narrower queryset) as
`enterprises`; only active enterprises are assessed.

Which value a fact takes: a yearly feature reads period "YYYY" of the last full year before
`as_of` (lag −1 the year before…); a current-state feature reads the latest period not after
as_of's year. When both an administrative record and the enterprise's declaration exist, the
administrative record wins. Every fact used is returned with its provenance, period and source,
so a page can name where each figure came from (DOMAIN.md).

Honors: a title counts as held from its award year for HONOR_VALID_YEARS years (the registry
keeps years, not dates); a srdi title counts only at provincial or national level. The
创新型中小企业 title (`tier_innovative_sme`, which the 专精特新 rules ask for) is the
registry's title while it is valid; without one, the enterprise's declaration stands.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet

from gongxin.analytics import catalog
from gongxin.analytics.catalog import PROVENANCE_LABELS, Provenance
from gongxin.enterprises.choices import HonorKind, HonorLevel
from gongxin.enterprises.models import Enterprise, EnterpriseFigure, Honor
from gongxin.evaluation.tiers import rules
from gongxin.evaluation.tiers.features import FIGURE_CODES, HOLDS_CODES
from gongxin.evaluation.tiers.results import OUTCOME_ORDER, Fact, TierResult

TITLE_YEARS = 3  # 专精特新 and 小巨人 titles last three years, then are reviewed
HONOR_VALID_YEARS = {
    HonorKind.INNOVATIVE_SME: TITLE_YEARS,
    HonorKind.HIGH_TECH: 3,  # 高新技术企业 certificates run three years
    HonorKind.TECH_SME: 1,  # 科技型中小企业 are registered for the year
    HonorKind.SRDI: TITLE_YEARS,
    HonorKind.LITTLE_GIANT: TITLE_YEARS,
}
SRDI_LEVELS = frozenset({HonorLevel.PROVINCIAL, HonorLevel.NATIONAL})
HOLDS = {"holds_high_tech": HonorKind.HIGH_TECH, "holds_tech_sme": HonorKind.TECH_SME,
         "holds_srdi": HonorKind.SRDI}  # fmt: skip
TITLES = {"innovative": HonorKind.INNOVATIVE_SME, "srdi": HonorKind.SRDI,
          "little_giant": HonorKind.LITTLE_GIANT}  # fmt: skip
INNOVATIVE_FLAG = "tier_innovative_sme"
PREFERENCE = {Provenance.ADMIN: 0, Provenance.DECLARED: 1}


@dataclass(frozen=True)
class FactSource:
    provenance: str  # admin | declared | registry
    period: str
    source: str = ""

    @property
    def provenance_label(self) -> str:
        return PROVENANCE_LABELS.get(self.provenance, self.provenance)


@dataclass(frozen=True)
class Candidate:
    """One enterprise under one tier's rule set: the result, the facts it read and where
    each came from, and whether it already holds the tier's title."""

    enterprise: Enterprise
    result: TierResult
    facts: dict[str, Fact] = field(default_factory=dict)
    sources: dict[str, FactSource] = field(default_factory=dict)
    holds_title: bool = False


@dataclass(frozen=True)
class ReviewDue:
    """A title awarded TITLE_YEARS or more years ago, with the enterprise's result under the
    rule set now in force, in review mode."""

    enterprise: Enterprise
    tier: str
    honor_year: int
    honor_level: str
    years_since: int
    result: TierResult
    facts: dict[str, Fact] = field(default_factory=dict)
    sources: dict[str, FactSource] = field(default_factory=dict)


def candidates(
    tier: str,
    as_of: date,
    enterprises: QuerySet[Enterprise] | None = None,
    *,
    include_holders: bool = False,
) -> list[Candidate]:
    """Every active enterprise's result for the tier on `as_of` (application mode), best
    first: qualified, pending manual review, near, incomplete, not qualified; within each,
    by points, then by the fewest criteria still to meet. Enterprises already holding the
    tier's title are left out unless `include_holders`."""
    rule_set = rules.in_force(tier, as_of)
    scope = _active(enterprises)
    firms = list(scope)
    sheets = _sheets(rule_set, as_of, scope, [f.pk for f in firms], extra=_title_codes(tier))
    keys = rule_set.fact_keys()
    out = []
    for firm in firms:
        facts, sources, honors = sheets[firm.pk]
        holds = _holds_title(tier, facts, honors, as_of)
        if holds and not include_holders:
            continue
        wanted = {k: v for k, v in facts.items() if k in keys}
        result = rules.evaluate(rule_set, wanted)
        out.append(Candidate(firm, result, wanted, sources, holds))
    out.sort(key=lambda c: _rank(c.result, c.enterprise.name))
    return out


def due_for_review(as_of: date, enterprises: QuerySet[Enterprise] | None = None) -> list[ReviewDue]:
    """Enterprises whose latest 创新型, srdi (provincial or national) or little_giant title was
    awarded TITLE_YEARS or more years before `as_of`'s year, each with its result for that
    tier under the rule set in force (review mode); the longest due first."""
    scope = _active(enterprises)
    latest: dict[tuple[int, str], Honor] = {}
    for honor in Honor.objects.filter(
        enterprise__in=scope.values("pk"), kind__in=TITLES.values(), year__lte=as_of.year
    ).select_related("enterprise"):
        if honor.kind == HonorKind.SRDI and honor.level not in SRDI_LEVELS:
            continue
        key = (honor.enterprise_id, honor.kind)
        if key not in latest or honor.year > latest[key].year:
            latest[key] = honor
    due = [h for h in latest.values() if as_of.year - h.year >= TITLE_YEARS]
    out = []
    for tier, kind in TITLES.items():
        honors = [h for h in due if h.kind == kind]
        if not honors:
            continue
        rule_set = rules.in_force(tier, as_of)
        ids = [h.enterprise_id for h in honors]
        sheets = _sheets(rule_set, as_of, Enterprise.objects.filter(pk__in=ids), ids)
        for honor in honors:
            facts, sources, _ = sheets[honor.enterprise_id]
            result = rules.evaluate(rule_set, facts, mode="review")
            out.append(ReviewDue(
                honor.enterprise, tier, honor.year, honor.level, as_of.year - honor.year,
                result, facts, sources,
            ))  # fmt: skip
    out.sort(key=lambda r: (r.honor_year, *_rank(r.result, r.enterprise.name)))
    return out


def facts_of(
    rule_set: rules.RuleSet, as_of: date, enterprises: QuerySet[Enterprise]
) -> dict[int, tuple[dict[str, Fact], dict[str, FactSource]]]:
    """enterprise id → (facts, sources) the rule set reads on `as_of`: what a page showing
    one enterprise's assessment, or a declaration form, needs."""
    ids = list(enterprises.values_list("pk", flat=True))
    sheets = _sheets(rule_set, as_of, enterprises, ids)
    return {pk: (facts, sources) for pk, (facts, sources, _) in sheets.items()}


# ------------------------------------------------------------------------------------------


def _active(enterprises: QuerySet[Enterprise] | None) -> QuerySet[Enterprise]:
    scope = enterprises if enterprises is not None else Enterprise.objects.all()
    return scope.filter(is_active=True)


def _title_codes(tier: str) -> frozenset[str]:
    return frozenset({INNOVATIVE_FLAG}) if tier == "innovative" else frozenset()


def _holds_title(tier: str, facts: dict[str, Fact], honors: dict[str, int], as_of: date) -> bool:
    if tier == "innovative" and facts.get(INNOVATIVE_FLAG) is True:  # declared or registry
        return True
    year = honors.get(TITLES[tier])
    return year is not None and as_of.year - year < TITLE_YEARS


def _rank(result: TierResult, name: str) -> tuple[int, Decimal, int, str]:
    return (OUTCOME_ORDER.index(result.status), -(result.total or Decimal(0)), result.to_fix, name)


def _period(as_of: date, lag: int) -> str:
    return str(as_of.year - 1 + lag)


Sheet = tuple[dict[str, Fact], dict[str, FactSource], dict[str, int]]


def _sheets(
    rule_set: rules.RuleSet,
    as_of: date,
    scope: QuerySet[Enterprise],
    ids: list[int],
    extra: frozenset[str] = frozenset(),
) -> dict[int, Sheet]:
    """enterprise id (every one of `ids`) → (facts, sources, latest title award year by
    kind), in two queries."""
    keys = set(rule_set.fact_keys()) | set(extra)
    yearly: dict[tuple[str, str], str] = {}  # (code, period) → key
    current: set[str] = set()
    for key in keys:
        code, lag = rules.split_key(key)
        if code not in FIGURE_CODES:
            continue
        if catalog.get(code).period_rule == "year":
            yearly[(code, _period(as_of, lag))] = key
        else:
            current.add(code)
    wanted = Q(feature__in=current, period__lte=str(as_of.year))
    for code, period in yearly:
        wanted |= Q(feature=code, period=period)
    rows = (
        EnterpriseFigure.objects.filter(enterprise__in=scope.values("pk"))
        .filter(wanted)
        .values_list("enterprise_id", "feature", "period", "value", "provenance", "source")
    )
    best: dict[tuple[int, str], tuple[tuple[int, int], Decimal, FactSource]] = {}
    for enterprise_id, code, period, value, provenance, source in rows:
        if code in current:
            if len(period) != 4:  # a quarter or month of another feature family
                continue
            key, order = code, -int(period)
        else:
            key, order = yearly[(code, period)], 0
        rank = (order, PREFERENCE.get(provenance, 9))
        slot = (enterprise_id, key)
        if slot not in best or rank < best[slot][0]:
            best[slot] = (rank, value, FactSource(provenance, period, source))
    sheets: dict[int, Sheet] = {pk: ({}, {}, {}) for pk in ids}
    for (enterprise_id, key), (_, value, source) in best.items():
        if enterprise_id not in sheets:
            continue
        facts, sources, _ = sheets[enterprise_id]
        code = rules.split_key(key)[0]
        facts[key] = value != 0 if catalog.get(code).kind == "flag" else value
        sources[key] = source
    _read_honors(keys, as_of, scope, sheets)
    return sheets


def _read_honors(
    keys: set[str],
    as_of: date,
    scope: QuerySet[Enterprise],
    sheets: dict[int, Sheet],
) -> None:
    """The holds_* facts (True or False, never missing: the registry is the record), a valid
    创新型 title as `tier_innovative_sme` (over the declaration), and the latest award year of
    each title of every enterprise in scope."""
    asked = {key: HOLDS[key] for key in keys if key in HOLDS_CODES}
    kinds = {*asked.values(), *TITLES.values()}
    latest: dict[tuple[int, str], int] = {}
    for enterprise_id, kind, level, year in Honor.objects.filter(
        enterprise__in=scope.values("pk"), kind__in=kinds, year__lte=as_of.year
    ).values_list("enterprise_id", "kind", "level", "year"):
        if kind == HonorKind.SRDI and level not in SRDI_LEVELS:
            continue
        latest[(enterprise_id, kind)] = max(year, latest.get((enterprise_id, kind), 0))
    for enterprise_id, (facts, sources, honors) in sheets.items():
        for kind in TITLES.values():
            if (enterprise_id, kind) in latest:
                honors[kind] = latest[(enterprise_id, kind)]
        for key, kind in asked.items():
            year = latest.get((enterprise_id, kind))
            facts[key] = year is not None and as_of.year - year < HONOR_VALID_YEARS[kind]
            period = str(year) if year is not None else ""
            sources[key] = FactSource(Provenance.REGISTRY, period, "荣誉资质")
        year = honors.get(HonorKind.INNOVATIVE_SME)
        if INNOVATIVE_FLAG in keys and year is not None and as_of.year - year < TITLE_YEARS:
            facts[INNOVATIVE_FLAG] = True
            sources[INNOVATIVE_FLAG] = FactSource(Provenance.REGISTRY, str(year), "荣誉资质")
