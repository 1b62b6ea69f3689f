from __future__ import annotations

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "gongxin.demo"
    label = "demo"
    verbose_name = "演示数据"
