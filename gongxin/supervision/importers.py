"""Importer of supervision tables (督办事项表): seed 003's text form, .docx and .xlsx.

One row is one item, keyed by its sequence number within the plan. The plan is named by
the import option or by the file's title line ("2021年区政府工作报告确定事项1-3月份推进情况"
→ plan "2021年区政府工作报告确定事项", period 2021-03).
"""

from __future__ import annotations

import io
import re
from typing import Any

from django import forms

from gongxin.accounts.choices import Role
from gongxin.core.imports import readers
from gongxin.core.imports.base import Column, Importer, Item, Row, register
from gongxin.core.imports.decoding import decode_text
from gongxin.core.imports.exceptions import ImportRefused
from gongxin.core.imports.readers import Grid
from gongxin.core.periods import Period, period_from_title
from gongxin.supervision import parsing, services

MONTHS = range(1, 13)
COLUMNS = (
    Column("seq", "序号", ("编号",)),
    Column("content", "事项内容", ("工作任务", "重点任务", "工作内容", "任务内容", "重点工作"), required=True),
    Column("leaders", "区分管领导", ("分管领导", "区分管", "责任领导", "牵头领导", "区领导", "市分管领导", "县分管领导")),
    Column("units", "责任单位", ("牵头单位", "责任部门", "承办单位", "主责单位")),
    Column("assist_units", "配合单位", ("协办单位", "配合部门")),
    Column(
        "target", "阶段目标",
        ("本月目标", "时间节点", "阶段性目标", *(f"{m}月份目标" for m in MONTHS), *(f"{m}月目标" for m in MONTHS)),
    ),
    Column(
        "progress", "完成情况",
        ("推进情况", "进展情况", "落实情况", *(f"截至{m}月底完成情况" for m in MONTHS),
         *(f"截至{m}月底推进情况" for m in MONTHS), *(f"{m}月份推进情况" for m in MONTHS)),
    ),
)  # fmt: skip
_TITLE_PERIOD = re.compile(
    r"(\d{1,2}[-－~至到]\d{1,2}月份?|\d{1,2}月份?|[一二三四]季度|上半年|前三季度|全年).*$"
)


class SupervisionImportOptions(forms.Form):
    plan_title = forms.CharField(
        label="计划名称",
        required=False,
        max_length=200,
        help_text="不填时取文件标题，如“2021年区政府工作报告确定事项”。",
    )
    period = forms.CharField(
        label="统计期",
        required=False,
        max_length=7,
        help_text="YYYY-MM，不填时从标题或“X月份目标”列名推断。",
    )

    def clean_period(self):
        value = self.cleaned_data["period"].strip()
        if not value:
            return ""
        try:
            return str(Period.parse(value))
        except ValueError as error:
            raise forms.ValidationError("统计期应写作YYYY-MM，如2021-03。") from error


def plan_title_from(title: str) -> str:
    """ "2021年区政府工作报告确定事项1-3月份推进情况" → "2021年区政府工作报告确定事项"."""
    return _TITLE_PERIOD.sub("", title).strip() or title.strip()


