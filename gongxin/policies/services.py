"""Policy library writes (validated, audited) and matching: one SQL pass per clause over
all enterprises, results stored with their structured explanations and history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from gongxin.analytics.runners import live_dialect
from gongxin.core import audit
from gongxin.core.errors import ConflictError, ServiceError
from gongxin.policies import awards, criteria, explain
from gongxin.policies.compiler import Context, compile_clause
from gongxin.policies.feature_table import FeatureTable
from gongxin.policies.models import Clause, ClauseParameter, Match, MatchChange, MatchRun, Policy


# --- the library ----------------------------------------------------------------------------
def parameter_value(clause: Clause, name: str, as_of: date) -> tuple[Any, str] | None:
    found = (
        ClauseParameter.objects.filter(clause=clause, name=name, effective_from__lte=as_of)
        .order_by("-effective_from")
        .first()
    )
    return None if found is None else (found.value, found.unit)


def checked_criteria(clause: Clause, as_of: date | None = None) -> dict:
    """The clause's criteria normalised for `as_of` (parameters resolved), or ServiceError."""
    when = as_of or timezone.localdate()
    try:
        return criteria.check(
            clause.criteria,
            set(clause.provenances),
            lambda name: parameter_value(clause, name, when),
        )
    except criteria.CriteriaError as error:
        raise ServiceError(f"条款“{clause.title}”：{error.message}") from error


POLICY_FIELDS = ("title", "issuer", "doc_number", "effective_from", "effective_to", "source_text")


def save_policy(actor, data: dict) -> tuple[Policy, bool]:
    """Create or update a policy document by its code (audited)."""
    with transaction.atomic():
        policy = Policy.objects.filter(code=data["code"]).first()
        created = policy is None
        before = None if created else audit.snapshot(policy, POLICY_FIELDS)
        policy = policy or Policy(code=data["code"])
        for name in POLICY_FIELDS:
            setattr(policy, name, data.get(name, getattr(policy, name)))
        after = audit.snapshot(policy, POLICY_FIELDS)
        if before != after:
            if not created:
                policy.version += 1
            policy.save()
            audit.record(actor, "policy.save", policy, before=before, after=after)
        return policy, created


@dataclass
class ClauseSpec:
    code: str
    title: str
    criteria: dict
    provenances: list[str]
    text: str = ""
    mode: str = Clause.Mode.APPLY
    year: int | None = None
    award: dict = field(default_factory=dict)
    exclusive_group: str = ""
    parameters: list[dict] = field(
        default_factory=list
    )  # name, label, value, unit, effective_from, document


def save_clause(
    actor, policy: Policy, spec: ClauseSpec, *, expected_version: int | None = None
) -> Clause:
    """Create or replace a clause after checking its criteria and award rule on every date
    a parameter takes effect; nothing is written when either is refused, and an unchanged
    clause writes nothing."""
    with transaction.atomic():
        clause = Clause.objects.select_for_update().filter(policy=policy, code=spec.code).first()
        if clause and expected_version is not None and clause.version != expected_version:
            raise ConflictError(f"条款“{clause.title}”已被他人修改，请刷新后重新编辑。")
        before = audit.snapshot(clause, CLAUSE_FIELDS) if clause else None
        clause = clause or Clause(policy=policy, code=spec.code)
        for name in ("title", "text", "mode", "year", "criteria", "provenances", "exclusive_group"):
            setattr(clause, name, getattr(spec, name))
        try:
            clause.award = awards.check(spec.award)
        except awards.AwardError as error:
            raise ServiceError(f"条款“{spec.title}”：{error.message}") from error
        _check_award_sources(clause)
        award_conditions(clause)
        after = audit.snapshot(clause, CLAUSE_FIELDS)
        if before != after:
            if clause.pk:
                clause.version += 1
            clause.save()
            audit.record(actor, "policy.clause", clause, before=before, after=after)
        for p in spec.parameters:
            _save_parameter(actor, clause, p)
        for when in {p["effective_from"] for p in spec.parameters} or {timezone.localdate()}:
            checked_criteria(clause, when)  # raises, and the transaction rolls back
        return clause


def award_conditions(clause: Clause, as_of: date | None = None) -> list[dict]:
    """The award's higher-rate conditions, checked like the criteria (catalog codes, units,
    the clause's allowed sources)."""
    when = as_of or timezone.localdate()
    out = []
    for tree in awards.conditions(clause.award):
        try:
            out.append(
                criteria.check(
                    tree, set(clause.provenances), lambda n: parameter_value(clause, n, when)
                )
            )
        except criteria.CriteriaError as error:
            raise ServiceError(f"条款“{clause.title}”的提高比例条件：{error.message}") from error
    return out


