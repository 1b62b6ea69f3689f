"""Applying an imported supervision table: plans, items, units, targets and progress.

Each function takes the acting user, runs in one transaction and writes its audit rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction

from gongxin.accounts import services as accounts
from gongxin.accounts.models import Leader
from gongxin.core import audit
from gongxin.core.errors import ConflictError, ServiceError
from gongxin.core.periods import Period
from gongxin.supervision import progress_text
from gongxin.supervision.choices import CLAIMED_LABELS, UnitRole
from gongxin.supervision.models import (
    Item,
    ItemLeader,
    ItemUnit,
    PeriodTarget,
    Plan,
    ProgressReport,
)
from gongxin.supervision.parsing import (
    ParsedItem,
    is_collective,
    parse_claimed_status,
    parse_key,
    parse_units,
)

PLAN_FIELDS = (
    "title",
    "year",
    "cadence",
    "report_day",
    "light_rules",
    "current_period",
    "is_active",
)


# --- reading the current state (for import comparisons and exports) -----------------------


def items_by_seq(plan_title: str, seqs: Iterable[int]) -> dict[int, Item]:
    items = Item.objects.filter(plan__title=plan_title, seq__in=list(seqs)).prefetch_related(
        "leader_links__leader", "assignments__unit", "period_targets", "reports__assignment"
    )
    return {item.seq: item for item in items}


def _roles(assignments: Sequence[ItemUnit]) -> dict[str, list[str]]:
    return {
        role: [a.name_as_written for a in assignments if a.role == role]
        for role in (UnitRole.LEAD, UnitRole.ASSIST, UnitRole.SEPARATELY)
    }


def progress_cell(item: Item, period: str) -> str:
    """All units' progress texts of a period in one cell: lead unit first (see progress_text)."""
    assignments = sorted(item.assignments.all(), key=lambda a: a.order)
    reports = {r.assignment_id: r for r in item.reports.all() if r.period == period}
    return progress_text.join(
        [(a.name_as_written, reports[a.pk].text) for a in assignments if a.pk in reports]
    )


def item_target(item: Item, period: str) -> str:
    return next(
        (
            t.text
            for t in item.period_targets.all()
            if t.period == period and t.assignment_id is None
        ),
        "",
    )


def item_state(item: Item, period: Period | str) -> dict[str, Any]:
    """An item as the import compares it: the fields a table row carries."""
    period = str(period)
    roles = _roles(list(item.assignments.all()))
    return {
        "content": item.content,
        "key": item.key,
        "leaders": [leader.name for leader in item.ordered_leaders],
        "mode": item.mode,
        "lead": roles[UnitRole.LEAD],
        "assist": roles[UnitRole.ASSIST],
        "separately": roles[UnitRole.SEPARATELY],
        "period_target": item_target(item, period),
        "progress": progress_cell(item, period),
    }


def item_state_from_parsed(parsed: ParsedItem, period: Period | str) -> dict[str, Any]:
    return {
        "content": parsed.content,
        "key": parsed.key,
        "leaders": list(parsed.leaders),
        "mode": parsed.units.mode,
        "lead": list(parsed.units.lead),
        "assist": list(parsed.units.assist),
        "separately": list(parsed.units.separately),
        "period_target": parsed.period_target,
        "progress": parsed.progress,
    }


def unknown_units(names: Iterable[str]) -> list[str]:
    """Names that are neither a unit nor an alias (nor collective placeholders)."""
    return [n for n in names if not is_collective(n) and accounts.resolve_unit(n) is None]


# --- import -------------------------------------------------------------------------------


def _plan_for(actor, title: str, period: Period) -> Plan:
    plan = Plan.objects.select_for_update().filter(title=title).first()
    if plan is None:
        plan = Plan.objects.create(
            title=title, year=period.year, current_period=str(period), created_by=actor
        )
        audit.record(actor, "plan.create", plan, after=audit.snapshot(plan, PLAN_FIELDS))
    elif not plan.current_period or plan.current_period < str(period):
        before = {"current_period": plan.current_period}
        plan.current_period = str(period)
        plan.save(update_fields=["current_period"])
        audit.record(
            actor, "plan.update", plan, before=before, after={"current_period": plan.current_period}
        )
    return plan


