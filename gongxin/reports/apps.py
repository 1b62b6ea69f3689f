from __future__ import annotations

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "gongxin.reports"
    label = "reports"
    verbose_name = "报表"