@register
class SupervisionImporter(Importer):
    slug = "supervision"
    label = "督办事项表"
    description = (
        "导入督办事项表（如区政府工作报告确定事项推进情况表）：每行一个事项，按序号识别。"
        "支持 Word 表格、Excel 和从 Word 复制的文本；同一计划再次导入时更新有变化的事项。"
    )
    formats = ("docx", "xlsx", "xls", "csv", "txt")
    columns = COLUMNS
    roles = frozenset({Role.SUPERVISOR})
    options_form = SupervisionImportOptions

    def __init__(self, user=None, options=None):
        super().__init__(user, options)
        self.title = ""
        self.header_month: int | None = None
        self.parsed: list[parsing.ParsedItem] = []
        self._plan_problem: str | None = None

    # --- reading ------------------------------------------------------------------------

    def grids(self, fmt: str, data: bytes, name: str):
        if fmt in ("txt", "csv"):
            yield self._text_grid(decode_text(data), name)
            return
        if fmt == "docx":
            self.title = _docx_title(data)
        for grid in readers.grids(fmt, data, name):
            if not self.title and grid.rows:
                first = next((str(c).strip() for c in grid.rows[0][1] if str(c or "").strip()), "")
                if first and not parsing.is_header_row(grid.rows[0][1]):
                    self.title = first
            yield grid

    def _text_grid(self, content: str, name: str) -> Grid:
        from gongxin.supervision import text_layouts

        if not content.strip():
            raise ImportRefused("文件为空。")
        try:
            title, header, rows = text_layouts.to_table(content)
        except parsing.TableFormatError as error:
            raise ImportRefused(error.message, row=error.row, column=error.column) from error
        self.title = title
        # Tab and one-cell-per-line layouts: the header's lines end where the first row
        # starts; the labelled layouts have no header line of their own.
        header_line = max(rows[0][0] - len(header), 1) if rows else 2
        return Grid(name or "文本", [(header_line, header), *rows])

    def plan_title(self) -> str:
        return self.options.get("plan_title") or plan_title_from(self.title)

    def period(self) -> Period:
        if self.options.get("period"):
            return Period.parse(self.options["period"])
        found = period_from_title(self.title) if self.title else None
        if found is not None:
            return found
        year = re.search(r"(20\d{2})年", self.plan_title() or "")
        if year and self.header_month:
            return Period(int(year.group(1)), self.header_month)
        raise ImportRefused(
            "无法确定统计期：请在导入选项中填写统计期（如2021-03），或在标题中写明月份。"
        )

    def lock_key(self) -> str:
        return f"import:supervision:{self.plan_title()}"

    # --- rows ---------------------------------------------------------------------------

    def _check_plan(self, row: Row) -> bool:
        """Plan title and period must be known before any row means anything."""
        if self._plan_problem is None:
            self.header_month = parsing.period_month_from_header(
                [row.headers.get("target") or "", row.headers.get("progress") or ""]
            )
            self._plan_problem = ""
            if not self.plan_title():
                self._plan_problem = "无法确定计划名称：请在导入选项中填写，或在文件首行写明标题。"
            else:
                try:
                    self.period()
                except ImportRefused as refusal:
                    self._plan_problem = refusal.message
            if self._plan_problem:
                row.error(None, self._plan_problem)
        return not self._plan_problem

    def clean(self, row: Row) -> dict[str, Any] | None:
        if not self._check_plan(row):
            return None
        cells = [
            row.text(key) if row.has(key) else ""
            for key in ("seq", "content", "leaders", "units", "assist_units", "target", "progress")
        ]
        header = ["序号", "事项内容", "分管领导", "责任单位", "配合单位", "阶段目标", "完成情况"]
        item = parsing.rows_to_items(header, [(row.number, cells)])
        if not item:
            return None
        parsed = item[0]
        if not cells[0].isdigit():
            row.error("seq" if row.has("seq") else "content", "序号应为正整数。")
            return None
        for problem in parsed.problems:
            row.error("content" if "事项内容" in problem else "units", problem)
        if not parsed.units.all_units:
            return None
        self.parsed.append(parsed)
        return {"parsed": parsed}

    def key(self, record):
        return record["parsed"].seq

    def existing(self, keys):
        return services.items_by_seq(self.plan_title(), keys)

    def compare(self, item: Item):
        after = services.item_state_from_parsed(item.record["parsed"], self.period())
        if item.obj is None:
            return None, after
        before = services.item_state(item.obj, self.period())
        changed_before = {k: before.get(k) for k in after if before.get(k) != after[k]}
        return changed_before, {k: after[k] for k in changed_before}

    def write(self, items: list[Item]) -> None:
        changed = [(i.record["parsed"], i.obj, i.before) for i in items if i.action != "unchanged"]
        services.apply_import(
            self.user, self.plan_title(), self.period(), changed, reason=self.reason
        )

    def describe(self, item: Item) -> str:
        return f"第{item.key}项"

    def extra_result(self, items: list[Item]) -> dict[str, Any]:
        warnings = []
        for parsed in self.parsed:
            for name in parsed.units.placeholders:
                warnings.append(
                    {
                        "row": parsed.row,
                        "column": "责任单位",
                        "message": f"“{name}”不是具体单位，导入后请在事项中明确。",
                    }
                )
            for name in services.unknown_units(parsed.units.all_units):
                warnings.append(
                    {
                        "row": parsed.row,
                        "column": "责任单位",
                        "message": f"单位“{name}”尚未登记，导入时将新建。",
                    }
                )
        try:
            plan = {"title": self.plan_title(), "period": str(self.period())}
        except ImportRefused:
            plan = {"title": self.plan_title(), "period": None}
        return {
            **super().extra_result(items),
            "plan": plan,
            "warnings": warnings,
            "items": [p.as_json() for p in sorted(self.parsed, key=lambda p: p.seq)],
        }


def _docx_title(data: bytes) -> str:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # the reader reports the damaged file itself
        return ""
    return next((p.text.strip() for p in document.paragraphs if p.text.strip()), "")
