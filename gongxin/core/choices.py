from __future__ import annotations

from django.db import models


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "运行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class PreviewStatus(models.TextChoices):
    READY = "ready", "待确认"
    COMMITTED = "committed", "已导入"
    REFUSED = "refused", "已拒绝"
