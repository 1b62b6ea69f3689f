"""`gongxin evaluation run --year YYYY [--scheme CODE] [--backend live|duckdb|spark] --json`
and `gongxin evaluation import PATH --year YYYY [--unit 万元] [--dry-run] --json`.

run: the current version of each scheme of the year (or the one --scheme names) through
services.run_evaluation — idempotent, the same data and scheme give the existing draft back —
then the stored results of that run, one item per enterprise:
  {uscc, score (null for T), class, indicator_scores {indicator: points}, vetoed,
   restrictions [flag codes], reason (Chinese)} (+ "scheme" when several schemes ran).
`vetoed` is true when a restriction moved the class away from the one the score gave (a veto
capping it, a protection flooring it); an exempt firm (T) has no score, so it is never
"vetoed" — its exempting flag is listed in `restrictions`. The engine's queries run on DuckDB
in process (default), on Spark SQL, or live in the platform database when it is PostgreSQL
(identical results, tested); live on SQLite is refused, not faked: SQLite sums decimals as
floats. Unchanged data and scheme give the stored run back without computing.

import: the "evaluation-data" importer through the import framework (its result shape); the
importer reads each row's 年度 itself, so --year is a check: every row's year must equal it.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import F

from gongxin.core.errors import ServiceError
from gongxin.core.imports import services as imports
from gongxin.core.imports.exceptions import ImportRefused
from gongxin.core.imports.values import MONEY_UNITS

SLUG = "evaluation-data"
BACKENDS = ("live", "duckdb", "spark")
# the reason rules that come from restriction flags (classes.py)
FLAGGED = ("exempt", "veto", "protected")


class Command(BaseCommand):
    help = "亩产效益评价工具。子命令：run（按方案计算并输出各企业的得分与类别）、import（导入年度评价数据）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", title="子命令", required=True)
        run = sub.add_parser("run", help="计算某年度的评价（同样的数据和方案返回已有草稿）")
        run.add_argument("--year", type=int, required=True, help="评价数据年度，如 2024")
        run.add_argument(
            "--scheme", default="", help="只计算该方案（方案代码），默认该年度全部方案"
        )
        run.add_argument(
            "--backend",
            default="duckdb",
            choices=BACKENDS,
            help="计算后端：duckdb（默认）、spark 或 live（在平台的 PostgreSQL 数据库中计算），结果相同",
        )
        run.add_argument("--json", action="store_true", help="以 JSON 输出每家企业的结果")
        load = sub.add_parser("import", help="导入亩产效益评价年度数据（.xlsx/.xls/.csv）")
        load.add_argument("path")
        load.add_argument(
            "--year", type=int, required=True, help="数据年度：文件每行的年度都应为此年"
        )
        load.add_argument(
            "--unit", default="", choices=["", *MONEY_UNITS], help="表头未注明单位的金额列的单位"
        )
        load.add_argument("--dry-run", action="store_true", help="只预览，不写入")
        load.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args, action: str, **options):
        if action == "run":
            self._run(**options)
        elif action == "import":
            self._import(**options)

    # --- run ---------------------------------------------------------------------------------

    def _run(self, *, year: int, scheme: str, backend: str, json: bool, **_):
        from gongxin.evaluation import services
        from gongxin.evaluation.engine import LiveUnsupported, live_refusal

        if backend == "live" and (refusal := live_refusal()):
            raise CommandError(refusal)  # even where a stored run would be given back
        schemes = _schemes(year, scheme)
        runs, failed = [], []
        for found in schemes:
            try:
                runs.append(services.run_evaluation(None, found, backend=backend))
            except LiveUnsupported as refusal:
                raise CommandError(str(refusal)) from None
            except ServiceError as error:
                failed.append(f"方案“{found.name}”（{found.code}）：{str(error).rstrip('。')}")
        if failed:
            others = "；其余方案可用 --scheme 单独计算" if len(schemes) > 1 else ""
            raise CommandError("未能计算。" + "；".join(failed) + others + "。")
        if json:
            several = len(runs) > 1
            items = [
                {**item, "scheme": run.scheme.code} if several else item
                for run, _ in runs
                for item in result_items(run)
            ]
            self.stdout.write(_dumps(items))
            return
        for run, created in runs:
            self.stdout.write(_summary(run, created))

    # --- import ------------------------------------------------------------------------------

    def _import(self, *, path: str, year: int, unit: str, dry_run: bool, json: bool, **_):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"文件“{path}”不存在。")
        data, options = file.read_bytes(), {"unit": unit}
        try:
            result = _year_refusal(file.name, data, options, year) or imports.run_import(
                SLUG, file.name, data, options=options, commit=not dry_run
            )
        except ImportRefused as refusal:
            result = imports.refused_result(file.name, refusal)
        self.stdout.write(_dumps(result) if json else _import_summary(result, dry_run))
        if result["errors"]:
            raise CommandError(f"有 {len(result['errors'])} 处错误，未写入任何数据。", returncode=1)


def _schemes(year: int, code: str) -> list:
    from gongxin.evaluation.models import Scheme

    current = Scheme.objects.filter(is_current=True).order_by("code")
    if code:
        found = current.filter(code=code).first()
        if found is None:
            raise CommandError(f"没有代码为“{code}”的评价方案。")
        if found.year != year:
            raise CommandError(
                f"方案“{found.name}”（{code}）是{found.year}年度的，不是{year}年度。"
            )
        return [found]
    found = list(current.filter(year=year))
    if not found:
        raise CommandError(f"{year}年度没有评价方案。")
    return found


def result_items(run) -> list[dict[str, Any]]:
    """The stored results of a run, ranked (exempt firms, unranked, last)."""
    from gongxin.evaluation.display import reason_text

    results = run.results.select_related("enterprise").order_by(
        F("rank").asc(nulls_last=True), "enterprise__uscc"
    )
    items = []
    for result in results:
        reason = result.reason or {}
        rule, would_be = reason.get("rule"), reason.get("would_be")
        moved = rule in ("veto", "protected") and would_be not in (None, result.klass)
        items.append({
            "uscc": result.enterprise.uscc,
            "score": _number(result.score),
            "class": result.klass,
            "indicator_scores": {i["feature"]: _number(i.get("score")) for i in result.indicators},
            "vetoed": moved,
            "restrictions": list(reason.get("flags", [])) if rule in FLAGGED else [],
            "reason": reason_text(result),
        })  # fmt: skip
    return items


def _summary(run, created: bool) -> str:
    from gongxin.evaluation.display import class_counts

    counts = "、".join(
        f"{c['klass']}类 {c['count']} 家" for c in class_counts(run.results.all()) if c["count"]
    )
    how = "新计算" if created else f"数据与方案未变，沿用已有批次（{run.get_status_display()}）"
    return (
        f"{run.scheme}：批次 #{run.pk}（{how}），参评 {run.evaluated} 家，"
        f"共 {run.results.count()} 家。{counts or '无结果'}。"
    )


def _year_refusal(name: str, data: bytes, options: dict, year: int) -> dict[str, Any] | None:
    """The framework's result with an error on every row whose 年度 is not `year` (with any
    other error of the file), or None when every row is of that year and the file reads
    cleanly — then the import proper runs. Reads only."""
    importer = imports.importer_for(SLUG, None, options)
    parsed = imports.read(importer, imports.clean_file_name(name), data)
    for item in parsed.items:
        written = item.record["year"]
        if written != str(year):
            item.row.error(
                "year", f"年度为{written}，与指定的{year}年度不符：文件每行的年度都应为{year}。"
            )
    if not parsed.problems:
        return None
    return imports.plan(importer, parsed).result


def _import_summary(result: dict, dry_run: bool) -> str:
    lead = "预览（未写入）" if dry_run and not result["errors"] else ""
    lines = [
        f"{lead}{result['file']}：{result['rows']} 行，新建 {result['created']}，"
        f"更新 {result['updated']}，未变 {result['unchanged']}。"
    ]
    lines += [f"第{e['row']}行 {e['column'] or ''} {e['message']}" for e in result["errors"]]
    return "\n".join(lines)


def _number(value: Any) -> int | float | None:
    """A stored Decimal (or its string) as a JSON number: whole numbers without a point."""
    if value is None or value == "":
        return None
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else float(number)


def _dumps(payload) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2)
