"""Tier rules tested as data (after OpenFisca's YAML tests): one file per rule set,
gongxin/evaluation/tiers/cases/<scheme>.yaml —

    scheme: srdi-2026
    defaults: {tier_revenue: 3000, tier_sme_size: true, …}   # the firm every case starts from
    cases:
      - name: 营业收入恰为1500万元：“以上”含本数，符合
        facts: {tier_revenue: 1500, tier_main_revenue: 1350}   # over the defaults; null removes one
        mode: review                                           # optional, application by default
        expect:
          status: qualified_pending_manual
          criteria: {revenue: met, debt: not_met}              # criterion code → status
          gaps: {debt: 差0.01个百分点}                          # found in the criterion's gap text
          points: {rnd_ratio_points: 15}                       # points sets: item → points
          total: 95
          groups: {innovation: 35}
          texts: {revenue: 营业收入总额1500万元}                # found in the criterion's text
          to_fix: 1
          missing: [tier_platform_score]

Facts are fact keys (rules.py: catalog codes, `code@-1` for the year before). Evaluation is
pure, so a case needs no database; gongxin/evaluation/tests/test_tiers.py runs each case as
its own test, so adding a case needs no Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from gongxin.evaluation.tiers import rules
from gongxin.evaluation.tiers.results import TierResult

CASES_DIR = Path(__file__).resolve().parent / "cases"
EXPECT_KEYS = {"status", "criteria", "gaps", "points", "total", "total_max", "shortfall",
               "groups", "texts", "to_fix", "missing"}  # fmt: skip


@dataclass(frozen=True)
class Case:
    scheme: str
    name: str
    facts: Mapping[str, Any]
    expect: Mapping[str, Any]
    mode: str
    path: Path

    @property
    def id(self) -> str:
        return f"{self.scheme}：{self.name}"


def collect(directory: Path = CASES_DIR) -> list[Case]:
    cases: list[Case] = []
    for path in sorted(directory.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        defaults = data.get("defaults") or {}
        for case in data["cases"]:
            facts = {**defaults, **(case.get("facts") or {})}
            cases.append(Case(
                scheme=data["scheme"], name=case["name"], facts=facts, expect=case["expect"],
                mode=case.get("mode", "application"), path=path,
            ))  # fmt: skip
    return cases


def run(case: Case) -> TierResult:
    return rules.evaluate(rules.by_code(case.scheme), case.facts, case.mode)


def check(case: Case) -> list[str]:
    """What differs from the expectation, in Chinese; empty when the case passes."""
    result = run(case)
    expect = case.expect
    problems = [f"未知的预期项“{key}”" for key in sorted(set(expect) - EXPECT_KEYS)]
    if "status" in expect and result.status != expect["status"]:
        problems.append(f"结论为{result.status}（{result.summary}），应为{expect['status']}")
    for key in ("total", "total_max", "shortfall", "to_fix"):
        if key in expect and not _same(getattr(result, key), expect[key]):
            problems.append(f"{key}为{getattr(result, key)}，应为{expect[key]}")
    for code, want in (expect.get("criteria") or {}).items():
        found = result.find(code)
        if found is None:
            problems.append(f"没有条件“{code}”")
        elif found.status != want:
            problems.append(f"{code}为{found.status}（{found.text}），应为{want}")
    for code, want in (expect.get("points") or {}).items():
        found = result.find(code)
        if found is None or not _same(found.points, want):
            problems.append(f"{code}得分为{found.points if found else '—'}，应为{want}")
    for field, key in (("gap_text", "gaps"), ("text", "texts")):
        for code, want in (expect.get(key) or {}).items():
            found = result.find(code)
            got = getattr(found, field) if found else ""
            if str(want) not in got:
                problems.append(f"{code}的说明“{got}”中没有“{want}”")
    groups = {g.code: g.points for g in result.groups}
    for code, want in (expect.get("groups") or {}).items():
        if not _same(groups.get(code), want):
            problems.append(f"分组{code}得分为{groups.get(code)}，应为{want}")
    if "missing" in expect and sorted(result.missing) != sorted(expect["missing"]):
        problems.append(f"缺数据为{list(result.missing)}，应为{expect['missing']}")
    return problems


def _same(got: Any, want: Any) -> bool:
    if got is None or want is None:
        return got is None and want is None
    return Decimal(str(got)) == Decimal(str(want))
