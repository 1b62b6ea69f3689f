from __future__ import annotations

from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "gongxin.analytics"
    label = "analytics"
    verbose_name = "指标引擎"
