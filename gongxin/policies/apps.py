from __future__ import annotations

from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "gongxin.policies"
    label = "policies"
    verbose_name = "惠企政策"

    def ready(self) -> None:
        from gongxin.policies import features

        features.register_all()
