"""The three real light rule sets (DOMAIN.md), each as data."""

from __future__ import annotations

import pytest

from gongxin.supervision.lights import (
    DEFAULT_PRESET,
    Facts,
    RuleError,
    light_for,
    preset_rules,
    validate_rules,
)


def facts(**kw) -> Facts:
    base = {"days_to_deadline": 30, "overdue": False, "behind": False, "done": False}
    return Facts(**{**base, **kw})


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (facts(), "green"),
        (facts(days_to_deadline=7), "blue"),  # near the deadline
        (facts(days_to_deadline=20, behind=True), "yellow"),  # behind 序时
        (facts(days_to_deadline=5, behind=True), "yellow"),  # behind beats near
        (facts(days_to_deadline=-2, overdue=True, behind=True), "red"),  # overdue beats all
        (facts(days_to_deadline=-2, overdue=True, done=True), "green"),  # finished
        (facts(days_to_deadline=None), "green"),  # no deadline, on track
    ],
)
def test_time_progress_preset_is_the_default(case, expected):
    assert DEFAULT_PRESET == "time_progress"
    assert light_for(case, preset_rules("time_progress")) == expected


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (facts(days_to_deadline=4), "green"),
        (facts(days_to_deadline=3), "yellow"),
        (facts(days_to_deadline=0), "yellow"),
        (facts(days_to_deadline=-1, overdue=True), "red"),
        (facts(days_to_deadline=10, behind=True), "green"),  # this rule set ignores 序时
    ],
)
def test_deadline_preset(case, expected):
    assert light_for(case, preset_rules("deadline")) == expected


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (facts(), "green"),
        (facts(missed_months=1), "yellow"),
        (facts(missed_months=2, missed_quarter_ends=1), "red"),
        (facts(missed_months=3, done=True), "green"),
    ],
)
def test_missed_targets_preset(case, expected):
    assert light_for(case, preset_rules("missed_targets")) == expected


def test_a_malformed_rule_set_is_refused_in_chinese():
    with pytest.raises(RuleError, match="条件“days_left”不存在"):
        validate_rules([{"when": {"days_left": 3}, "light": "red"}])
    with pytest.raises(RuleError, match="灯色“purple”无效"):
        validate_rules([{"when": {}, "light": "purple"}])
