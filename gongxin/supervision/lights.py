"""Lights (亮灯) as data: a rule set is an ordered list of (conditions → light); the first
rule whose conditions all hold gives the item's light, else green.

Conditions read an item's facts (`Facts`): days to its deadline, whether it is overdue,
whether it is behind 序时, how many monthly periods and quarter ends it missed. The three
presets are the practices DOMAIN.md records; a bureau may choose one per plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gongxin.supervision.choices import Light


@dataclass(frozen=True)
class Facts:
    days_to_deadline: int | None  # None: no deadline
    overdue: bool
    behind: bool
    done: bool
    missed_months: int = 0
    missed_quarter_ends: int = 0


# condition name → test over (facts, threshold)
CONDITIONS: dict[str, Any] = {
    "overdue": lambda f, v: f.overdue is bool(v),
    "behind": lambda f, v: f.behind is bool(v),
    "done": lambda f, v: f.done is bool(v),
    "days_to_deadline_le": lambda f, v: (
        f.days_to_deadline is not None and 0 <= f.days_to_deadline <= v
    ),
    "missed_months_ge": lambda f, v: f.missed_months >= v,
    "missed_quarter_ends_ge": lambda f, v: f.missed_quarter_ends >= v,
}

PRESETS: dict[str, dict[str, Any]] = {
    "time_progress": {
        "label": "序时进度：临近节点蓝灯，落后序时黄灯，逾期红灯",
        "rules": [
            {"when": {"done": True}, "light": Light.GREEN},
            {"when": {"overdue": True}, "light": Light.RED},
            {"when": {"behind": True}, "light": Light.YELLOW},
            {"when": {"days_to_deadline_le": 7}, "light": Light.BLUE},
        ],
    },
    "deadline": {
        "label": "办结时限：剩余3天内黄灯，逾期红灯",
        "rules": [
            {"when": {"done": True}, "light": Light.GREEN},
            {"when": {"overdue": True}, "light": Light.RED},
            {"when": {"days_to_deadline_le": 3}, "light": Light.YELLOW},
        ],
    },
    "missed_targets": {
        "label": "目标考核：未完成月度目标黄灯，未完成季度目标红灯",
        "rules": [
            {"when": {"done": True}, "light": Light.GREEN},
            {"when": {"missed_quarter_ends_ge": 1}, "light": Light.RED},
            {"when": {"missed_months_ge": 1}, "light": Light.YELLOW},
        ],
    },
}
DEFAULT_PRESET = "time_progress"
# Without django-stubs mypy sees a TextChoices member as its (value, label) tuple.
GREEN: str = Light.GREEN.value  # type: ignore[attr-defined]


class RuleError(ValueError):
    pass


def validate_rules(rules: list[dict[str, Any]]) -> None:
    """A malformed rule set is refused with a Chinese message, never evaluated."""
    for number, rule in enumerate(rules, start=1):
        if rule.get("light") not in Light.values:
            raise RuleError(f"第{number}条规则的灯色“{rule.get('light')}”无效。")
        for name in rule.get("when", {}):
            if name not in CONDITIONS:
                raise RuleError(f"第{number}条规则的条件“{name}”不存在。")


def light_for(facts: Facts, rules: list[dict[str, Any]]) -> str:
    for rule in rules:
        if all(CONDITIONS[name](facts, value) for name, value in rule["when"].items()):
            return str(rule["light"])
    return GREEN


def preset_rules(name: str) -> list[dict[str, Any]]:
    return PRESETS.get(name, PRESETS[DEFAULT_PRESET])["rules"]


for _preset in PRESETS.values():
    validate_rules(_preset["rules"])
