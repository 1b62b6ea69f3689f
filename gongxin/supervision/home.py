"""Supervision's cards on each role's home page (我的待办)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from gongxin.accounts.choices import Role
from gongxin.core.home import Card
from gongxin.supervision.choices import Stage
from gongxin.supervision.models import (
    ClosureRequest,
    Instruction,
    Item,
    ItemUnit,
    Plan,
    ProgressReport,
)


def _current(plan_qs):
    return plan_qs.filter(is_active=True).order_by("-year", "-id").first()


def supervisor_cards(user) -> list[Card]:
    plan = _current(Plan.objects.restrict(user, "view"))
    if plan is None:
        return [
            Card(
                "尚无督办计划",
                "尚无进行中的督办计划，可新建或导入督办事项表。",
                "supervision:plan_list",
            )
        ]
    period = plan.current_period
    items = Item.objects.filter(plan=plan)
    reported = (
        ProgressReport.objects.filter(item__plan=plan, period=period).values("item").distinct()
    )
    to_review = items.filter(pk__in=reported).exclude(reviews__period=period).count()
    overdue = items.filter(deadline__lt=timezone.localdate()).exclude(stage=Stage.CLOSED).count()
    closures = ClosureRequest.objects.filter(
        item__plan=plan, decision=ClosureRequest.Decision.PENDING
    ).count()
    link = reverse("supervision:plan_overview", args=[plan.pk])
    return [
        Card("待审核进展", f"{plan.title} {period}：已报送、待审核的事项。", None, to_review, link),
        Card("逾期事项", "超过办结时限仍未办结的事项。", None, overdue, link),
        Card("待审批销号", "责任单位申请销号的事项。", None, closures, link),
    ]


def leader_cards(user) -> list[Card]:
    items = Item.objects.restrict(user, "view")
    behind = items.filter(official_status="behind").count()
    return [
        Card(
            "我分管的事项",
            f"共{items.count()}项，其中欠进度{behind}项。",
            "supervision:plan_list",
            items.count(),
        )
    ]


def reporter_cards(user) -> list[Card]:
    mine = ItemUnit.objects.restrict(user, "report").exclude(item__stage=Stage.CLOSED)
    to_ack = mine.filter(acknowledged_at__isnull=True).count()
    to_report = sum(
        1
        for a in mine.select_related("item__plan")
        if not ProgressReport.objects.filter(
            assignment=a, period=a.item.plan.current_period
        ).exists()
    )
    unread = (
        Instruction.objects.filter(item__assignments__unit=user.unit_id)
        .exclude(read_by_units=user.unit_id)
        .distinct()
        .count()
    )
    return [
        Card(
            "待签收事项", "新交办给本单位的事项，签收后开始报送。", "supervision:plan_list", to_ack
        ),
        Card(
            "本期待报送", "本单位本期尚未报送推进情况的事项。", "supervision:plan_list", to_report
        ),
        Card("领导批示", "分管领导对本单位事项的批示。", "supervision:plan_list", unread),
    ]


PROVIDERS = {
    Role.SUPERVISOR: supervisor_cards,
    Role.LEADER: leader_cards,
    Role.REPORTER: reporter_cards,
}