def _check_award_sources(clause: Clause) -> None:
    from gongxin.analytics.catalog import PROVENANCE_LABELS, Provenance
    from gongxin.policies import features

    for code in awards.base_features(clause.award):
        read = features.provenances_read(code) - {Provenance.REGISTRY}
        if not read <= set(clause.provenances):
            names = "、".join(PROVENANCE_LABELS[p] for p in sorted(read))
            raise ServiceError(
                f"条款“{clause.title}”：奖补基数的数据来源为{names}，本条款未允许读取。"
            )


def _save_parameter(actor, clause: Clause, p: dict) -> None:
    values = {"label": p["label"], "value": p["value"], "unit": p.get("unit", ""),
              "document": p["document"], "note": p.get("note", "")}  # fmt: skip
    found = ClauseParameter.objects.filter(
        clause=clause, name=p["name"], effective_from=p["effective_from"]
    ).first()
    if found is not None and all(getattr(found, k) == v for k, v in values.items()):
        return
    before = None if found is None else {k: getattr(found, k) for k in values}
    found = found or ClauseParameter(
        clause=clause, name=p["name"], effective_from=p["effective_from"]
    )
    for k, v in values.items():
        setattr(found, k, v)
    found.save()
    audit.record(actor, "policy.parameter", found, before=before, after=values)


CLAUSE_FIELDS = (
    "title",
    "text",
    "mode",
    "year",
    "criteria",
    "provenances",
    "award",
    "exclusive_group",
)


def clauses_in_force(as_of: date, policy_code: str | None = None):
    policies = Policy.objects.filter(effective_from__lte=as_of).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=as_of)
    )
    if policy_code:
        policies = policies.filter(code=policy_code)
    return (
        Clause.objects.filter(policy__in=policies)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=as_of))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=as_of))
        .select_related("policy")
        .order_by("policy__code", "code")
    )


# --- matching ------------------------------------------------------------------------------
@dataclass
class Result:
    policy: str
    clause: str
    clause_id: int
    enterprise_id: int
    uscc: str
    name: str
    status: str
    award: Decimal | None
    award_cap: Decimal | None
    reasons: list[dict]

    def as_json(self) -> dict:
        return {
            "policy": self.policy, "clause": self.clause, "uscc": self.uscc, "status": self.status,
            "award": _float(self.award), "award_cap": _float(self.award_cap),
            "reasons": [{k: r[k] for k in REASON_KEYS} for r in self.reasons],
        }  # fmt: skip


REASON_KEYS = ("feature", "actual", "op", "threshold", "unit", "source", "passed", "text")


def _float(value) -> float | None:
    return None if value is None else float(value)


def survey_period(as_of: date) -> str | None:
    from gongxin.monitoring.models import PeriodRelease

    latest = PeriodRelease.objects.filter(period__lte=f"{as_of:%Y-%m}").order_by("-period").first()
    return latest.period if latest else None


def context_for(clause: Clause, as_of: date) -> Context:
    from gongxin.enterprises.industries import section_ranges

    return Context(
        year=clause.year or as_of.year,
        provenances=frozenset(clause.provenances),
        near_fraction=Decimal(str(settings.POLICY_NEAR_MISS_FRACTION)),
        near_points=Decimal(str(settings.POLICY_NEAR_MISS_POINTS)),
        section_ranges=section_ranges(),
    )


