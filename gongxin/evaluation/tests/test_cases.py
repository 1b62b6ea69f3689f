"""Every demo scheme's YAML cases (gongxin/evaluation/cases/) pass: one test per case."""

from __future__ import annotations

import pytest

from gongxin.evaluation import cases
from gongxin.evaluation.schemes import HERE as SCHEMES

OUTCOMES = cases.run_cases()


def test_every_demo_scheme_has_cases():
    import yaml

    covered = {
        yaml.safe_load(p.read_text(encoding="utf-8"))["scheme"]
        for p in cases.CASES_DIR.glob("*.yaml")
    }
    assert covered == {p.stem for p in SCHEMES.glob("*.yaml")}


@pytest.mark.parametrize("outcome", OUTCOMES, ids=[o.label for o in OUTCOMES])
def test_case(outcome):
    assert outcome.passed, outcome.message
