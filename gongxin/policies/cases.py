"""Rules tested as data (after OpenFisca's YAML tests): each clause carries cases in
gongxin/policies/cases/<policy>.yaml —

    policy: kmh-2024
    clauses:
      reward:
        - name: 新增3.2亿元、增速16%：符合
          facts: {q1_output_declared: 23200, q1_output_prior_declared: 20000}   # 万元
          expect: {status: eligible, award_cap: 100}

Facts are catalog codes: figures (declared, administrative) of the clause's period,
registry attributes (industry_code), `above_scale` (bool) and `honors` (a list). Each case
runs against one made-up enterprise inside a transaction that is rolled back, so the
database is never changed; the policy itself must be in the database (the demo loads the
seed policies) or given inline under `policy_spec` (then it is rolled back too).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

CASES_DIR = Path(__file__).resolve().parent / "cases"
CASE_USCC = "91370211MA3C8K2L6B"  # a valid code no demo enterprise uses


@dataclass
class Outcome:
    label: str
    passed: bool
    message: str = ""


class _Rollback(Exception):
    pass


def case_files(policy: str | None = None) -> list[Path]:
    files = sorted(CASES_DIR.glob("*.yaml"))
    return [f for f in files if policy is None or f.stem == policy]


def run_cases(policy: str | None = None) -> list[Outcome]:
    outcomes: list[Outcome] = []
    for path in case_files(policy):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for clause_code, cases in data["clauses"].items():
            for case in cases:
                label = f"{data['policy']}/{clause_code}：{case['name']}"
                outcomes.append(_run_one(data, clause_code, case, label))
    return outcomes


def _run_one(data: dict, clause_code: str, case: dict, label: str) -> Outcome:
    outcome = Outcome(label, False, "未运行")
    try:
        with transaction.atomic():
            outcome = _evaluate(data, clause_code, case, label)
            raise _Rollback
    except _Rollback:
        pass
    return outcome


def _evaluate(data: dict, clause_code: str, case: dict, label: str) -> Outcome:
    from gongxin.policies import services
    from gongxin.policies.models import Clause

    clause = (
        Clause.objects.filter(policy__code=data["policy"], code=clause_code)
        .select_related("policy")
        .first()
    )
    if clause is None:
        return Outcome(
            label, False, f"数据库中没有条款 {data['policy']}/{clause_code}（请先加载政策）"
        )
    as_of = case.get("as_of") or data.get("as_of") or clause.policy.effective_from
    if isinstance(as_of, str):
        as_of = date.fromisoformat(as_of)
    enterprise = _enterprise(
        case.get("facts", {}), clause.year or as_of.year, case.get("industry_code", "3442")
    )
    found = [
        r
        for r in services.evaluate(clause, as_of, all_rows=True)
        if r.enterprise_id == enterprise.pk
    ]
    if len(found) != 1:
        return Outcome(label, False, "用例企业未被评估")
    result = found[0]
    problems = []
    expect = case["expect"]
    if result.status != expect["status"]:
        problems.append(f"结果为{result.status}，应为{expect['status']}")
    for key in ("award", "award_cap"):
        if key in expect:
            got = getattr(result, key)
            want = None if expect[key] is None else Decimal(str(expect[key]))
            if (got is None) != (want is None) or (
                got is not None and want is not None and got != want
            ):
                problems.append(f"{key}为{got}，应为{want}")
    for text in expect.get("texts", []):
        if not any(text in r["text"] for r in result.reasons):
            problems.append(f"说明中没有“{text}”")
    return Outcome(label, not problems, "；".join(problems))


def _enterprise(facts: dict[str, Any], year: int, industry_code: str):
    from gongxin.analytics import catalog
    from gongxin.enterprises.models import Enterprise, EnterpriseFigure, Honor, ScaleRecord
    from gongxin.policies.feature_table import figure_period
    from gongxin.policies.features import source_of

    enterprise = Enterprise.objects.create(
        uscc=CASE_USCC,
        name="测试用例企业",
        industry_code=str(facts.get("industry_code", industry_code)),
    )
    for code, value in facts.items():
        source = source_of(code)
        if code == "above_scale":
            ScaleRecord.objects.create(enterprise=enterprise, year=year, above_scale=bool(value))
        elif code == "honors":
            for kind in value:
                Honor.objects.create(enterprise=enterprise, kind=kind, level="national", year=year)
        elif source is not None and source.kind == "figure":
            EnterpriseFigure.objects.create(
                enterprise=enterprise, feature=code, period=figure_period(code, year),
                value=Decimal(str(value)), provenance=catalog.get(code).provenance, source="测试用例",
            )  # fmt: skip
        elif code != "industry_code":
            raise ValueError(f"用例事实“{code}”不能直接设定（只支持申报、行政记录、企业库属性）。")
    return enterprise
