"""`gongxin targets extract [--json]`: the quantitative targets in Chinese text on stdin.

With --json the output is a JSON list of {text, indicator, comparator, value, value_max,
unit, hedge} (see gongxin.supervision.extraction); without it, one line per target.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from gongxin.supervision.extraction import Target, extract_targets, targets_json

_SYMBOLS = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<", "approx": "≈", "eq": "=", "range": ""}


def main(stdin_text: str) -> str:
    """What `gongxin targets extract --json` prints for ``stdin_text``."""
    return targets_json(stdin_text)


def as_line(target: Target) -> str:
    """ "新增省级以上绿色制造示范企业 ≥ 15家" — the plain-text listing."""
    if target.comparator == "range":
        value = f"{target.value}至{target.value_max}"
    else:
        value = f"{_SYMBOLS[target.comparator]} {target.value}"
    hedge = f"（{target.hedge}）" if target.hedge else ""
    return f"{target.indicator} {value}{target.unit}{hedge}"


class Command(BaseCommand):
    help = "目标管理：从标准输入读取中文文本，提取其中的量化目标。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="操作")
        extract = actions.add_parser(
            "extract",
            help="提取量化目标（指标、比较符、数值、单位、力争）",
            description="从标准输入读取中文文本，输出其中的量化目标。",
        )
        extract.add_argument("--json", action="store_true", help="以 JSON 列表输出")

    def handle(self, *args, action: str, **options):
        if action != "extract":  # argparse already refuses others; kept for clarity
            raise CommandError(f"未知操作：{action}")
        text = sys.stdin.read()
        if options.get("json"):
            self.stdout.write(main(text))
            return
        for target in extract_targets(text):
            self.stdout.write(as_line(target))
