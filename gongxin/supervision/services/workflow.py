"""An item's cycle: 签收 → 反馈 (progress, "report once") → 审核 → 批示 → 催办 → 销号."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from gongxin.core import audit
from gongxin.core.errors import ConflictError, ServiceError
from gongxin.core.imports.services import store_file
from gongxin.core.periods import Period
from gongxin.supervision import lights
from gongxin.supervision.choices import Stage, Status, UnitRole
from gongxin.supervision.models import (
    ClosureRequest,
    Evidence,
    Instruction,
    Item,
    ItemUnit,
    PeriodTarget,
    Plan,
    ProgressReport,
    Reminder,
    Review,
)
from gongxin.supervision.services.importing import parse_claimed

REPORT_FIELDS = ("text", "claimed_status", "on_time")
EVIDENCE_FORMATS = ("docx", "xlsx", "xls", "csv", "txt", "pdf", "jpg", "jpeg", "png")
# Worst first: an item is as far along as its slowest unit.
ROLLUP_ORDER = [
    Status.NOT_STARTED,
    Status.BEHIND,
    Status.OTHER,
    Status.ON_TRACK,
    Status.AHEAD,
    Status.DONE,
]


class EditConflict(ConflictError):
    """Someone saved the same progress first: both texts go back to the user."""

    def __init__(self, mine: str, theirs: str, their_version: int, their_author: str):
        super().__init__("您编辑期间，该推进情况已被他人修改。请对照两个版本，合并后再提交。")
        self.mine, self.theirs = mine, theirs
        self.their_version, self.their_author = their_version, their_author


def report_deadline(plan: Plan, period: Period | str) -> dt.date:
    """Reports for a period are due on the plan's report day of that month (e.g. the 25th)."""
    period = Period.parse(period)
    last = calendar.monthrange(period.year, period.month)[1]
    return dt.date(period.year, period.month, min(plan.report_day, last))


def _today() -> dt.date:
    return timezone.localdate()


# --- 签收 ---------------------------------------------------------------------------------


def acknowledge(actor, assignment: ItemUnit) -> ItemUnit:
    with transaction.atomic():
        assignment = ItemUnit.objects.select_for_update().get(pk=assignment.pk)
        if assignment.acknowledged_at is not None:
            return assignment
        assignment.acknowledged_at, assignment.acknowledged_by = timezone.now(), actor
        assignment.save(update_fields=["acknowledged_at", "acknowledged_by"])
        audit.record(
            actor, "item.acknowledge", assignment.item, after={"unit": assignment.display_name}
        )
    return assignment


# --- 反馈: one progress entry per unit and period --------------------------------------------