def _leaders(actor, names: Sequence[str]) -> list[Leader]:
    leaders = []
    for name in names:
        leader = accounts.resolve_leader(name) or accounts.create_leader(actor, name=name)
        leaders.append(leader)
    return leaders


def _set_leaders(item: Item, leaders: Sequence[Leader]) -> None:
    ItemLeader.objects.filter(item=item).delete()
    ItemLeader.objects.bulk_create(
        [ItemLeader(item=item, leader=leader, order=order) for order, leader in enumerate(leaders)]
    )


def _unit_for(actor, name: str):
    if is_collective(name):
        return None
    unit = accounts.resolve_unit(name)
    if unit is None:
        unit = accounts.create_unit_as_written(actor, name)
    return unit


def _sync_assignments(actor, item: Item, parsed: ParsedItem) -> dict[str, ItemUnit]:
    """Make the item's units what the row says; keeps acknowledgements and reports of units
    that stay, removes units no longer listed."""
    wanted: list[tuple[str, str]] = (
        [(n, UnitRole.LEAD) for n in parsed.units.lead]
        + [(n, UnitRole.SEPARATELY) for n in parsed.units.separately]
        + [(n, UnitRole.ASSIST) for n in parsed.units.assist]
    )
    current = {a.name_as_written: a for a in item.assignments.all()}
    kept: dict[str, ItemUnit] = {}
    for order, (name, role) in enumerate(wanted):
        assignment = current.pop(name, None)
        if assignment is None:
            unit = _unit_for(actor, name)
            assignment = ItemUnit.objects.create(
                item=item,
                unit=unit,
                name_as_written=name,
                role=role,
                order=order,
                needs_resolution=unit is None,
            )
        elif (assignment.role, assignment.order) != (role, order):
            assignment.role, assignment.order = role, order
            assignment.save(update_fields=["role", "order"])
        kept[name] = assignment
    for stale in current.values():
        stale.delete()
    return kept


def _sync_period_texts(
    actor, item: Item, parsed: ParsedItem, period: str, assignments: dict[str, ItemUnit]
):
    if parsed.period_target:
        PeriodTarget.objects.update_or_create(
            item=item,
            assignment=None,
            period=period,
            defaults={"text": parsed.period_target, "entered_by": actor},
        )
    else:
        PeriodTarget.objects.filter(item=item, assignment=None, period=period).delete()
    ordered = list(assignments.values())
    if not ordered:
        return
    owner_of_unprefixed = ordered[0]
    by_name = {name: a for name, a in assignments.items()}
    texts: dict[int, tuple[ItemUnit, str]] = {}
    for name, text in progress_text.split(parsed.progress, list(by_name)):
        assignment = by_name[name] if name is not None else owner_of_unprefixed
        texts[assignment.pk] = (assignment, text)
    ProgressReport.objects.filter(item=item, period=period).exclude(
        assignment_id__in=texts
    ).delete()
    for assignment, text in texts.values():
        claimed = parse_claimed(text)
        ProgressReport.objects.update_or_create(
            assignment=assignment,
            period=period,
            # No reporter: a table row is the item's joint report (the importer is audited).
            defaults={"item": item, "text": text, "claimed_status": claimed, "submitted_by": None},
        )


def parse_claimed(text: str) -> str:
    label = parse_claimed_status(text)
    return CLAIMED_LABELS.get(label, "") if label else ""


def extract_item_targets(actor, item: Item, period_target: str = "") -> None:
    from gongxin.supervision.services.targets import extract_item_targets as extract

    extract(actor, item, period_target)


def _refresh_suggestion(item: Item, period: str) -> None:
    from gongxin.supervision.services.workflow import suggested_status

    item.suggested_status = suggested_status(item, period)
    item.save(update_fields=["suggested_status"])


