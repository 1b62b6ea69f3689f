"""`gongxin cultivation assess --tier 1|2|3 [--as-of YYYY-MM-DD] --json`: the 梯度培育
candidate list of a tier (1 创新型, 2 专精特新, 3 小巨人) under the rule set in force on the
date (default today), from tiers.services.candidates — every active enterprise not already
holding the tier's title, best first. One item per enterprise:
  {uscc, rules ("2022" | "2026": the year of the rule set's document), result (pass | fail |
   manual_review), score (the points total where the set scores points, else null),
   category_scores ({points group: points} or null), criteria [{code, category, actual,
   threshold, met, gap, points, manual}]}.
`result`: qualified → pass, qualified_pending_manual → manual_review, anything else (near,
incomplete, not qualified) → fail. Points are those certain now (manual items and missing
figures at 0). `criteria` flattens the result's trees, parents before their children; a
criterion's category is its points group (as in category_scores) for a points item, else
"conditions" or "alternatives" (直通条件). `met` is true only for a met criterion: a missing
figure or a manual check is not met (`manual` tells the latter apart).
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

TIERS = {"1": "innovative", "2": "srdi", "3": "little_giant"}
RESULTS = {"qualified": "pass", "qualified_pending_manual": "manual_review"}
RESULT_WORDS = {"pass": "符合", "manual_review": "待人工审核", "fail": "不符合"}
YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


class Command(BaseCommand):
    help = "优质中小企业梯度培育工具。子命令：assess（按在用的认定规则评估某一梯度的候选企业）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", title="子命令", required=True)
        assess = sub.add_parser("assess", help="评估某一梯度的候选企业")
        assess.add_argument(
            "--tier",
            required=True,
            choices=sorted(TIERS),
            help="梯度：1 创新型中小企业，2 专精特新中小企业，3 专精特新“小巨人”企业",
        )
        assess.add_argument(
            "--as-of", default="", help="依据日期 YYYY-MM-DD（默认今天），取当日有效的规则集"
        )
        assess.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, action: str, **options):
        if action == "assess":
            self._assess(**options)

    def _assess(self, *, tier: str, as_of: str, json: bool, **_):
        from gongxin.evaluation.tiers import rules, services

        try:
            when = date.fromisoformat(as_of) if as_of else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"依据日期“{as_of}”无效，应为YYYY-MM-DD。") from error
        try:
            rule_set = rules.in_force(TIERS[tier], when)
            found = services.candidates(TIERS[tier], when)
        except rules.TierRuleError as error:
            raise CommandError(error.message) from error
        items = [candidate_item(c, rule_set) for c in found]
        if json:
            self.stdout.write(_dumps(items))
            return
        self.stdout.write(
            f"{rule_set.name}（依据日期 {when.isoformat()}）：{len(items)} 家候选企业"
        )
        for candidate, item in zip(found, items, strict=True):
            score = "" if item["score"] is None else f"\t{item['score']}分"
            self.stdout.write(
                f"{item['uscc']}\t{candidate.enterprise.name}\t{RESULT_WORDS[item['result']]}"
                f"{score}\t{candidate.result.summary}"
            )


def candidate_item(candidate, rule_set) -> dict[str, Any]:
    result = candidate.result
    scored = rule_set.points is not None
    return {
        "uscc": candidate.enterprise.uscc,
        "rules": document_year(rule_set),
        "result": RESULTS.get(result.status, "fail"),
        "score": _number(result.total) if scored else None,
        "category_scores": {g.code: _number(g.points) for g in result.groups} if scored else None,
        "criteria": [
            *_criteria(result.conditions, "conditions"),
            *_criteria(result.points, None),
            *_criteria(result.alternatives, "alternatives"),
        ],
    }


def document_year(rule_set) -> str:
    """The year of the rule set's document (工信部企业〔2022〕63号 → "2022"); the year it took
    effect when the document names none."""
    found = YEAR.search(rule_set.document)
    return found.group(1) if found else str(rule_set.valid_from.year)


def _criteria(roots, category: str | None) -> list[dict[str, Any]]:
    from gongxin.evaluation.tiers.results import MANUAL, MET, SKIPPED

    out = []
    for root in roots:
        for c in root.walk():
            out.append({
                "code": c.code, "category": category or root.group,
                "actual": _value(c.actual), "threshold": _value(c.threshold),
                "met": c.status in (MET, SKIPPED), "gap": _number(c.gap),
                "points": _number(c.points), "manual": c.status == MANUAL,
            })  # fmt: skip
    return out


def _value(value: Decimal | bool | None) -> int | float | bool | None:
    return value if value is None or isinstance(value, bool) else _number(value)


def _number(value: Decimal | None) -> int | float | None:
    """A Decimal as a JSON number: whole numbers without a point."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _dumps(payload) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2)