class LiveRunner:
    """The live Django database: the run's feature table rides along as a WITH on each
    clause query (a run is a handful of clauses over thousands of enterprises here)."""

    def __init__(self) -> None:
        self.table: FeatureTable | None = None

    def load(self, table: FeatureTable) -> None:
        self.table = table

    def __call__(self, query) -> list[dict]:
        if self.table is None:
            raise RuntimeError("load the run's feature table first")
        with connection.cursor() as cursor:
            cursor.execute(self.table.attach(query).sql(dialect=live_dialect(), identify=True))
            names = [c[0] for c in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@dataclass
class Job:
    clause: Clause
    leaves: list[dict]
    query: Any


def compile_run(clauses, as_of: date, *, all_rows: bool = False) -> tuple[FeatureTable, list[Job]]:
    """Every clause checked and compiled against one feature table for the run."""
    table = FeatureTable(survey_period(as_of))
    jobs = []
    for clause in clauses:
        query, leaves = compile_clause(
            checked_criteria(clause, as_of), awards.base_features(clause.award),
            context_for(clause, as_of), table, only_matches=not all_rows,
            award_conditions=award_conditions(clause, as_of),
        )  # fmt: skip
        jobs.append(Job(clause, leaves, query))
    return table, jobs


def evaluate_all(clauses, as_of: date, *, all_rows: bool = False, runner=None) -> list[Result]:
    """Every enterprise's result for each clause (eligible and near-miss ones unless
    `all_rows`), one query per clause over the run's feature table. `runner` loads the
    table and runs the queries (the live database by default; DuckDB or Spark over a
    snapshot in policies/backends.py), returning rows as dicts."""
    table, jobs = compile_run(clauses, as_of, all_rows=all_rows)
    if not jobs:
        return []
    runner = runner or LiveRunner()
    runner.load(table)
    return [
        _result(job.clause, job.leaves, row)
        for job in jobs
        for row in sorted(runner(job.query), key=lambda row: row["enterprise_id"])
    ]


def evaluate(clause: Clause, as_of: date, *, all_rows: bool = False, runner=None) -> list[Result]:
    return evaluate_all([clause], as_of, all_rows=all_rows, runner=runner)


def _result(clause: Clause, leaves: list[dict], row: dict) -> Result:
    from gongxin.analytics import catalog

    reasons = []
    for i, leaf in enumerate(leaves):
        feature = catalog.get(leaf["feature"])
        actual = row[f"a_{i}"]
        if isinstance(actual, Decimal | float | int) and not isinstance(actual, bool):
            actual = float(Decimal(str(actual)).quantize(Decimal("0.0001")))
        elif actual is not None:
            actual = str(actual)
        threshold = leaf["value"]
        if leaf["op"] != "in" and not isinstance(threshold, bool):
            threshold = float(Decimal(threshold))
        reason = {
            "feature": leaf["feature"], "actual": actual, "op": leaf["op"], "threshold": threshold,
            "unit": feature.unit, "source": explain.SOURCE_NAMES[feature.provenance],
            "passed": bool(row[f"p_{i}"]), "near": bool(row[f"n_{i}"]),
        }  # fmt: skip
        reason["text"] = explain.text(reason)
        reasons.append(reason)
    status = "eligible" if row["eligible"] else "near_miss" if row["near_miss"] else "ineligible"
    base = None
    if clause.award.get("base"):
        value = row.get(f"b_{clause.award['base']}")
        base = None if value is None else Decimal(str(value))
    applies = tuple(bool(row.get(f"x_{j}")) for j in range(len(clause.award.get("higher", []))))
    award, cap = awards.estimate(clause.award, base, applies) if clause.award else (None, None)
    return Result(
        policy=clause.policy.code, clause=clause.code, clause_id=clause.pk,
        enterprise_id=row["enterprise_id"], uscc=row["uscc"], name=row["name"], status=status,
        award=award if status == "eligible" else None, award_cap=cap, reasons=reasons,
    )  # fmt: skip


def match(as_of: date, policy_code: str | None = None, *, all_rows: bool = False) -> list[Result]:
    clauses = list(clauses_in_force(as_of, policy_code))
    if policy_code and not clauses:
        raise ServiceError(f"政策“{policy_code}”不存在或在{as_of:%Y-%m-%d}不在有效期内。")
    return evaluate_all(clauses, as_of, all_rows=all_rows)


def run_match(actor, as_of: date, policy_code: str | None = None) -> MatchRun | None:
    """Store the results; an unchanged result writes nothing, a changed one appends to the
    match's history (who was eligible when). None when nothing changed."""
    clauses = list(clauses_in_force(as_of, policy_code))
    results = {(r.clause_id, r.enterprise_id): r for r in evaluate_all(clauses, as_of)}
    with transaction.atomic():
        current = {
            (m.clause_id, m.enterprise_id): m
            for m in Match.objects.select_for_update().filter(clause__in=clauses)
        }
        changed: list[tuple[Match | None, Result | None]] = []
        for key, result in results.items():
            existing = current.get(key)
            if existing is None or _differs(existing, result):
                changed.append((existing, result))
        for key, existing in current.items():
            if key not in results and existing.status != Match.Status.INELIGIBLE:
                changed.append((existing, None))
        if not changed:
            return None
        run = MatchRun.objects.create(
            as_of=as_of, started_by=actor, clauses=len(clauses), changed=len(changed)
        )
        for existing, result in changed:
            _apply(run, existing, result)
        audit.record(
            actor, "policy.match", run, after={"as_of": str(as_of), "changed": len(changed)}
        )
        return run


def _differs(match: Match, result: Result) -> bool:
    return (match.status, match.award, match.award_cap, match.reasons) != (
        result.status, result.award, result.award_cap, _stored(result.reasons)
    )  # fmt: skip


def _stored(reasons: list[dict]) -> list[dict]:
    return [{k: r[k] for k in (*REASON_KEYS, "near")} for r in reasons]


def _apply(run: MatchRun, existing: Match | None, result: Result | None) -> None:
    before = existing.status if existing else ""
    if result is None:  # matched before, neither eligible nor near now
        if existing is None:
            return
        match = existing
        match.status, match.award = Match.Status.INELIGIBLE, None
    elif existing is None:
        match = Match(clause_id=result.clause_id, enterprise_id=result.enterprise_id)
    else:
        match = existing
    if result is not None:
        match.status, match.award, match.award_cap = result.status, result.award, result.award_cap
        match.reasons = _stored(result.reasons)
    match.run = run
    match.save()
    MatchChange.objects.create(
        match=match, run=run, before=before, after=match.status, award=match.award
    )
