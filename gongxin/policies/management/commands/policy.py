"""`gongxin policy match [--policy CODE] [--as-of YYYY-MM-DD] [--all] [--backend live|duckdb|spark] --json`
and `gongxin policy test [CODE]` (the clauses' YAML cases)."""

from __future__ import annotations

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gongxin.core.errors import ServiceError


class Command(BaseCommand):
    help = "惠企政策工具。子命令：match（政策找企业：按条款匹配企业并说明理由）、test（运行条款的测试用例）。"

    def add_arguments(self, parser):
        subparsers = parser.add_subparsers(dest="subcommand", title="子命令", required=True)
        match = subparsers.add_parser("match", help="按有效条款匹配企业")
        match.add_argument("--policy", default="", help="只匹配该政策（政策代码）")
        match.add_argument("--as-of", default="", help="依据日期 YYYY-MM-DD（默认今天）")
        match.add_argument("--all", action="store_true", help="也列出不符合的企业")
        match.add_argument(
            "--backend",
            default="live",
            choices=["live", "duckdb", "spark"],
            help="计算后端：live（在线数据库）、duckdb 或 spark（先从在线数据库写出 Parquet 快照）",
        )
        match.add_argument("--json", action="store_true", help="以 JSON 输出")
        test = subparsers.add_parser("test", help="运行条款的测试用例（YAML）")
        test.add_argument("policy", nargs="?", default="", help="政策代码（默认全部）")

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "match":
            return self._match(**options)
        return self._test(options["policy"])

    def _match(self, *, policy: str, as_of: str, all: bool, json: bool, backend: str, **options):  # noqa: A002
        from gongxin.analytics.backends import BackendUnavailable
        from gongxin.policies import backends, services

        try:
            when = date.fromisoformat(as_of) if as_of else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"依据日期“{as_of}”无效，应为YYYY-MM-DD。") from error
        try:
            if backend == "live":
                results = services.match(when, policy or None, all_rows=all)
            else:
                results = backends.match(when, policy or None, all_rows=all, backend=backend)
        except (ServiceError, BackendUnavailable) as error:
            raise CommandError(str(error)) from error
        if json:
            self.stdout.write(_dumps([r.as_json() for r in results]))
            return
        for r in results:
            reasons = "；".join(reason["text"] for reason in r.reasons)
            self.stdout.write(f"{r.policy}/{r.clause}\t{r.uscc}\t{r.name}\t{r.status}\t{reasons}")

    def _test(self, policy: str):
        from gongxin.policies import cases

        outcomes = cases.run_cases(policy or None)
        failed = [o for o in outcomes if not o.passed]
        for o in outcomes:
            self.stdout.write(
                f"{'通过' if o.passed else '失败'}  {o.label}{'' if o.passed else '：' + o.message}"
            )
        if not outcomes:
            raise CommandError(f"没有找到{'政策“' + policy + '”的' if policy else ''}测试用例。")
        if failed:
            raise CommandError(f"{len(failed)} 个用例未通过（共 {len(outcomes)} 个）。")
        self.stdout.write(f"全部 {len(outcomes)} 个用例通过。")


def _dumps(payload) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2)
