"""The 推进情况通报 of a plan for a period, and the 催办通知 to a unit, as .docx.

`bulletin_data` only reads; the documents are laid out by `gongxin.reports.docx`, which
receives the finished sentences.

Which status an item is counted under, for period P (first that applies):

1. 已完成 when the item is closed (办结/销号; an approved 销号 writes no review, and a
   closure decided after the period's review is the newer word);
2. the supervisor's latest review for P (审核状态);
3. the system's suggestion stored on the item (recomputed at import, report and review);
4. the slowest status the units claim in their entries for P ("正常推进。…" → 达进度);
5. otherwise 其它: with no review, suggestion or claim the bureau cannot place the item,
   and 其它类 is where real 通报 put what fits no progress category.

The summary sentence follows the bureau's wording, "共N项：已完成a项，占x%；…；未启动e项；
其它f项。": 已完成, 超进度, 达进度 and 欠进度 carry their share of all items (one decimal,
rounded half up as statistical publications round); 未启动 and 其它 are counts only. A
category with no items is left out, except 欠进度, which a 通报 always states ("欠进度0项")
because it is the figure leaders read first.

Section 二 names every item counted 欠进度 and every item past its 办结时限 on the bulletin's
date that is not 已完成; section 三 ranks units by workflow.on_time_statistics.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from gongxin.core.periods import Period
from gongxin.reports import docx
from gongxin.supervision.choices import Stage, Status
from gongxin.supervision.exporters import period_words, units_text
from gongxin.supervision.models import Item, Plan, Reminder, Review
from gongxin.supervision.services import workflow

ISSUER = "区工业和信息化局"
SUMMARY_ORDER = [
    Status.DONE,
    Status.AHEAD,
    Status.ON_TRACK,
    Status.BEHIND,
    Status.NOT_STARTED,
    Status.OTHER,
]
WITH_SHARE = {Status.DONE, Status.AHEAD, Status.ON_TRACK, Status.BEHIND}
ALWAYS_STATED = {Status.BEHIND}
HEADINGS = ("一、总体情况", "二、欠进度及逾期事项", "三、各单位报送情况")


@dataclass(frozen=True)
class LaggingItem:
    """An item the 通报 names: behind, or past its deadline and not closed."""

    seq: int
    content: str
    units: str
    status: str
    deadline: dt.date | None
    overdue: bool

    @property
    def status_label(self) -> str:
        return Status(self.status).label


@dataclass(frozen=True)
class Bulletin:
    plan_title: str
    period: Period
    today: dt.date
    total: int
    counts: dict[str, int]  # Status value → items, every status in SUMMARY_ORDER
    summary: str
    lagging: list[LaggingItem]
    ranking: list[workflow.OnTime]

    @property
    def title(self) -> str:
        return f"{self.plan_title}{period_words(self.period)}推进情况通报"


# --- wording ------------------------------------------------------------------------------


def date_zh(day: dt.date) -> str:
    """2021-04-01 → "2021年4月1日"."""
    return f"{day.year}年{day.month}月{day.day}日"


def month_day_zh(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def percent(part: int, whole: int) -> str:
    """part ÷ whole in percent, one decimal, half up: 1 of 16 → "6.3"."""
    if not whole:
        return "0.0"
    value = Decimal(part) * 100 / Decimal(whole)
    return str(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def summary_sentence(counts: Mapping[str, int]) -> str:
    """ "共N项：已完成a项，占x%；…；其它f项。" (rules in the module docstring)."""
    total = sum(counts.values())
    parts = []
    for status in SUMMARY_ORDER:
        count = counts.get(status, 0)
        if not count and status not in ALWAYS_STATED:
            continue
        part = f"{Status(status).label}{count}项"
        if status in WITH_SHARE and count:
            part += f"，占{percent(count, total)}%"
        parts.append(part)
    return f"共{total}项：" + "；".join(parts) + "。"


# --- reading ------------------------------------------------------------------------------


def _slowest(statuses) -> str:
    statuses = [s for s in statuses if s]
    return min(statuses, key=workflow.ROLLUP_ORDER.index) if statuses else ""


def item_status(item: Item, period: str, reviewed: Mapping[int, str]) -> str:
    """The status the 通报 counts the item under (see the module docstring)."""
    if item.stage == Stage.CLOSED:
        return Status.DONE
    if item.pk in reviewed:
        return reviewed[item.pk]
    if item.suggested_status:
        return item.suggested_status
    claimed = _slowest(r.claimed_status for r in item.reports.all() if r.period == period)
    return claimed or Status.OTHER


def bulletin_data(plan: Plan, period: Period | str, *, today: dt.date | None = None) -> Bulletin:
    period = Period.parse(period)
    key = str(period)
    today = today or timezone.localdate()
    reviewed: dict[int, str] = {}
    for item_id, status in (
        Review.objects.filter(item__plan=plan, period=key)
        .order_by("reviewed_at", "id")
        .values_list("item_id", "status")
    ):
        reviewed[item_id] = status  # the latest review wins
    items = plan.items.order_by("seq").prefetch_related("assignments", "reports")
    counts: Counter[str] = Counter()
    lagging = []
    for item in items:
        status = item_status(item, key, reviewed)
        counts[status] += 1
        overdue = bool(item.deadline and item.deadline < today) and status != Status.DONE
        if status == Status.BEHIND or overdue:
            lagging.append(
                LaggingItem(
                    seq=item.seq,
                    content=item.content,
                    units=units_text(item),
                    status=status,
                    deadline=item.deadline,
                    overdue=overdue,
                )
            )
    full_counts = {status.value: counts.get(status, 0) for status in SUMMARY_ORDER}
    return Bulletin(
        plan_title=plan.title,
        period=period,
        today=today,
        total=sum(full_counts.values()),
        counts=full_counts,
        summary=summary_sentence(full_counts),
        lagging=lagging,
        ranking=workflow.on_time_statistics(plan, key),
    )


# --- documents ----------------------------------------------------------------------------


def lagging_line(number: int, entry: LaggingItem) -> str:
    """ "1. 第4项 深化校地融合发展…（古镇口核心区、工信局分别牵头…）：欠进度。" """
    content = entry.content.rstrip("。；;，, ")
    line = f"{number}. 第{entry.seq}项 {content}（{entry.units}）：{entry.status_label}"
    if entry.overdue and entry.deadline:
        line += f"，办结时限为{date_zh(entry.deadline)}，已逾期"
    return line + "。"


def ranking_line(number: int, row: workflow.OnTime) -> str:
    return (
        f"{number}. {row.unit_name}：应报{row.due}项，已报{row.reported}项，"
        f"按时报送{row.on_time}项，按时报送率{percent(row.on_time, row.due)}%。"
    )


def bulletin_paragraphs(bulletin: Bulletin) -> tuple[list[str], list[int]]:
    """The body of the 通报 and the indexes of its section headings."""
    month = bulletin.period.month
    paragraphs: list[str] = []
    headings: list[int] = []

    def heading(text: str) -> None:
        headings.append(len(paragraphs))
        paragraphs.append(text)

    heading(HEADINGS[0])
    paragraphs.append(f"截至{month}月底，{bulletin.plan_title}{bulletin.summary}")
    heading(HEADINGS[1])
    if bulletin.lagging:
        paragraphs.append(
            f"以下{len(bulletin.lagging)}项事项欠进度或已逾期，请责任单位分析原因、"
            "制定措施，加快推进："
        )
        paragraphs += [lagging_line(n, e) for n, e in enumerate(bulletin.lagging, start=1)]
    else:
        paragraphs.append("本期无欠进度及逾期事项。")
    heading(HEADINGS[2])
    if bulletin.ranking:
        paragraphs.append(f"{month}月份各责任单位报送情况如下（以按时报送率排序）：")
        paragraphs += [ranking_line(n, r) for n, r in enumerate(bulletin.ranking, start=1)]
    else:
        paragraphs.append("本期无应报送事项。")
    return paragraphs, headings


def bulletin_docx(
    plan: Plan, period: Period | str, *, today: dt.date | None = None, issuer: str = ISSUER
) -> bytes:
    bulletin = bulletin_data(plan, period, today=today)
    paragraphs, headings = bulletin_paragraphs(bulletin)
    return docx.notice_docx(
        bulletin.title,
        paragraphs,
        signature=(issuer, date_zh(bulletin.today)),
        headings=headings,
    )


def reminder_paragraphs(reminder: Reminder) -> list[str]:
    plan = reminder.plan
    period = Period.parse(reminder.period)
    sent = timezone.localdate(reminder.sent_at)
    deadline = workflow.report_deadline(plan, period)
    items = list(reminder.items.order_by("seq"))
    paragraphs = [
        f"按照{plan.title}督查督办工作安排，各责任单位应于每月{plan.report_day}日前通过平台"
        f"报送当月推进情况。截至{date_zh(sent)}，你单位承担的以下{len(items)}项事项"
        f"{period.month}月份推进情况尚未报送：",
        *(f"{n}. 第{item.seq}项：{item.content}" for n, item in enumerate(items, start=1)),
    ]
    if sent <= deadline:
        paragraphs.append(
            f"请于{month_day_zh(deadline)}前通过平台报送推进情况及佐证材料。"
            "逾期未报送的，将在推进情况通报中予以通报。"
        )
    else:
        paragraphs.append(
            f"本期报送截止日期为{month_day_zh(deadline)}，现已逾期。请于收到本通知后立即通过"
            "平台报送推进情况及佐证材料，并说明逾期原因。逾期未报送的，将在推进情况通报中"
            "予以通报。"
        )
    return paragraphs


def reminder_docx(reminder: Reminder, *, issuer: str = ISSUER) -> bytes:
    period = Period.parse(reminder.period)
    return docx.letter_docx(
        f"关于报送{reminder.plan.title}{period.month}月份推进情况的催办通知",
        f"{reminder.unit.name}：",
        reminder_paragraphs(reminder),
        signature=(issuer, date_zh(timezone.localdate(reminder.sent_at))),
    )
