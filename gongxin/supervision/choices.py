from __future__ import annotations

from django.db import models


class Status(models.TextChoices):
    """Progress status vocabulary of real supervision reports (DOMAIN.md)."""

    DONE = "done", "已完成"
    AHEAD = "ahead", "超进度"
    ON_TRACK = "on_track", "达进度"
    BEHIND = "behind", "欠进度"
    NOT_STARTED = "not_started", "未启动"
    OTHER = "other", "其它"


# How units write their claimed status at the start of a progress text.
CLAIMED_LABELS = {
    "正常推进": Status.ON_TRACK,
    "达进度": Status.ON_TRACK,
    "已完成": Status.DONE,
    "提前完成": Status.DONE,
    "超进度": Status.AHEAD,
    "欠进度": Status.BEHIND,
    "推进缓慢": Status.BEHIND,
    "未启动": Status.NOT_STARTED,
}


class Stage(models.TextChoices):
    """Where an item is in the cycle 立项 → 交办 → 签收 → 反馈 → 办结."""

    DRAFT = "draft", "立项"
    ASSIGNED = "assigned", "已交办"
    IN_PROGRESS = "in_progress", "推进中"
    CLOSURE_REQUESTED = "closure_requested", "申请销号"
    CLOSED = "closed", "已办结"


class UnitRole(models.TextChoices):
    LEAD = "lead", "牵头"
    ASSIST = "assist", "配合"
    SEPARATELY = "separately", "分别办理"


class AssignmentMode(models.TextChoices):
    SOLE = "sole", "独立办理"
    LEAD_ASSIST = "lead_assist", "牵头+配合"
    SEPARATELY = "separately", "分别办理"
    SEPARATE_LEADS = "separate_leads", "分别牵头"


class Cadence(models.TextChoices):
    MONTHLY = "monthly", "按月"
    QUARTERLY = "quarterly", "按季度"


class Light(models.TextChoices):
    GREEN = "green", "绿灯"
    BLUE = "blue", "蓝灯"
    YELLOW = "yellow", "黄灯"
    RED = "red", "红灯"
