"""Quantitative targets of items: extracted from the item's words, edited by people, and
judged against 序时进度 when an actual value is entered (core.periods does the judging)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from gongxin.core import audit
from gongxin.core.errors import ConflictError, ServiceError
from gongxin.core.periods import LINEAR, QUARTERLY, QUARTERLY_Q1_22, Period, explain_zh, judge
from gongxin.supervision.extraction import extract_targets
from gongxin.supervision.models import Item, ItemTarget

CURVES = {"linear": LINEAR, "quarterly": QUARTERLY, "quarterly_q1_22": QUARTERLY_Q1_22}
TARGET_FIELDS = (
    "indicator",
    "comparator",
    "value",
    "value_max",
    "unit",
    "hedge",
    "curve",
    "actual",
    "actual_period",
    "status",
)


def extract_item_targets(actor, item: Item, period_target: str = "") -> list[ItemTarget]:
    """Targets found in the item's content and its period target; existing ones (perhaps
    edited by people) are kept, new ones added. Progress texts are never read."""
    found = [(t, "content") for t in extract_targets(item.content)]
    found += [(t, "period_target") for t in extract_targets(period_target or "")]
    created = []
    for target, source in found:
        exists = ItemTarget.objects.filter(
            item=item,
            indicator=target.indicator,
            comparator=target.comparator,
            value=target.value,
            unit=target.unit,
        ).exists()
        if exists:
            continue
        created.append(
            ItemTarget.objects.create(
                item=item,
                text=target.text[:300],
                indicator=target.indicator[:100],
                comparator=target.comparator,
                value=target.value,
                value_max=target.value_max,
                unit=target.unit,
                hedge=target.hedge or "",
                source=source,
            )
        )
    if created:
        audit.record_many(
            actor,
            "target.extract",
            [audit.Change(t, after=audit.snapshot(t, TARGET_FIELDS[:6])) for t in created],
        )
        # New growth targets of 增加值/产值/… bind to their data source at once.
        from gongxin.supervision.services.bindings import bind_targets_by_rule

        bind_targets_by_rule(actor, created)
    return created


def _judge(target: ItemTarget) -> None:
    if target.actual is None or not target.actual_period:
        target.status, target.explanation = "", ""
        return
    result = judge(
        target.comparator,
        target.value,
        target.actual,
        value_max=target.value_max,
        unit=target.unit,
        period=Period.parse(target.actual_period),
        curve=CURVES[target.curve],
    )
    target.status, target.explanation = result.status, explain_zh(result)[:200]


def update_target(
    actor, target: ItemTarget, *, expected_version: int | None = None, **fields
) -> ItemTarget:
    """Edit a target or enter its actual value; the judgement is recomputed."""
    with transaction.atomic():
        target = ItemTarget.objects.select_for_update().get(pk=target.pk)
        if expected_version is not None and target.version != expected_version:
            raise ConflictError()
        before = audit.snapshot(target, TARGET_FIELDS)
        for name, value in fields.items():
            setattr(target, name, value)
        if target.comparator == ItemTarget.Comparator.RANGE and target.value_max is None:
            raise ServiceError("区间目标须填写上限。")
        if target.actual is not None and not target.actual_period:
            raise ServiceError("填写完成值时须注明统计期。")
        if target.actual is not None and not isinstance(target.actual, Decimal):
            target.actual = Decimal(str(target.actual))
        _judge(target)
        target.version += 1
        target.save()
        old, new = audit.diff(before, audit.snapshot(target, TARGET_FIELDS))
        audit.record(
            actor, "target.update", target.item, before=old, after={**new, "target": target.pk}
        )
    return target
