"""`gongxin stats <subcommand>`: statistics tools.

`gongxin stats check-published [--json] < breakdown.json`
    Reads a published breakdown of growth on stdin — {"total_growth": 9.6, "groups":
    [{"name", "growth", "share", "contribution", "pull"}]}, figures optional, percentages
    and points as published — and checks that each group's 拉动 agrees however it is
    estimated (gongxin.analytics.consistency). Prints {"consistent", "tolerance_points",
    "groups": [{"name", "consistent", "implied_pull", "implied_contribution", "message",
    "estimates"}]} with --json, a short Chinese report otherwise. Exits with 1 when a group
    is inconsistent, with 2 when the input cannot be read.

`gongxin stats import PATH [--period] [--unit] [--dry-run] [--json]`
    Imports the monthly statistics (统计月报) through the import framework.

`gongxin stats import-official PATH [--dry-run] [--json]`
    Imports official (published) growth rates at comparable prices (官方发布数据;
    gongxin.monitoring.importers.OfficialFiguresImporter); supervision targets bound to
    them are refreshed in the same transaction. Prints the framework's result shape.

Each subcommand is a subparser plus a `handle_<name>` method, so more (e.g. `import`) slot
in beside it.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gongxin.analytics import consistency


def tolerance_points() -> Decimal:
    value = getattr(settings, "PUBLISHED_CONSISTENCY_TOLERANCE_POINTS", 0.15)
    return value if isinstance(value, Decimal) else Decimal(repr(value))


class Command(BaseCommand):
    help = (
        "统计数据工具。子命令：import（导入统计月报）、import-official（导入官方发布的可比价增速）、"
        "check-published（核对公布数据的贡献率与拉动是否自洽）。"
    )
    # call_command(..., stdin=StringIO(...)) feeds check-published in tests.
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        subparsers = parser.add_subparsers(dest="subcommand", title="子命令", required=True)
        check = subparsers.add_parser(
            "check-published",
            help="从标准输入读取公布的分组增长数据（JSON），核对各组拉动与贡献率是否自洽",
        )
        check.add_argument("--json", action="store_true", help="以 JSON 输出结果")
        load = subparsers.add_parser("import", help="导入统计月报（.xlsx/.xls/.csv）")
        load.add_argument("path")
        load.add_argument("--period", default="", help="统计期 YYYY-MM（文件无“统计期”列时）")
        load.add_argument(
            "--unit",
            default="",
            choices=["", "元", "千元", "万元", "亿元"],
            help="金额单位（表头未注明时）",
        )
        load.add_argument("--dry-run", action="store_true", help="只预览，不写入")
        load.add_argument("--json", action="store_true", help="以 JSON 输出结果")
        official = subparsers.add_parser(
            "import-official", help="导入官方发布数据（可比价增速，.xlsx/.xls/.csv）"
        )
        official.add_argument("path")
        official.add_argument("--dry-run", action="store_true", help="只预览，不写入")
        official.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args, subcommand: str, **options):
        handler = getattr(self, "handle_" + subcommand.replace("-", "_"))
        return handler(**options)

    def handle_import(self, path: str, period: str, unit: str, dry_run: bool, **options) -> None:
        self._import_file("stats", path, {"period": period, "unit": unit}, dry_run)

    def handle_import_official(self, path: str, dry_run: bool, **options) -> None:
        self._import_file("official", path, {}, dry_run)

    def _import_file(self, slug: str, path: str, options: dict, dry_run: bool) -> None:
        from pathlib import Path

        from gongxin.core.imports import services as imports
        from gongxin.core.imports.exceptions import ImportRefused

        file = Path(path)
        if not file.is_file():
            raise CommandError(f"文件“{path}”不存在。")
        try:
            result = imports.run_import(
                slug, file.name, file.read_bytes(), options=options, commit=not dry_run
            )
        except ImportRefused as refusal:
            result = imports.refused_result(file.name, refusal)
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        if result["errors"]:
            raise CommandError(f"有 {len(result['errors'])} 处错误，未写入任何数据。", returncode=1)

    def handle_check_published(self, **options) -> None:
        as_json = options.get("json", False)
        stream = options.get("stdin") or sys.stdin
        result = check_stream(stream.read())
        if as_json:
            self.stdout.write(dumps(result))
        else:
            self.stdout.write(report(result))
        if not result["consistent"]:
            bad = sum(1 for g in result["groups"] if not g["consistent"])
            raise CommandError(f"有 {bad} 组数据前后不一致。", returncode=1)


def check_stream(text: str) -> dict[str, Any]:
    try:
        breakdown = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise CommandError(
            f"输入不是有效的 JSON（第{error.lineno}行第{error.colno}列）。", returncode=2
        ) from None
    try:
        return consistency.check_breakdown(breakdown, tolerance_points())
    except consistency.BreakdownError as error:
        raise CommandError(str(error), returncode=2) from None


def dumps(result: dict[str, Any]) -> str:
    return json.dumps(result, ensure_ascii=False, indent=2)


def report(result: dict[str, Any]) -> str:
    lines = []
    for group in result["groups"]:
        mark = "一致" if group["consistent"] else "不一致"
        lines.append(f"{group['name'] or '（未命名）'}：{mark}。{group['message']}")
    verdict = "全部自洽" if result["consistent"] else "存在不一致"
    lines.append(f"容差 {result['tolerance_points']} 个百分点，{verdict}。")
    return "\n".join(lines)
