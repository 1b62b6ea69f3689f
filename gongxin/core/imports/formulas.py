"""Cells of an .xlsx whose value python-calamine would silently read as empty.

python-calamine reads the value Excel cached in `<v>` and cannot tell a formula whose
result was never computed (files written by scripts, some exporters) from an empty cell:
the number silently becomes "blank". Error values (`t="e"`, "#DIV/0!", "#N/A") read as
blank too. So the sheet XML is streamed first and such cells are refused by name ("B3").
A `<c>` with an `<f>` and no or an empty `<v>` has no result — except `t="str"` with
`<v></v>`, which is the cached empty text of a formula like `=IF(A1="","",…)`.

The XML is read with expat directly, in chunks, with DTDs refused: an OOXML part never
has one, and refusing it rules out entity-expansion attacks without defusedxml.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable
from xml.parsers import expat

from gongxin.core.imports.exceptions import ImportRefused
from gongxin.core.imports.gate import CORRUPT_ZIP

CHUNK = 64 * 1024
MAX_REPORTED = 10

_Start = Callable[[str, dict], None]
_End = Callable[[str], None]
_Chars = Callable[[str], None]


def _local(name: str) -> str:
    """ "{namespace}local" (expat with a namespace separator) → "local"."""
    return name.rpartition("}")[2]


def _refuse_dtd(*_args) -> None:
    raise ImportRefused(CORRUPT_ZIP)


def _stream(
    archive: zipfile.ZipFile,
    part: str,
    start: _Start,
    end: _End | None = None,
    chars: _Chars | None = None,
) -> None:
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if chars is not None:
        parser.CharacterDataHandler = chars
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except (expat.ExpatError, zipfile.BadZipFile, KeyError, EOFError, OSError) as error:
        raise ImportRefused(CORRUPT_ZIP) from error


def sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part path) of every worksheet, in workbook order."""
    sheets: list[tuple[str, str]] = []
    targets: dict[str, str] = {}

    def on_sheet(name: str, attrs: dict) -> None:
        if _local(name) == "sheet":
            rel = next((v for k, v in attrs.items() if _local(k) == "id" and "}" in k), "")
            sheets.append((attrs.get("name", ""), rel))

    def on_rel(name: str, attrs: dict) -> None:
        if _local(name) == "Relationship":
            targets[attrs.get("Id", "")] = attrs.get("Target", "")

    _stream(archive, "xl/workbook.xml", on_sheet)
    if "xl/_rels/workbook.xml.rels" in archive.namelist():
        _stream(archive, "xl/_rels/workbook.xml.rels", on_rel)
    parts = []
    for sheet_name, rel in sheets:
        target = targets.get(rel, "")
        if not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        parts.append((sheet_name, posixpath.normpath(path)))
    return parts


_REF = re.compile(r"([A-Z]+)(\d+)$")


def column_letters(index: int) -> str:
    """0 → "A", 25 → "Z", 26 → "AA"."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def unreadable_cells(archive: zipfile.ZipFile, part: str) -> tuple[list[str], list[str]]:
    """References ("B3") of formula cells without a cached value, and of cells holding an
    error value ("B3（#DIV/0!）"); at most MAX_REPORTED of each."""
    found: list[str] = []
    errors: list[str] = []
    state = {"row": 0, "col": -1, "ref": "", "t": "", "f": False, "v": None, "in_v": False}
    text: list[str] = []

    def start(name: str, attrs: dict) -> None:
        tag = _local(name)
        if tag == "row":
            state["row"] = int(attrs.get("r") or state["row"] + 1)
            state["col"] = -1
        elif tag == "c":
            ref = attrs.get("r", "")
            match = _REF.match(ref)
            if match:
                col = 0
                for letter in match.group(1):
                    col = col * 26 + ord(letter) - 64
                state["col"] = col - 1
            else:
                state["col"] += 1
                ref = f"{column_letters(state['col'])}{state['row']}"
            state.update(ref=ref, t=attrs.get("t", ""), f=False, v=None, in_v=False)
        elif tag == "f":
            state["f"] = True
        elif tag == "v":
            state["in_v"] = True
            text.clear()

    def end(name: str) -> None:
        tag = _local(name)
        if tag == "v":
            state["v"] = "".join(text)
            state["in_v"] = False
        elif tag == "c":
            value = state["v"]
            if state["t"] == "e" and len(errors) < MAX_REPORTED:
                errors.append(f"{state['ref']}（{(value or '').strip()}）")
            elif state["f"] and len(found) < MAX_REPORTED:
                cached_empty_text = value is not None and state["t"] == "str"
                if (value is None or not value.strip()) and not cached_empty_text:
                    found.append(state["ref"])

    def chars(data: str) -> None:
        if state["in_v"]:
            text.append(data)

    _stream(archive, part, start, end, chars)
    return found, errors


def _row_of(ref: str) -> int | None:
    match = re.match(r"[A-Z]+(\d+)", ref)
    return int(match.group(1)) if match else None


def refuse_unreadable_cells(archive: zipfile.ZipFile, part: str, sheet_name: str) -> None:
    """Raise ImportRefused naming the cells, unless every value can be trusted."""
    formulas, errors = unreadable_cells(archive, part)
    if formulas:
        more = "等" if len(formulas) >= MAX_REPORTED else ""
        raise ImportRefused(
            f"工作表“{sheet_name}”的 {'、'.join(formulas)}{more}单元格是公式，但文件中没有保存"
            "公式的计算结果，无法可靠读取。请在 Excel/WPS 中打开文件、重新计算并保存，"
            "或把公式转换为数值后重新上传。",
            row=_row_of(formulas[0]),
        )
    if errors:
        more = "等" if len(errors) >= MAX_REPORTED else ""
        raise ImportRefused(
            f"工作表“{sheet_name}”的 {'、'.join(errors)}{more}单元格是错误值，"
            "请修正公式或数据后重新上传。",
            row=_row_of(errors[0]),
        )
