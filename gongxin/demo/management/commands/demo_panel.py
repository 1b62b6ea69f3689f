"""`gongxin demo_panel`: build the synthetic enterprise panel calibrated to seed 000
(demo mode only; see gongxin/demo/PANEL.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from gongxin.core.errors import ServiceError
from gongxin.demo.panel import DEFAULT_SEED, build_panel


class Command(BaseCommand):
    help = (
        "生成模拟企业面板（合成数据：规上工业企业、规上名录、“5+3”产业集群、倍增企业、"
        "2023—2024年统计月报），2024年12月累计数按种子文件000校准。可重复运行。仅限演示环境。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"随机种子（默认 {DEFAULT_SEED}）"
        )

    def handle(self, *args, **options):
        try:
            s = build_panel(options["seed"])
        except ServiceError as error:
            raise CommandError(error.message) from error
        created = s.created
        out = self.stdout
        out.write(f"模拟企业面板已就绪（合成数据，种子 {s.seed}）：")
        out.write(
            f"  企业 {s.enterprises} 家：2024年规上 {s.above_scale_2024} 家"
            f"（当年入规 {s.entered_2024} 家），规下 {s.below_scale_2024} 家"
            f"（当年退规 {s.exited_2024} 家）；2023年规上 {s.above_scale_2023} 家。"
        )
        out.write(
            f"  产业集群 {s.clusters} 个、集群成员 {s.cluster_members} 家；"
            f"2024年倍增企业 {s.program_members} 家；镇街/功能区 {s.regions} 个；"
            f"统计月报 {s.monthly_stats} 条。"
        )
        if any(created.values()):
            parts = "、".join(f"{LABELS.get(k, k)} {v}" for k, v in created.items() if v)
            out.write(f"  本次新建：{parts}。")
        else:
            out.write("  数据已存在，本次未作改动。")


LABELS = {
    "regions": "模拟镇街/功能区",
    "enterprises": "企业",
    "scale_records": "规上名录记录",
    "clusters": "产业集群",
    "programs": "培育计划",
    "cluster_members": "集群成员",
    "program_members": "倍增企业成员",
    "monthly_stats": "统计月报",
}
