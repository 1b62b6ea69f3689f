"""`gongxin snapshot [--out DIR]`: the Parquet snapshot DuckDB queries (`--backend duckdb`)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from gongxin.analytics.backends import write_snapshot
from gongxin.analytics.runners import snapshot_dir


class Command(BaseCommand):
    help = "把统计月报和企业分组写成按统计期排序的 Parquet 快照，供 DuckDB 后端计算。"

    def add_arguments(self, parser):
        parser.add_argument("--out", default="", help="输出目录（默认 var/snapshot）")

    def handle(self, *args, out: str, **options):
        directory = Path(out) if out else snapshot_dir()
        counts = write_snapshot(directory)
        self.stdout.write(
            f"已写入 {directory}：月报 {counts['facts']} 行，分组 {counts['groups']} 行。"
        )
