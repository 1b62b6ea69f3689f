from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "gongxin.accounts"
    label = "accounts"
    verbose_name = "账号与单位"

    def ready(self) -> None:
        from gongxin.accounts import signals  # noqa: F401  (login/logout/failure audit)
