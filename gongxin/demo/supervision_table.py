"""Reading the seed supervision table (seeds/003): its rows, 分管领导 and 责任单位 columns.

The seed is the text of a Word table: every cell starts on a line that begins with a tab,
and a cell that spans several lines continues on lines without the leading tab. Only the
leader and unit columns are interpreted here; the items themselves belong to supervision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from gongxin.core.text import normalize_name

SEEDS_DIR = Path(__file__).resolve().parent / "seeds"
SUPERVISION_SEED = "003_09e300f7dafa71f7.txt"

# Column headers as they read after normalize_name ("区分管\n\n领导" → "区分管领导").
NUMBER, CONTENT, LEADERS, UNITS = "序号", "事项内容", "区分管领导", "责任单位"

# Clause endings that name a unit's part in the item, not the unit.
_ROLE_SUFFIX = re.compile(r"(分别牵头|分别办理|牵头|配合|等部门|等单位)$")
_CLAUSE_SEP = re.compile(r"[，,；;]")
_NAME_SEP = re.compile(r"[、/]")
_ALSO_KNOWN_AS = re.compile(r"[（(]([^）)]+)[）)]")
_LEADER_SEP = re.compile(r"[\n、，,；;]")
_HAN_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$")


@dataclass(frozen=True)
class Row:
    """One item row of the table: its number and its cells by normalised header."""

    number: int
    cells: dict[str, str]

    @property
    def leader_cell(self) -> str:
        return self.cells[LEADERS]

    @property
    def unit_cell(self) -> str:
        return self.cells[UNITS]


@dataclass(frozen=True)
class WrittenUnit:
    """A unit as a row names it; `also_known_as` holds a name given in brackets after it
    ("区新经济发展促进中心（品牌发展中心）")."""

    name: str
    also_known_as: tuple[str, ...] = ()


def read_seed(name: str = SUPERVISION_SEED) -> str:
    return (SEEDS_DIR / name).read_text(encoding="utf-8")


def cells(text: str) -> list[str]:
    """The table's cells in reading order, each stripped of surrounding blank lines."""
    found: list[str] = []
    current: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("\t"):
            if current is not None:
                found.append("\n".join(current).strip())
            current = [line.strip()]
        elif current is not None:
            current.append(line.rstrip())
    if current is not None:
        found.append("\n".join(current).strip())
    return found


def rows(text: str) -> list[Row]:
    """The item rows; raises ValueError when the text is not laid out as the seed table."""
    all_cells = cells(text)
    headers: list[str] = []
    for cell in all_cells:
        if cell == "1":
            break
        headers.append(normalize_name(cell))
    if not headers or headers[0] != NUMBER or LEADERS not in headers or UNITS not in headers:
        raise ValueError(f"不是督办表：表头为 {headers!r}")
    width = len(headers)
    body = all_cells[width:]
    if len(body) % width:
        raise ValueError(f"督办表的单元格数 {len(body)} 不是列数 {width} 的整数倍")
    result = []
    for start in range(0, len(body), width):
        chunk = body[start : start + width]
        number = start // width + 1
        if chunk[0] != str(number):
            raise ValueError(f"第{number}行的序号是“{chunk[0]}”")
        result.append(Row(number, dict(zip(headers, chunk, strict=True))))
    return result


def split_leaders(cell: str) -> list[str]:
    """ "刘  玮\n\n隋  斌" → ["刘玮", "隋斌"] (names are padded with inner spaces)."""
    names = [normalize_name(part) for part in _LEADER_SEP.split(cell)]
    for name in names:
        if name and not _HAN_NAME.match(name):
            raise ValueError(f"“{name}”不像一位领导的姓名")
    return [name for name in names if name]


def split_units(cell: str) -> list[WrittenUnit]:
    """ "区工信局牵头，发改局、国内招商促进中心配合" → 区工信局, 发改局, 国内招商促进中心.

    Generic phrases ("各行业主管部门") name no unit and are left out.
    """
    found: list[WrittenUnit] = []
    for clause in _CLAUSE_SEP.split(cell):
        clause = normalize_name(clause)
        while True:
            shorter = _ROLE_SUFFIX.sub("", clause)
            if shorter == clause:
                break
            clause = shorter
        for part in _NAME_SEP.split(clause):
            aliases = tuple(normalize_name(a) for a in _ALSO_KNOWN_AS.findall(part))
            name = _ALSO_KNOWN_AS.sub("", part).strip()
            if not name or name.startswith("各"):
                continue
            found.append(WrittenUnit(name, aliases))
    return found


def leader_names(table: list[Row]) -> list[str]:
    """Every leader named in the table, in order of first appearance."""
    seen: dict[str, None] = {}
    for row in table:
        for name in split_leaders(row.leader_cell):
            seen.setdefault(name, None)
    return list(seen)


def unit_names(table: list[Row]) -> list[WrittenUnit]:
    """Every unit named in the table as written, in order of first appearance."""
    seen: dict[str, WrittenUnit] = {}
    for row in table:
        for unit in split_units(row.unit_cell):
            if unit.name in seen:
                merged = seen[unit.name].also_known_as + unit.also_known_as
                seen[unit.name] = WrittenUnit(unit.name, tuple(dict.fromkeys(merged)))
            else:
                seen[unit.name] = unit
    return list(seen.values())
