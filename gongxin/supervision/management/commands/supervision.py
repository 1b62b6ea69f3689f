"""`gongxin supervision import PATH [--plan-title T] [--period YYYY-MM] [--dry-run] --json`
and `gongxin supervision export --plan ID --period YYYY-MM --format docx|xlsx --out PATH`."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongxin.core.imports import services as imports
from gongxin.core.imports.exceptions import ImportRefused
from gongxin.core.periods import Period
from gongxin.supervision import exporters
from gongxin.supervision.models import Plan


class Command(BaseCommand):
    help = "督查督办：导入督办事项表（import）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="导入督办事项表（.docx/.xlsx/文本）")
        load.add_argument("path")
        load.add_argument("--plan-title", default="", help="计划名称，默认取文件标题")
        load.add_argument("--period", default="", help="统计期 YYYY-MM，默认从标题推断")
        load.add_argument("--dry-run", action="store_true", help="只预览，不写入")
        load.add_argument("--json", action="store_true", help="以 JSON 输出结果")
        out = sub.add_parser("export", help="导出月度推进情况表（.docx/.xlsx）")
        out.add_argument("--plan", type=int, required=True, help="计划编号")
        out.add_argument("--period", required=True, help="统计期 YYYY-MM")
        out.add_argument("--format", choices=sorted(exporters.FORMATS), required=True)
        out.add_argument("--out", required=True, help="输出文件路径")

    def handle(self, *args, action: str, **options):
        if action == "import":
            self._import(**options)
        elif action == "export":
            self._export(**options)

    def _export(self, plan: int, period: str, format: str, out: str, **_):
        found = Plan.objects.filter(pk=plan).first()
        if found is None:
            raise CommandError(f"计划 {plan} 不存在。")
        try:
            report = exporters.build_report(found, Period.parse(period))
        except ValueError as error:
            raise CommandError(f"统计期“{period}”无效，应为YYYY-MM。") from error
        Path(out).write_bytes(exporters.FORMATS[format](report))
        self.stdout.write(f"已导出 {len(report.rows)} 项到 {out}")

    def _import(self, path: str, plan_title: str, period: str, dry_run: bool, json: bool, **_):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"文件“{path}”不存在。")
        opts = {"plan_title": plan_title, "period": period}
        try:
            result = imports.run_import(
                "supervision", file.name, file.read_bytes(), options=opts, commit=not dry_run
            )
        except ImportRefused as refusal:
            result = imports.refused_result(file.name, refusal)
        self.stdout.write(_dump(result) if json else _summary(result))
        if result["errors"]:
            raise CommandError(f"有 {len(result['errors'])} 处错误，未写入任何数据。", returncode=1)


def _dump(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False, indent=2)


def _summary(result: dict) -> str:
    lines = [
        f"{result['file']}：{result['rows']} 行，新建 {result['created']}，更新 {result['updated']}，"
        f"未变 {result['unchanged']}。"
    ]
    lines += [f"第{e['row']}行 {e['column'] or ''} {e['message']}" for e in result["errors"]]
    return "\n".join(lines)
