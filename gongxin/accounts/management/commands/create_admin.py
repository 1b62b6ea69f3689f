"""`gongxin create_admin`: the first administrators of a new deployment (there is no
superuser). Prints the TOTP secret to enrol in an authenticator app."""

from __future__ import annotations

import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from gongxin.accounts import services
from gongxin.accounts.choices import ADMIN_ROLES, Role
from gongxin.core.errors import ServiceError


class Command(BaseCommand):
    help = "创建三员管理员账号（系统管理员、安全管理员、审计管理员），并输出动态口令密钥。"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=sorted(ADMIN_ROLES))
        parser.add_argument("--name", default="")
        parser.add_argument("--password", help="不提供时交互输入（推荐）")

    def handle(self, username, role, name, password=None, **options):
        if password is None:
            password = getpass.getpass("密码：")
            if password != getpass.getpass("再次输入密码："):
                raise CommandError("两次输入的密码不一致。")
        try:
            user, enrolment = services.create_user(
                None, username=username, name=name or Role(role).label, role=role, password=password
            )
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error
        except ServiceError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"已创建{user.get_role_display()}“{user.username}”。")
        self.stdout.write(
            f"动态口令密钥（请录入身份验证器，仅显示一次）：{enrolment.secret_base32}"
        )
        self.stdout.write(f"配置链接：{enrolment.otpauth_url}")
