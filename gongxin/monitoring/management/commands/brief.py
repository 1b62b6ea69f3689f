"""`gongxin brief --period YYYY-MM [--by cluster] [--out PATH.docx]`: the analysis brief."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongxin.analytics import facts
from gongxin.core.periods import Period
from gongxin.monitoring import brief
from gongxin.reports.docx import notice_docx


class Command(BaseCommand):
    help = "生成工业经济运行分析（统计分析角色视图，含企业增减量排名）；--out 输出 Word 文件。"

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True)
        parser.add_argument("--by", default="cluster", choices=facts.GROUPINGS)
        parser.add_argument("--out", default="")

    def handle(self, *args, period: str, by: str, out: str, **options):
        try:
            period = str(Period.parse(period))
        except ValueError as error:
            raise CommandError(f"统计期“{period}”无效，应为YYYY-MM。") from error
        title, paragraphs = brief.build_brief(period, by)
        if out:
            Path(out).write_bytes(notice_docx(title, paragraphs))
            self.stdout.write(f"已生成 {out}")
        else:
            self.stdout.write(title)
            for paragraph in paragraphs:
                self.stdout.write(paragraph)
