from __future__ import annotations

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "gongxin.supervision"
    label = "supervision"
    verbose_name = "督查督办"

    def ready(self) -> None:
        from gongxin.core import home
        from gongxin.supervision.home import PROVIDERS

        for role, provider in PROVIDERS.items():
            home.register({role}, provider)