def submit_progress(
    actor,
    assignment: ItemUnit,
    period: Period | str,
    text: str,
    *,
    expected_version: int | None = None,
    claimed_status: str = "",
    files: Sequence[tuple[str, bytes]] = (),
) -> ProgressReport:
    """Create or edit the unit's one entry for the period. `expected_version` is the version
    the user started from (0 or None for a new entry); a stale one raises EditConflict, and
    so does a "new" entry when the unit's entry already exists: nothing is overwritten
    unseen. Whether the entry was on time is decided by its first submission; corrections
    after the deadline do not make an on-time entry late."""
    text = (text or "").strip()
    if not text:
        raise ServiceError("请填写推进情况。")
    period = str(Period.parse(period))
    with transaction.atomic():
        # The item first (as review and closure lock it), then the unit's assignment: units
        # of one item report one after the other, so each suggestion sees the others' entries.
        item = Item.objects.select_for_update().select_related("plan").get(pk=assignment.item_id)
        assignment = ItemUnit.objects.select_for_update().get(pk=assignment.pk)
        assignment.item = item
        report = ProgressReport.objects.filter(assignment=assignment, period=period).first()
        if report is not None and (expected_version or 0) != report.version:
            author = report.submitted_by.display_name if report.submitted_by else "导入"
            raise EditConflict(text, report.text, report.version, author)
        if report is None and expected_version:
            raise EditConflict(text, "", 0, "")
        claimed = claimed_status or parse_claimed(text)
        before = audit.snapshot(report, REPORT_FIELDS) if report else None
        if report is None:
            report = ProgressReport(item=item, assignment=assignment, period=period)
            report.on_time = _today() <= report_deadline(item.plan, period)
        else:
            report.version += 1
        report.text, report.claimed_status = text, claimed
        report.submitted_by, report.submitted_at = actor, timezone.now()
        report.save()
        for name, data in files:
            stored = store_file(actor, name, data, EVIDENCE_FORMATS)
            Evidence.objects.create(report=report, file=stored, name=stored.name, uploaded_by=actor)
        if assignment.acknowledged_at is None:
            assignment.acknowledged_at, assignment.acknowledged_by = timezone.now(), actor
            assignment.save(update_fields=["acknowledged_at", "acknowledged_by"])
        if item.stage == Stage.ASSIGNED:
            item.stage = Stage.IN_PROGRESS
        item.suggested_status = suggested_status(item, period)
        item.save(update_fields=["stage", "suggested_status"])
        after = audit.snapshot(report, REPORT_FIELDS)
        changed_before, changed_after = audit.diff(before or {}, after)
        audit.record(
            actor,
            "progress.submit",
            item,
            before=changed_before if before else None,
            after={
                **changed_after,
                "unit": assignment.display_name,
                "period": period,
                "files": [name for name, _ in files],
            },
        )
    return report


def set_period_target(
    actor,
    item: Item,
    period: Period | str,
    text: str,
    *,
    assignment: ItemUnit | None = None,
    expected_version: int | None = None,
) -> PeriodTarget:
    period = str(Period.parse(period))
    with transaction.atomic():
        target = (
            PeriodTarget.objects.select_for_update()
            .filter(item=item, assignment=assignment, period=period)
            .first()
        )
        if (
            target is not None
            and expected_version is not None
            and target.version != expected_version
        ):
            raise ConflictError()
        before = {"text": target.text} if target else None
        if target is None:
            target = PeriodTarget(item=item, assignment=assignment, period=period)
        else:
            target.version += 1
        target.text, target.entered_by = text.strip(), actor
        target.save()
        audit.record(
            actor,
            "target.set",
            item,
            before=before,
            after={
                "text": target.text,
                "period": period,
                "unit": assignment.display_name if assignment else "",
            },
        )
    return target


def copy_targets_forward(actor, items: Iterable[Item], from_period: str, to_period: str) -> int:
    """Start next period's targets from this period's texts, where none exists yet."""
    copied = 0
    for item in items:
        source = PeriodTarget.objects.filter(item=item, period=from_period, assignment=None).first()
        exists = PeriodTarget.objects.filter(item=item, period=to_period, assignment=None).exists()
        if source is not None and not exists:
            set_period_target(actor, item, to_period, source.text)
            copied += 1
    return copied


# --- 状态: computed suggestion and the supervisor's review ----------------------------------


def suggested_status(item: Item, period: str) -> str:
    """The item's slowest unit decides; a responsible unit (lead or 分别办理, not an
    assisting one) that has not reported after the deadline counts as behind, unless the
    period came in as an imported table; an approved closure is done."""
    if item.stage == Stage.CLOSED:
        return Status.DONE
    statuses = []
    overdue_report = _today() > report_deadline(item.plan, period)
    reports = {r.assignment_id: r for r in ProgressReport.objects.filter(item=item, period=period)}
    # A row of an imported table reports the item jointly (one text for all its units);
    # only entries made on the platform are per unit.
    joint = any(r.submitted_by_id is None for r in reports.values())
    overdue_report = overdue_report and not joint
    for assignment in item.assignments.all():
        report = reports.get(assignment.pk)
        if report is not None and report.claimed_status:
            statuses.append(report.claimed_status)
        elif (
            report is None
            and overdue_report
            and assignment.unit_id is not None
            and assignment.role != UnitRole.ASSIST
        ):
            # A collective placeholder ("各行业主管部门") is nobody who could have reported.
            statuses.append(Status.BEHIND)
    if item.deadline and item.deadline < _today():
        statuses.append(Status.BEHIND)
    if not statuses:
        return ""
    return min(statuses, key=ROLLUP_ORDER.index)