def apply_import(
    actor,
    plan_title: str,
    period: Period,
    changed: Sequence[tuple[ParsedItem, Item | None, dict | None]],
    *,
    reason: str = "",
) -> Plan:
    """Write the created and changed rows of an import (inside the import's transaction):
    one audit row per item, with the fields that changed."""
    with transaction.atomic():
        plan = _plan_for(actor, plan_title, period)
        audit_rows = []
        for parsed, item, before in changed:
            created = item is None
            if created:
                item = Item(plan=plan, seq=parsed.seq)
            else:
                item.version += 1
            item.content, item.key, item.mode = parsed.content, parsed.key, parsed.units.mode
            item.units_text = parsed.units_text[:500]
            item.save()
            _set_leaders(item, _leaders(actor, parsed.leaders))
            assignments = _sync_assignments(actor, item, parsed)
            _sync_period_texts(actor, item, parsed, str(period), assignments)
            _refresh_suggestion(item, str(period))
            extract_item_targets(actor, item, parsed.period_target)
            after = item_state_from_parsed(parsed, period)
            if not created:
                after = {k: after[k] for k in before or {}}
            audit_rows.append(audit.Change(item, before=before, after=after))
        audit.record_many(actor, "item.import", audit_rows, reason=reason)
    return plan


ITEM_FIELDS = ("seq", "content", "key", "mode", "units_text", "deadline")


def save_item(
    actor,
    plan: Plan,
    item: Item | None = None,
    *,
    leaders: Sequence[str] = (),
    expected_version: int | None = None,
    **fields,
) -> Item:
    """Create or edit an item by hand: its units are read from `units_text` the way an
    import reads the 责任单位 column, so both paths give the same assignments."""
    with transaction.atomic():
        if item is not None:
            item = Item.objects.select_for_update().get(pk=item.pk)
            if expected_version is not None and item.version != expected_version:
                raise ConflictError()
        elif Item.objects.filter(plan=plan, seq=fields.get("seq")).exists():
            raise ServiceError(f"序号 {fields.get('seq')} 已存在。")
        created = item is None
        before = None if created else audit.snapshot(item, ITEM_FIELDS)
        item = item or Item(plan=plan)
        key, content = parse_key(fields.pop("content", item.content) or "")
        item.content, item.key = content, fields.pop("key", False) or key
        for name, value in fields.items():
            setattr(item, name, value)
        units = parse_units(item.units_text)
        if not units.all_units:
            raise ServiceError("请填写责任单位。")
        item.mode = units.mode
        if not created:
            item.version += 1
        item.save()
        if leaders or created:
            _set_leaders(item, _leaders(actor, leaders))
        parsed = ParsedItem(
            seq=item.seq,
            content=item.content,
            key=item.key,
            leaders=list(leaders),
            units=units,
            units_text=item.units_text,
            period_target="",
            progress="",
            claimed_status=None,
            row=0,
        )
        _sync_assignments(actor, item, parsed)
        extract_item_targets(actor, item)
        after = audit.snapshot(item, ITEM_FIELDS)
        if created:
            audit.record(actor, "item.create", item, after=after)
        else:
            old, new = audit.diff(before, after)
            audit.record(actor, "item.update", item, before=old, after=new)
    return item


def save_plan(actor, plan: Plan | None = None, **fields) -> Plan:
    with transaction.atomic():
        created = plan is None
        before = None if created else audit.snapshot(plan, PLAN_FIELDS)
        plan = plan or Plan(created_by=actor)
        for name, value in fields.items():
            setattr(plan, name, value)
        if not created:
            plan.version += 1
        plan.save()
        after = audit.snapshot(plan, PLAN_FIELDS)
        if created:
            audit.record(actor, "plan.create", plan, after=after)
        else:
            old, new = audit.diff(before, after)
            audit.record(actor, "plan.update", plan, before=old, after=new)
    return plan
