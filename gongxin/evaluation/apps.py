from __future__ import annotations

from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "gongxin.evaluation"
    label = "evaluation"
    verbose_name = "亩产效益评价与梯度培育"

    def ready(self) -> None:
        from gongxin.evaluation import features

        features.register_all()
        from gongxin.evaluation.tiers import features as tier_features; tier_features.register_all()  # noqa: E702, I001  # fmt: skip
        from gongxin.evaluation import nav; nav.register()  # noqa: E702, I001  # fmt: skip
