"""`gongxin demo`: build the demo data and print one login per role (demo mode only)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from gongxin.core.errors import ServiceError
from gongxin.demo.services import build_demo


class Command(BaseCommand):
    help = "生成演示数据（单位、分管领导、各角色演示账号）并打印演示账号的登录信息。仅限演示环境。"

    def add_arguments(self, parser):
        parser.add_argument(
            "action",
            nargs="?",
            default="load",
            choices=["load"],
            help="load：生成或更新演示数据（可重复运行）",
        )

    def handle(self, *args, **options):
        try:
            result = build_demo()
        except ServiceError as error:
            raise CommandError(error.message) from error
        out = self.stdout
        out.write(
            f"演示数据已就绪：新建单位 {result.units_created} 个、别名 {result.aliases_created} 个、"
            f"分管领导 {result.leaders_created} 位（已有的保持不变）。"
        )
        plan = result.plan.get("plan", {})
        out.write(
            f"演示督办计划“{plan.get('title', '')}”（{plan.get('period', '')}）：新建 {result.plan.get('created', 0)} 项、"
            f"更新 {result.plan.get('updated', 0)} 项、未变 {result.plan.get('unchanged', 0)} 项。"
        )
        panel = result.panel
        if panel:
            out.write(
                "演示企业面板（模拟数据，按2024年工作总结校准，见 gongxin/demo/PANEL.md）："
                f"规上企业 {panel['above_scale_2024']} 家、规下 {panel['below_scale_2024']} 家、"
                f"月报 {panel['monthly_stats']} 条。"
            )
        if result.policies:
            p = result.policies
            out.write(
                f"演示惠企政策（种子002：开门红、小升规培育库、三级帮包）：{p['policies']} 项；"
                f"企业申报与税务数据 新建 {p['figures']['created']} 条；匹配结果变化 {p['matched']} 条；"
                f"帮包记录 新建 {p['liaisons']['created']} 条。"
            )
            if p.get("enterprise"):
                out.write(f"演示企业用户 demo_enterprise 代表：{p['enterprise']}。")
        if result.evaluation:
            e = result.evaluation
            years = "、".join(f"{y}年 {n} 家" for y, n in sorted(e["finals"].items()))
            out.write(
                f"演示亩产效益评价：方案 {e['schemes']} 个；评价数据 新建 {e['figures']} 条；"
                f"浙江县域方案一已公布（参评：{years}）；新计算草稿 {e['drafts']} 个。"
            )
        if result.cultivation:
            c = result.cultivation
            out.write(
                f"演示梯度培育数据：{c['firms']} 家企业的申报与行政记录 新建 {c['figures']} 条；"
                f"新增省级专精特新称号 {c['titles']} 个。"
            )
        if result.official:
            out.write(
                f"演示官方发布数据（2024年规上工业增加值增速）：新建 {result.official.get('created', 0)} 条、"
                f"未变 {result.official.get('unchanged', 0)} 条。"
            )
        out.write("")
        out.write("演示账号（仅限演示环境；每次运行 gongxin demo 都会换成新的随机密码）：")
        for login in result.logins:
            line = f"  {login.role_label}：用户名 {login.username}  密码 {login.password}"
            if login.totp_secret:
                line += f"  动态口令密钥 {login.totp_secret}"
            out.write(line)
        admins = [login.username for login in result.logins if login.totp_secret]
        if admins:
            out.write("")
            out.write(
                "三员管理员登录时还须填写6位动态口令：把上面的密钥加入身份验证器"
                "（FreeOTP、Google Authenticator 等，基于时间，30秒），"
            )
            out.write(
                f"或运行 GONGXIN_DEMO=1 gongxin demo_totp {admins[0]}"
                f"（或 make totp WHO={admins[0]}）查看当前口令。"
            )
