"""Evaluation writes (validated, audited): schemes and their versions, runs, the 公示
notice, objections and the final list. Scoring is engine.py (one pass), classing
classes.py; the facts are read by facts.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongxin.core import audit
from gongxin.core.errors import ConflictError, ServiceError
from gongxin.evaluation import classes, engine, facts, rules
from gongxin.evaluation.models import EnterpriseClass, Objection, Result, Run, Scheme

RULE_FIELDS = ("indicators", "classes", "restrictions", "adjustments")
SCHEME_FIELDS = (
    "name",
    "year",
    "population",
    "min_land_mu",
    "legal_basis",
    "source_note",
    *RULE_FIELDS,
)


# --- schemes -------------------------------------------------------------------------------
@dataclass
class SchemeSpec:
    code: str
    name: str
    year: int
    population: str
    indicators: list
    classes: dict
    restrictions: list
    adjustments: list
    min_land_mu: Decimal | None = None
    legal_basis: str = ""
    source_note: str = ""


def checked_rules(data: Any, *, complete: bool = True) -> dict:
    try:
        return rules.check_scheme(data, complete=complete)
    except rules.SchemeError as error:
        raise ServiceError(error.message) from error


def save_scheme(actor, spec: SchemeSpec, *, expected_version: int | None = None) -> Scheme:
    """Create a scheme, or change its current version: in place while it has no runs, as
    a new version once it has (its runs keep the rules they used). Unchanged → no write."""
    normalised = checked_rules({**spec.__dict__}, complete=False)
    if spec.population not in Scheme.Population.values:
        raise ServiceError(f"参评范围“{spec.population}”无效。")
    values = {name: getattr(spec, name) for name in SCHEME_FIELDS} | normalised
    if values["min_land_mu"] is not None:
        values["min_land_mu"] = Decimal(values["min_land_mu"])
    with transaction.atomic():
        current = Scheme.objects.select_for_update().filter(code=spec.code, is_current=True).first()
        if current and expected_version is not None and current.version != expected_version:
            raise ConflictError(
                f"评价方案“{current.name}”已被他人修改（现为第{current.version}版），请刷新后重新编辑。"
            )
        if current is not None:
            before = audit.snapshot(current, SCHEME_FIELDS)
            if all(_same(getattr(current, k), v) for k, v in values.items()):
                return current
            if not current.runs.exists():
                for name, value in values.items():
                    setattr(current, name, value)
                current.save()
                audit.record(actor, "evaluation.scheme", current, before=before,
                             after=audit.snapshot(current, SCHEME_FIELDS))  # fmt: skip
                return current
            current.is_current = False
            current.save(update_fields=["is_current"])
        scheme = Scheme.objects.create(
            code=spec.code,
            version=(current.version + 1) if current else 1,
            created_by=actor,
            **values,
        )
        audit.record(
            actor, "evaluation.scheme", scheme, after=audit.snapshot(scheme, SCHEME_FIELDS)
        )
        return scheme


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        return a is not None and b is not None and Decimal(a) == Decimal(b)
    return bool(a == b)


def scheme_rules(scheme: Scheme) -> dict:
    return checked_rules({name: getattr(scheme, name) for name in (*RULE_FIELDS, "legal_basis")})


# --- runs ----------------------------------------------------------------------------------
def run_evaluation(actor, scheme: Scheme, *, backend: str = "duckdb") -> tuple[Run, bool]:
    """Score and class the scheme's population on the current data: a draft run, computed
    by `backend` (engine.BACKENDS; they give identical results). The same data and scheme
    as the scheme's latest run (draft, on notice or final) give that run back unchanged
    (False) without computing anything."""
    if not scheme.is_current:
        raise ServiceError(f"“{scheme}”已有新版本，请用现行版本计算。")
    checked = scheme_rules(scheme)
    table, firms, digest = facts.gather(scheme, checked)
    latest = scheme.runs.first()  # draft, on notice or final: the same data give it back
    if latest is not None and latest.inputs_digest == digest:
        return latest, False
    if not firms:
        raise ServiceError(
            f"{scheme.year}年没有符合“{scheme.get_population_display()}”的参评企业。"
        )
    rows = engine.evaluate(table, checked, backend=backend).to_pylist()
    with transaction.atomic():
        run = Run.objects.create(scheme=scheme, inputs_digest=digest, created_by=actor,
                                 evaluated=sum(1 for r in rows if not r["exempt"]))  # fmt: skip
        _write_results(run, checked, rows, firms)
        audit.record(actor, "evaluation.run", run, after={"scheme": str(scheme), "digest": digest,
                                                         "evaluated": run.evaluated})  # fmt: skip
    return run, True


def _write_results(run: Run, checked: dict, rows: list[dict], firms: dict[int, dict]) -> None:
    """engine.evaluate's rows as Result records (the reason as its dict, per classes.reason)."""
    flags = engine.flag_codes(checked)
    results = []
    for row in rows:
        indicators = [
            {"feature": item["feature"], "weight": item["weight"], "value": _s(row[f"value_{i}"]),
             "benchmark": _s(row[f"benchmark_{i}"]), "score": _s(row[f"score_{i}"])}
            for i, item in enumerate(checked["indicators"])
        ]  # fmt: skip
        reason = classes.reason({**row, "flags": {code: row[code] for code in flags}}, checked)
        reason["adjustment"] = _s(row["adjustment"] or Decimal(0))
        info = firms[row["enterprise_id"]]
        results.append(Result(
            run=run, enterprise_id=row["enterprise_id"], score=row["total"], klass=row["klass"],
            rank=row["rank"], reason=reason, indicators=indicators,
            region_id=info["region_id"], industry_code=info["industry_code"],
        ))  # fmt: skip
    Result.objects.bulk_create(results, batch_size=1000)


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def publish_notice(actor, run: Run, until: date, *, today: date | None = None) -> Run:
    """Put a draft run on 公示 until `until` (the objection window, inclusive)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        run = Run.objects.select_for_update().get(pk=run.pk)
        if run.status != Run.Status.DRAFT:
            raise ServiceError("只有草稿可以公示。")
        if until < today:
            raise ServiceError("公示截止日期不能早于今天。")
        newer = run.scheme.runs.filter(status=Run.Status.DRAFT, pk__gt=run.pk).exists()
        if newer or not run.scheme.is_current:
            raise ServiceError("该结果已不是最新计算结果，请公示最新的一次。")
        run.status, run.notice_until, run.published_at = Run.Status.NOTICE, until, timezone.now()
        run.version += 1
        run.save()
        audit.record(actor, "evaluation.notice", run, after={"until": str(until)})
    return run


def submit_objection(
    actor, result: Result, text: str, evidence: str, *, today: date | None = None
) -> Objection:
    """An objection during the notice window, by the enterprise itself or by bureau staff
    on its behalf; evidence is required."""
    from gongxin.accounts.choices import Role

    run, today = result.run, today or timezone.localdate()
    if run.status != Run.Status.NOTICE or (run.notice_until and today > run.notice_until):
        raise ServiceError("不在公示期内，不能提出异议。")
    if getattr(actor, "role", None) == Role.ENTERPRISE and actor.uscc != result.enterprise.uscc:
        raise ServiceError("只能对本企业的评价结果提出异议。")
    if not text.strip() or not evidence.strip():
        raise ServiceError("请写明异议内容并提供证明材料。")
    with transaction.atomic():
        objection = Objection.objects.create(result=result, text=text.strip(), evidence=evidence.strip(),
                                             submitted_by=actor)  # fmt: skip
        audit.record(actor, "evaluation.objection", objection, after={"text": objection.text})
    return objection


def resolve_objection(actor, objection: Objection, *, accept: bool, resolution: str,
                      corrections: list[dict] | None = None) -> Objection:  # fmt: skip
    """Accept (with the corrected figures: [{feature, value}], written with the objection
    as their source) or reject, with a reason. The run is re-scored at finalisation."""
    from gongxin.analytics import catalog
    from gongxin.enterprises.services import apply_figures

    if not resolution.strip():
        raise ServiceError("请填写处理意见。")
    with transaction.atomic():
        objection = (
            Objection.objects.select_for_update()
            .select_related("result__run__scheme")
            .get(pk=objection.pk)
        )
        if objection.status != Objection.Status.OPEN:
            raise ServiceError("该异议已处理。")
        scheme = objection.result.run.scheme
        allowed = set(engine.input_codes(scheme_rules(scheme))) | set(
            engine.flag_codes(scheme_rules(scheme))
        )
        rows = []
        for c in corrections or []:
            if c["feature"] not in allowed:
                raise ServiceError(f"“{c['feature']}”不是本方案读取的数据，不能在此更正。")
            rows.append({"enterprise_id": objection.result.enterprise_id, "feature": c["feature"],
                         "period": str(scheme.year), "value": Decimal(str(c["value"])),
                         "provenance": catalog.get(c["feature"]).provenance,
                         "source": f"评价异议更正（异议#{objection.pk}）"})  # fmt: skip
        if rows and not accept:
            raise ServiceError("未采纳的异议不能更正数据。")
        if rows:
            apply_figures(actor, rows, reason=f"评价异议#{objection.pk}：{resolution.strip()}")
        objection.status = Objection.Status.ACCEPTED if accept else Objection.Status.REJECTED
        objection.resolution, objection.resolved_by, objection.resolved_at = (
            resolution.strip(),
            actor,
            timezone.now(),
        )
        objection.save()
        audit.record(actor, "evaluation.objection.resolve", objection,
                     after={"status": objection.status, "resolution": objection.resolution,
                            "corrections": [{k: str(v) for k, v in c.items()} for c in corrections or []]})  # fmt: skip
    return objection


def finalize(actor, run: Run, *, today: date | None = None) -> Run:
    """The final list after the notice window: the population re-scored on the corrected
    data (every firm, since benchmarks move with any correction). Unchanged data → the
    notice run becomes final; otherwise a new final run supersedes it. Either way the
    published classes (`EnterpriseClass`) of the year are replaced."""
    if run.status != Run.Status.NOTICE:
        raise ServiceError("只有公示中的结果可以公布。")
    if run.notice_until and (today or timezone.localdate()) <= run.notice_until:
        raise ServiceError(f"公示期至{run.notice_until:%Y年%m月%d日}，期满后才能公布。")
    if Objection.objects.filter(result__run=run, status=Objection.Status.OPEN).exists():
        raise ServiceError("还有未处理的异议，处理完毕后才能公布。")
    scheme = run.scheme
    checked = scheme_rules(scheme)
    table, firms, digest = facts.gather(scheme, checked)
    with transaction.atomic():
        locked = Run.objects.select_for_update().get(pk=run.pk)
        if locked.status != Run.Status.NOTICE:
            raise ServiceError("该结果已公布。")
        now = timezone.now()
        if digest == locked.inputs_digest:
            final = locked
            final.status, final.finalized_at = Run.Status.FINAL, now
            final.version += 1
            final.save()
        else:
            rows = engine.evaluate(table, checked).to_pylist()
            final = Run.objects.create(
                scheme=scheme, status=Run.Status.FINAL, inputs_digest=digest, supersedes=locked,
                created_by=actor, finalized_at=now, published_at=locked.published_at,
                notice_until=locked.notice_until, evaluated=sum(1 for r in rows if not r["exempt"]),
            )  # fmt: skip
            _write_results(final, checked, rows, firms)
        _publish_classes(final)
        audit.record(actor, "evaluation.final", final,
                     after={"supersedes": locked.pk if final.pk != locked.pk else None, "digest": digest})  # fmt: skip
    return final


def _publish_classes(run: Run) -> None:
    year = run.scheme.year
    ids = list(run.results.values_list("enterprise_id", flat=True))
    EnterpriseClass.objects.filter(year=year, enterprise_id__in=ids).delete()
    EnterpriseClass.objects.bulk_create(
        [EnterpriseClass(enterprise_id=r.enterprise_id, year=year, klass=r.klass, run=run)
         for r in run.results.only("enterprise_id", "klass")],
        batch_size=1000,
    )  # fmt: skip


# --- copying a scheme to another year ------------------------------------------------------
def copy_scheme(actor, source: Scheme, *, code: str, name: str, year: int) -> Scheme:
    """A new scheme (version 1 of `code`) for another year, starting from `source`'s rules,
    population and notes; saved and audited by save_scheme. A code already used (by any
    version, or by a copy saved at the same moment) is refused."""
    from django.db import IntegrityError

    code, name = code.strip(), name.strip()
    taken = ServiceError(f"方案代码“{code}”已被使用，请换一个代码。")
    if not code or not name:
        raise ServiceError("请填写新方案的代码和名称。")
    if Scheme.objects.filter(code=code).exists():
        raise taken
    spec = SchemeSpec(
        code=code, name=name, year=year, population=source.population,
        indicators=source.indicators, classes=source.classes,
        restrictions=source.restrictions, adjustments=source.adjustments,
        min_land_mu=source.min_land_mu, legal_basis=source.legal_basis,
        source_note=source.source_note,
    )  # fmt: skip
    try:
        # expected version 0: never a scheme's version, so one created meanwhile conflicts
        return save_scheme(actor, spec, expected_version=0)
    except (ConflictError, IntegrityError):
        raise taken from None
