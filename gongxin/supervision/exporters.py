"""The monthly supervision report (.docx and .xlsx), laid out as the bureau's own table:
序号 | 事项内容 | 区分管领导 | 责任单位 | X月份目标 | 截至X月底完成情况."""

from __future__ import annotations

from dataclasses import dataclass

from gongxin.core.periods import Period
from gongxin.reports import docx, xlsx
from gongxin.supervision.models import Item, Plan
from gongxin.supervision.services import item_target, progress_cell

WIDTHS_CM = (1.2, 5.8, 1.9, 3.4, 5.0, 8.4)  # 25.7 cm: A4 landscape less 2 cm margins
WIDTHS_XLSX = (6, 40, 10, 22, 34, 60)


@dataclass(frozen=True)
class Report:
    title: str
    headers: list[str]
    rows: list[list[str]]


def period_words(period: Period) -> str:
    return f"1-{period.month}月份" if period.month > 1 else "1月份"


def units_text(item: Item) -> str:
    if item.units_text:
        return item.units_text
    names = [a.name_as_written for a in sorted(item.assignments.all(), key=lambda a: a.order)]
    return "、".join(names)


def build_report(plan: Plan, period: Period | str, items=None) -> Report:
    period = Period.parse(period)
    items = items if items is not None else plan.items.all()
    items = items.prefetch_related(
        "leader_links__leader", "assignments", "period_targets", "reports"
    )
    rows = [
        [
            str(item.seq),
            ("★" if item.key else "") + item.content,
            "\n".join(leader.name for leader in item.ordered_leaders),
            units_text(item),
            item_target(item, str(period)),
            progress_cell(item, str(period)),
        ]
        for item in items.order_by("seq")
    ]
    headers = [
        "序号",
        "事项内容",
        "区分管领导",
        "责任单位",
        f"{period.month}月份目标",
        f"截至{period.month}月底完成情况",
    ]
    return Report(f"{plan.title}{period_words(period)}推进情况", headers, rows)


def report_docx(report: Report) -> bytes:
    return docx.table_docx(report.title, report.headers, report.rows, widths_cm=WIDTHS_CM)


def report_xlsx(report: Report) -> bytes:
    return xlsx.titled_table_xlsx(
        report.title, report.headers, report.rows, widths=WIDTHS_XLSX, sheet_name="推进情况"
    )


FORMATS = {"docx": report_docx, "xlsx": report_xlsx}
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
