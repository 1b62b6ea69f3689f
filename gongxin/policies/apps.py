from __future__ import annotations

from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "gongxin.policies"
    label = "policies"
    verbose_name = "惠企政策"

    def ready(self) -> None:
        from gongxin.policies import delivery, features, nav  # noqa: F401 (delivery: job kind)

        features.register_all()
        nav.register()
        from gongxin.policies import home  # noqa: F401  (the ledger's home cards and navigation)
