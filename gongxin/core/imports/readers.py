"""Files → grids of cell values, numbered as the user sees them.

Every reader yields `Grid`s: one per visible worksheet, per .docx table, or one for a
text file. A grid's rows carry their number in the file — the sheet row (title and
header rows included), the table row, or the line of a text file — so an error can
name the place the user will look at. Merged cells are filled with their top-left
value, as a reader of the printed table would read them.

Callers must have passed the file through `gate.check` first, and must call
`grid.verify()` before trusting a grid's values (for .xlsx it refuses formula cells
without cached values and error values, which calamine reads as empty).
"""

from __future__ import annotations

import csv
import io
import logging
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import docx
from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from gongxin.core.imports import formulas
from gongxin.core.imports.decoding import decode_text
from gongxin.core.imports.exceptions import ImportRefused
from gongxin.core.imports.gate import TEXT_FORMATS

log = logging.getLogger(__name__)

CORRUPT = {
    "xlsx": "文件已损坏或不是有效的 .xlsx 文件。",
    "xls": "文件已损坏或不是有效的 .xls 文件。",
    "docx": "文件已损坏或不是有效的 .docx 文件。",
}
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _trusted() -> None:
    return None


@dataclass
class Grid:
    """One table of a file: rows of (number as the user sees it, cell values)."""

    name: str
    rows: list[tuple[int, list[Any]]]
    verify: Callable[[], None] = field(default=_trusted)


def grids(fmt: str, data: bytes, name: str = "", *, text: bool = False) -> Iterator[Grid]:
    """The grids of a gated file. With `text=True` a text file or .docx is read as lines
    (one cell each: the line's text) instead of as a table."""
    if fmt in ("xlsx", "xls"):
        yield from workbook_grids(fmt, data)
    elif fmt == "docx":
        yield from docx_grids(data, text=text)
    elif fmt in TEXT_FORMATS:
        content = decode_text(data)
        if not content.strip():
            raise ImportRefused("文件为空。")
        yield line_grid(content, name) if text else csv_grid(content, name)
    else:  # the gate lets no other format through
        raise ImportRefused(f"不支持的文件类型“.{fmt}”。")


# --- Workbooks ------------------------------------------------------------------------------


def _open_workbook(fmt: str, data: bytes) -> CalamineWorkbook:
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as error:  # calamine raises several unrelated types for bad files
        log.info("calamine refused a %s file: %s", fmt, error)
        raise ImportRefused(CORRUPT[fmt]) from error


def fill_merged(rows: list[list[Any]], ranges) -> None:
    """Give every cell of a merged range its top-left value, clipped to the data read
    (a merged range may declare the whole sheet; it must not make us allocate it)."""
    height = len(rows)
    width = max((len(r) for r in rows), default=0)
    for (r0, c0), (r1, c1) in ranges or ():
        if r0 >= height or c0 >= width:
            continue
        value = rows[r0][c0] if c0 < len(rows[r0]) else ""
        for r in range(r0, min(r1, height - 1) + 1):
            row = rows[r]
            for c in range(c0, min(c1, width - 1) + 1):
                if c < len(row):
                    row[c] = value


def workbook_grids(fmt: str, data: bytes) -> Iterator[Grid]:
    book = _open_workbook(fmt, data)
    archive = zipfile.ZipFile(io.BytesIO(data)) if fmt == "xlsx" else None
    parts = dict(formulas.sheet_parts(archive)) if archive is not None else {}
    for meta in book.sheets_metadata:
        # What the user cannot see is not imported: hidden sheets hold lookup lists.
        if meta.typ != SheetTypeEnum.WorkSheet or meta.visible != SheetVisibleEnum.Visible:
            continue
        try:
            sheet = book.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False)
            fill_merged(rows, sheet.merged_cell_ranges)
        except Exception as error:
            log.info("calamine could not read sheet %r: %s", meta.name, error)
            raise ImportRefused(CORRUPT[fmt]) from error
        verify = _trusted
        if archive is not None:
            part = parts.get(meta.name)
            if part is None:
                raise ImportRefused(CORRUPT[fmt])
            verify = _formula_check(archive, part, meta.name)
        yield Grid(meta.name, [(i + 1, row) for i, row in enumerate(rows)], verify)


def _formula_check(archive: zipfile.ZipFile, part: str, sheet: str) -> Callable[[], None]:
    def verify() -> None:
        formulas.refuse_unreadable_cells(archive, part, sheet)

    return verify


# --- Word -----------------------------------------------------------------------------------


def docx_grids(data: bytes, *, text: bool = False) -> Iterator[Grid]:
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises KeyError, ValueError, lxml errors…
        log.info("python-docx refused a file: %s", error)
        raise ImportRefused(CORRUPT["docx"]) from error
    if text:
        yield Grid("正文", [(i, [p.text]) for i, p in enumerate(document.paragraphs, start=1)])
        return
    for index, table in enumerate(document.tables, start=1):
        try:
            # python-docx repeats a merged cell in every grid column and row it spans.
            rows = [
                (number, [cell.text for cell in row.cells])
                for number, row in enumerate(table.rows, start=1)
            ]
        except Exception as error:
            raise ImportRefused(CORRUPT["docx"]) from error
        yield Grid(f"表格{index}", rows)


# --- Text -----------------------------------------------------------------------------------


def sniff_delimiter(content: str) -> str:
    """Tab when the first line is tab-separated (pasted from Excel), else comma."""
    first = next((line for line in _LINE_BREAK.split(content) if line.strip()), "")
    return "\t" if first.count("\t") > first.count(",") else ","


def csv_grid(content: str, name: str = "") -> Grid:
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=sniff_delimiter(content))
    rows: list[tuple[int, list[Any]]] = []
    last_line = 0
    try:
        for cells in reader:
            # A quoted cell may span lines: the row is numbered by its first line.
            rows.append((last_line + 1, cells))
            last_line = reader.line_num
    except csv.Error as error:
        line = last_line + 1
        raise ImportRefused(
            f"第 {line} 行格式有误（引号不配对或内容过长），无法按 CSV 读取。", row=line
        ) from error
    return Grid(name or "CSV", rows)


def line_grid(content: str, name: str = "") -> Grid:
    lines = _LINE_BREAK.split(content)
    return Grid(name or "文本", [(i, [line]) for i, line in enumerate(lines, start=1)])