def review(actor, item: Item, period: str, status: str, comment: str = "") -> Review:
    if status not in Status.values:
        raise ServiceError("请选择审核状态。")
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=item.pk)
        before = {"official_status": item.official_status}
        item.suggested_status = suggested_status(item, period)
        row = Review.objects.create(
            item=item,
            period=period,
            status=status,
            comment=comment,
            suggested_status=item.suggested_status,
            reviewer=actor,
        )
        item.official_status = status
        if status == Status.DONE and item.stage != Stage.CLOSED:
            item.stage = Stage.CLOSED
        item.version += 1
        item.save()
        audit.record(
            actor,
            "item.review",
            item,
            before=before,
            after={"official_status": status, "period": period, "comment": comment},
        )
    return row


# --- 批示 ---------------------------------------------------------------------------------


def instruct(actor, item: Item, text: str) -> Instruction:
    text = (text or "").strip()
    if not text:
        raise ServiceError("请填写批示内容。")
    with transaction.atomic():
        row = Instruction.objects.create(item=item, author=actor, text=text)
        audit.record(actor, "item.instruct", item, after={"text": text})
    return row


def mark_instruction_read(actor, instruction: Instruction) -> None:
    if actor.unit_id is None:
        return
    with transaction.atomic():
        instruction.read_by_units.add(actor.unit_id)
        audit.record(
            actor, "instruction.read", instruction.item, after={"instruction": instruction.pk}
        )


# --- 销号 ---------------------------------------------------------------------------------


def request_closure(actor, assignment: ItemUnit, reason: str) -> ClosureRequest:
    if not (reason or "").strip():
        raise ServiceError("请说明申请销号的理由（完成情况及佐证）。")
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=assignment.item_id)
        if item.stage == Stage.CLOSED:
            raise ServiceError("该事项已办结。")
        if item.closure_requests.filter(decision=ClosureRequest.Decision.PENDING).exists():
            raise ServiceError("该事项已有待审批的销号申请。")
        row = ClosureRequest.objects.create(
            item=item, assignment=assignment, reason=reason.strip(), requested_by=actor
        )
        item.stage = Stage.CLOSURE_REQUESTED
        item.save(update_fields=["stage"])
        audit.record(actor, "item.closure_request", item, after={"reason": row.reason})
    return row


def decide_closure(
    actor, request: ClosureRequest, approve: bool, comment: str = ""
) -> ClosureRequest:
    with transaction.atomic():
        request = ClosureRequest.objects.select_for_update().get(pk=request.pk)
        if request.decision != ClosureRequest.Decision.PENDING:
            raise ServiceError("该申请已审批。")
        request.decision = (
            ClosureRequest.Decision.APPROVED if approve else ClosureRequest.Decision.REFUSED
        )
        request.decided_by, request.decided_at, request.decision_comment = (
            actor,
            timezone.now(),
            comment,
        )
        request.save()
        item = Item.objects.select_for_update().get(pk=request.item_id)
        item.stage = Stage.CLOSED if approve else Stage.IN_PROGRESS
        if approve:
            # A closed item is done by the rule of suggested_status too: no disagreement.
            item.official_status = item.suggested_status = Status.DONE
        item.version += 1
        item.save(update_fields=["stage", "official_status", "suggested_status", "version"])
        audit.record(
            actor,
            "item.closure_decide",
            item,
            after={"decision": request.decision, "comment": comment},
        )
    return request


# --- 催办 and on-time statistics ---------------------------------------------------------------


@dataclass(frozen=True)
class Missing:
    unit_id: int
    unit_name: str
    items: list[Item]


def _joint_reports(plan: Plan, period: str) -> dict[int, ProgressReport]:
    """Item → its imported table row for the period: one text that answers for all units."""
    imported = ProgressReport.objects.filter(
        item__plan=plan, period=period, submitted_by__isnull=True
    )
    return {r.item_id: r for r in imported}


