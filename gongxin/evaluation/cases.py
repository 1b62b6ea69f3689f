"""Evaluation schemes tested as data (like the policy clauses' YAML cases): each file in
gongxin/evaluation/cases/ names a demo scheme (schemes/<code>.yaml) and gives small
populations — each firm's inputs and flags — with the class (and, where worked out by
hand, the score) every firm must get. The cases run the real engine and class order on
those facts alone, without the database.

    scheme: below-scale-2024
    cases:
      - name: 四家企业
        firms:
          甲: {tax_paid: 60, land_area_mu: 10, electricity_year: 30}
        expect:
          甲: {class: B, score: 177.7778}
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import yaml

from gongxin.evaluation import engine, rules
from gongxin.evaluation.schemes import HERE as SCHEMES

CASES_DIR = Path(__file__).resolve().parent / "cases"


@dataclass
class Outcome:
    label: str
    passed: bool
    message: str = ""


def run_cases(scheme: str | None = None) -> list[Outcome]:
    out = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if scheme and data["scheme"] != scheme:
            continue
        spec = yaml.safe_load((SCHEMES / f"{data['scheme']}.yaml").read_text(encoding="utf-8"))
        for case in data["cases"]:
            out.append(run_case(spec, case, f"{data['scheme']}：{case['name']}"))
    return out


def run_case(spec: dict, case: dict, label: str) -> Outcome:
    try:
        checked = rules.check_scheme({**spec, **case.get("scheme", {})})
    except rules.SchemeError as error:
        expected = case.get("refused")
        if expected and expected in error.message:
            return Outcome(label, True)
        return Outcome(label, False, f"方案被拒绝：{error.message}")
    if case.get("refused"):
        return Outcome(label, False, f"方案应被拒绝（{case['refused']}），但通过了检查")
    names = list(case["firms"])
    # the production path: scores and classes in one engine.evaluate
    rows = {
        r["enterprise_id"]: r
        for r in engine.evaluate(_facts(case["firms"], checked), checked).to_pylist()
    }
    problems = []
    for i, name in enumerate(names, 1):
        want = case["expect"].get(name)
        if want is None:
            continue
        got_class, got_score = rows[i]["klass"], rows[i]["total"]
        if got_class != want["class"]:
            problems.append(f"{name}为{got_class}类，应为{want['class']}类")
        if "score" in want and got_score != Decimal(str(want["score"])):
            problems.append(f"{name}得分{got_score}，应为{want['score']}")
    return Outcome(label, not problems, "；".join(problems))


def _facts(firms: dict, checked: dict) -> pa.Table:
    names = list(firms)
    columns: dict[str, pa.Array] = {
        "enterprise_id": pa.array(range(1, len(names) + 1), pa.int64()),
        "uscc": pa.array([f"{i:018d}" for i in range(1, len(names) + 1)]),
        "division": pa.array([firms[n].get("division") for n in names], pa.int32()),
    }
    for code in engine.input_codes(checked):
        values = [firms[n].get(code) for n in names]
        columns[code] = pa.array(
            [None if v is None else Decimal(str(v)).quantize(Decimal("0.0001")) for v in values],
            pa.decimal128(18, 4),
        )
    for code in engine.flag_codes(checked):
        columns[code] = pa.array([bool(firms[n].get(code)) for n in names], pa.bool_())
    for kind in engine.honor_codes(checked):
        columns[f"honor__{kind}"] = pa.array([kind in firms[n].get("honors", []) for n in names])
    return pa.table(columns)
