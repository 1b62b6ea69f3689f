from __future__ import annotations

from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "gongxin.monitoring"
    label = "monitoring"
    verbose_name = "工业经济运行监测"