def missing_reports(plan: Plan, period: str) -> list[Missing]:
    """Units with open items and no progress entry for the period, by unit (an imported
    table row answers for every unit of its item)."""
    reported = set(
        ProgressReport.objects.filter(item__plan=plan, period=period).values_list(
            "assignment_id", flat=True
        )
    )
    joint = _joint_reports(plan, period)
    by_unit: dict[int, Missing] = {}
    assignments = (
        ItemUnit.objects.filter(item__plan=plan, unit__isnull=False)
        .exclude(item__stage=Stage.CLOSED)
        .select_related("unit", "item")
        .order_by("unit__name", "item__seq")
    )
    for assignment in assignments:
        if assignment.pk in reported or assignment.item_id in joint:
            continue
        entry = by_unit.setdefault(
            assignment.unit_id, Missing(assignment.unit_id, assignment.unit.name, [])
        )
        if assignment.item not in entry.items:
            entry.items.append(assignment.item)
    return list(by_unit.values())


def send_reminders(actor, plan: Plan, period: str) -> list[Reminder]:
    """A 催办 notice per unit that has not reported; the notices are produced as .docx."""
    sent = []
    with transaction.atomic():
        for missing in missing_reports(plan, period):
            reminder = Reminder.objects.create(
                plan=plan, unit_id=missing.unit_id, period=period, sent_by=actor
            )
            reminder.items.set(missing.items)
            sent.append(reminder)
        audit.record_many(
            actor,
            "reminder.send",
            [
                audit.Change(
                    r,
                    after={
                        "unit": r.unit_id,
                        "period": period,
                        "items": [i.seq for i in r.items.all()],
                    },
                )
                for r in sent
            ],
        )
    return sent


@dataclass(frozen=True)
class OnTime:
    unit_name: str
    due: int
    reported: int
    on_time: int

    @property
    def rate(self) -> float:
        return self.on_time / self.due if self.due else 0.0


def on_time_statistics(plan: Plan, period: str) -> list[OnTime]:
    """Per unit: entries due, entries received, entries received by the deadline; ranked.
    A closed item is due only from units that reported on it (as in missing_reports, a
    closed item asks nobody for a report); an imported table row counts for all its units."""
    reports = {
        r.assignment_id: r for r in ProgressReport.objects.filter(item__plan=plan, period=period)
    }
    joint = _joint_reports(plan, period)
    totals: dict[str, list[int]] = {}
    for assignment in ItemUnit.objects.filter(item__plan=plan, unit__isnull=False).select_related(
        "unit", "item"
    ):
        report = reports.get(assignment.pk) or joint.get(assignment.item_id)
        if report is None and assignment.item.stage == Stage.CLOSED:
            continue
        row = totals.setdefault(assignment.unit.name, [0, 0, 0])
        row[0] += 1
        if report is not None:
            row[1] += 1
            row[2] += int(report.on_time)
    stats = [OnTime(name, *values) for name, values in totals.items()]
    return sorted(stats, key=lambda s: (-s.rate, -s.due, s.unit_name))


# --- Lights ------------------------------------------------------------------------------------


def item_facts(item: Item, today: dt.date | None = None) -> lights.Facts:
    today = today or _today()
    days = (item.deadline - today).days if item.deadline else None
    done = item.stage == Stage.CLOSED or item.official_status == Status.DONE
    status = item.official_status or item.suggested_status
    missed = [r for r in item.reviews.all() if r.status == Status.BEHIND]
    return lights.Facts(
        days_to_deadline=days,
        overdue=days is not None and days < 0 and not done,
        behind=status == Status.BEHIND,
        done=done,
        missed_months=len({r.period for r in missed}),
        missed_quarter_ends=len({r.period for r in missed if int(r.period[5:]) % 3 == 0}),
    )


def item_light(item: Item, today: dt.date | None = None) -> str:
    return lights.light_for(item_facts(item, today), lights.preset_rules(item.plan.light_rules))
