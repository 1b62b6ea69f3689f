from __future__ import annotations

from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "gongxin.enterprises"
    label = "enterprises"
    verbose_name = "企业库"
