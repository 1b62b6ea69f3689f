"""Excel (.xlsx) builders. They receive rows; they never query."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import xlsxwriter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def table_xlsx(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """One sheet: a bold header row, then the rows; numbers stay numbers."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = book.add_worksheet(title[:31] or "Sheet1")
    bold = book.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1})
    when = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    widths = [max(8, len(h) * 2 + 2) for h in headers]
    for col, header in enumerate(headers):
        sheet.write_string(0, col, header, bold)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            value = escape_cell(value)
            if value is None:
                continue
            if isinstance(value, dt.datetime):
                sheet.write_datetime(r, c, value.replace(tzinfo=None), when)
            elif isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), day)
            elif isinstance(value, bool):
                sheet.write_string(r, c, "是" if value else "否")
            elif isinstance(value, int | float | Decimal):
                sheet.write_number(r, c, float(value))
            else:
                text = str(value)
                sheet.write_string(r, c, text)
                widths[c] = min(60, max(widths[c], len(text) + 2))
    for c, width in enumerate(widths):
        sheet.set_column(c, c, width)
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


def titled_table_xlsx(
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    widths: Sequence[int] | None = None,
    sheet_name: str = "Sheet1",
) -> bytes:
    """A report sheet: a merged title row, a header row, wrapped text cells (multi-line
    cells stay multi-line), printed landscape on A4 with the header repeated."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = book.add_worksheet(sheet_name[:31])
    title_format = book.add_format(
        {"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"}
    )
    head = book.add_format(
        {
            "bold": True,
            "border": 1,
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
            "bg_color": "#E8EEF7",
        }
    )
    cell = book.add_format({"border": 1, "valign": "top", "text_wrap": True})
    sheet.merge_range(0, 0, 0, len(headers) - 1, title, title_format)
    sheet.set_row(0, 30)
    for col, header in enumerate(headers):
        sheet.write_string(1, col, header, head)
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values):
            value = escape_cell(value)
            if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                sheet.write_number(r, c, float(value), cell)
            else:
                sheet.write_string(r, c, "" if value is None else str(value), cell)
    for c, width in enumerate(widths or [16] * len(headers)):
        sheet.set_column(c, c, width)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.repeat_rows(1)
    sheet.fit_to_pages(1, 0)
    book.close()
    return buffer.getvalue()
