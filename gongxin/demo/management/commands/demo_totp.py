"""`gongxin demo_totp <username>`: the current TOTP code of a demo administrator.

For people trying the demo without an authenticator app. Refused outside demo mode: in
production the second factor must stay on the administrator's own device.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongxin.core.errors import ServiceError
from gongxin.demo.services import require_demo_mode


def current_code(device: TOTPDevice) -> str:
    code = totp(
        device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift
    )
    return str(code).zfill(device.digits)


class Command(BaseCommand):
    help = "打印演示管理员当前的6位动态口令（仅限演示环境）。"

    def add_arguments(self, parser):
        parser.add_argument("username", help="演示管理员的用户名，如 demo_sysadmin")

    def handle(self, *args, username: str, **options):
        try:
            require_demo_mode()
        except ServiceError as error:
            raise CommandError(error.message) from error
        device = (
            TOTPDevice.objects.filter(user__username=username, confirmed=True)
            .order_by("-id")
            .first()
        )
        if device is None:
            raise CommandError(f"用户“{username}”没有动态口令设备（只有三员管理员使用动态口令）。")
        self.stdout.write(current_code(device))
