from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gongxin.core"
    label = "core"
    verbose_name = "平台内核"

    def ready(self) -> None:
        from gongxin.core import checks  # noqa: F401  (registers the deploy checks)
        from gongxin.core.imports import handlers  # noqa: F401  (job kinds for the worker)
