"""`gongxin indicators --period YYYY-MM --by section|division|cluster|chain|town|zone|program|honor|size_band
[--measure output|revenue|…] [--backend live|duckdb|spark] [--as-user USERNAME] --json`.

--backend live (default) computes on the platform database; duckdb and spark compute the
same SQL on the Parquet snapshot of `gongxin snapshot` (spark needs `gongxin[spark]` and
Java 17)."""

from __future__ import annotations

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from gongxin.accounts.choices import Role
from gongxin.analytics import facts, runners
from gongxin.analytics.backends import BackendUnavailable
from gongxin.core.periods import Period


class Command(BaseCommand):
    help = "按分组计算规上工业指标（累计值、同比、占比、贡献率、拉动、增长面）。"

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="统计期 YYYY-MM")
        parser.add_argument("--by", required=True, choices=facts.GROUPINGS)
        parser.add_argument("--measure", default="output", choices=facts.MEASURES)
        parser.add_argument(
            "--backend",
            default="live",
            choices=runners.BACKENDS,
            help="live：平台数据库；duckdb、spark：在 gongxin snapshot 生成的 Parquet 快照上"
            "用 DuckDB 或 Spark SQL（本机模式，需 pip install 'gongxin[spark]' 和 Java 17）计算",
        )
        parser.add_argument(
            "--as-user", default="", help="按该用户的角色脱敏（默认统计分析角色，不脱敏）"
        )
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, period, by, measure, backend, as_user, json: bool = False, **options):
        try:
            period = str(Period.parse(period))
        except ValueError as error:
            raise CommandError(f"统计期“{period}”无效，应为YYYY-MM。") from error
        suppress = False
        if as_user:
            user = get_user_model().objects.filter(username=as_user, is_active=True).first()
            if user is None:
                raise CommandError(f"用户“{as_user}”不存在或已停用。")
            suppress = user.role != Role.ANALYST
        try:
            rows = runners.indicator_table(by, period, measure, suppress=suppress, backend=backend)
        except (FileNotFoundError, BackendUnavailable) as error:
            raise CommandError(str(error)) from error
        payload = [row.as_json() for row in rows]
        if json:
            self.stdout.write(_dumps(payload))
            return
        for row in payload:
            self.stdout.write(f"{row['name']}\t{row['enterprises']}家\t{row['ytd']}\t{row['yoy']}")


def _dumps(payload) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2)
