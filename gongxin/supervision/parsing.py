"""Reading supervision tables as the bureau writes them (pure functions, no database).

Seed 003 is the reference: a title line ("2021年区政府工作报告确定事项1-3月份推进情况"),
then a table exported as text where each cell starts with a tab and may continue over
further lines. Tables from .docx/.xlsx arrive as rows of cells and go through the same
row interpretation (`rows_to_items`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from gongxin.core.text import normalize_name

# Column roles and the header texts that name them (tested against real variants).
HEADER_PATTERNS: dict[str, re.Pattern[str]] = {
    "seq": re.compile(r"^(序号|编号)$"),
    "content": re.compile(r"^(事项内容|工作任务|重点任务|工作内容|任务内容|重点工作|事项)$"),
    "leaders": re.compile(r"^(区|市|县)?(分管|责任|牵头)?(区|市|县)?领导$|^(区|市|县)?分管$"),
    "units": re.compile(r"^(责任单位|责任部门|承办单位|牵头单位|主责单位)$"),
    "assist_units": re.compile(r"^(配合单位|协办单位|配合部门)$"),
    "target": re.compile(
        r"^(\d{1,2}月份?目标|本月目标|时间节点|阶段目标|阶段性目标|\d{1,2}月份?工作目标)$"
    ),
    "progress": re.compile(r"(完成情况|推进情况|进展情况|落实情况)$"),
}
REQUIRED_COLUMNS = ("content",)
COLUMN_LABELS = {
    "seq": "序号", "content": "事项内容", "leaders": "分管领导", "units": "责任单位",
    "assist_units": "配合单位", "target": "阶段目标", "progress": "完成情况",
}  # fmt: skip

CLAIMED_STATUSES = (
    "正常推进",
    "已完成",
    "提前完成",
    "超进度",
    "达进度",
    "欠进度",
    "推进缓慢",
    "未启动",
)
_CLAIM = re.compile(r"^\s*(" + "|".join(CLAIMED_STATUSES) + r")[。．.，,；;：:\s]")
_KEY_MARK = re.compile(r"^\s*[★☆]\s*")
_NAME_SPLIT = re.compile(r"[、，,；;/／\n]+")
_PLACEHOLDER_SUFFIX = re.compile(r"(等部门|等单位|等相关部门|等相关单位|等)$")
_COLLECTIVE = re.compile(r"^(各|相关|有关)|各(镇|街|区|市|县|部门|单位)")


@dataclass(frozen=True)
class UnitAssignment:
    """Responsible units of an item as written, by role."""

    mode: str  # sole | lead_assist | separately | separate_leads
    lead: tuple[str, ...] = ()
    assist: tuple[str, ...] = ()
    separately: tuple[str, ...] = ()
    placeholders: tuple[str, ...] = ()  # collective names a person must resolve

    @property
    def all_units(self) -> tuple[str, ...]:
        return self.lead + self.separately + self.assist


@dataclass
class ParsedItem:
    seq: int
    content: str
    key: bool
    leaders: list[str]
    units: UnitAssignment
    units_text: str
    period_target: str
    progress: str
    claimed_status: str | None
    row: int  # where the item starts: a line number (text) or a row number (sheet)
    problems: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "seq": self.seq,
            "content": self.content,
            "key": self.key,
            "leaders": self.leaders,
            "mode": self.units.mode,
            "units": {
                "lead": list(self.units.lead),
                "assist": list(self.units.assist),
                "separately": list(self.units.separately),
            },
            "period_target": self.period_target,
            "progress": self.progress,
            "claimed_status": self.claimed_status,
        }


class TableFormatError(ValueError):
    """The input is not a supervision table; message in Chinese, with the row/column."""

    def __init__(self, message: str, row: int | None = None, column: str | None = None):
        super().__init__(message)
        self.message, self.row, self.column = message, row, column


# --- cells and names ---------------------------------------------------------------


def clean_cell(text: str | None) -> str:
    """Trim a cell but keep its inner line structure (multi-line cells stay multi-line)."""
    if text is None:
        return ""
    lines = [
        line.rstrip() for line in str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    ]
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines).strip()


def split_names(text: str) -> list[str]:
    """Leader or unit names in a cell: one per line or separated by 、，; inner spaces go."""
    names = [normalize_name(part) for part in _NAME_SPLIT.split(text or "")]
    return [n for n in names if n]


def parse_leaders(cell: str) -> list[str]:
    return split_names(cell)


def parse_claimed_status(progress: str) -> str | None:
    """A leading "正常推进。" (or another status word) is the unit's claimed status."""
    match = _CLAIM.match(progress or "")
    return match.group(1) if match else None


def parse_key(content: str) -> tuple[bool, str]:
    """ "★瞄准人工智能…" → (True, "瞄准人工智能…")."""
    match = _KEY_MARK.match(content)
    return (True, content[match.end() :]) if match else (False, content)


def is_collective(name: str) -> bool:
    """ "各行业主管部门", "相关部门": not one unit but a group a person must name."""
    return bool(_COLLECTIVE.search(name))


def _names_and_placeholders(text: str) -> tuple[list[str], list[str]]:
    names, placeholders = [], []
    for name in split_names(text):
        suffix = _PLACEHOLDER_SUFFIX.search(name)
        if suffix:
            placeholders.append(name)
            name = name[: suffix.start()]
        if is_collective(name):
            placeholders.append(name)
        if name:
            names.append(name)
    return names, placeholders


_ROLE_MARKERS = (
    ("separate_leads", re.compile(r"(分别牵头|分别负责牵头)$")),
    ("separately", re.compile(r"(分别办理|分别负责|分别承办|分别落实)$")),
    ("lead", re.compile(r"(牵头负责|牵头|负责|主办)$")),
    ("assist", re.compile(r"(配合|协办|参与|协助)$")),
)


def parse_units(text: str) -> UnitAssignment:
    """ "区工信局牵头，发改局、国内招商促进中心配合" → lead [区工信局], assist [发改局, …].

    Without markers the first unit leads and the rest assist (DOMAIN.md); "分别办理"
    makes every listed unit responsible; "分别牵头" several leads.
    """
    flat = normalize_name(text).replace("\n", "")
    clauses = [c for c in re.split(r"[，,；;。]", flat) if c]
    lead: list[str] = []
    assist: list[str] = []
    separately: list[str] = []
    placeholders: list[str] = []
    mode = None
    unmarked: list[str] = []
    for clause in clauses:
        role, body = None, clause
        for name, pattern in _ROLE_MARKERS:
            match = pattern.search(clause)
            if match:
                role, body = name, clause[: match.start()]
                break
        names, flagged = _names_and_placeholders(body)
        placeholders += flagged
        if role == "separate_leads":
            lead += names
            mode = "separate_leads"
        elif role == "separately":
            separately += names
            mode = mode or "separately"
        elif role == "lead":
            lead += names
        elif role == "assist":
            assist += names
        else:
            unmarked += names
    if unmarked:
        if lead or separately:
            assist += unmarked
        else:
            lead, assist = unmarked[:1], unmarked[1:] + assist
    if mode is None:
        mode = "lead_assist" if assist or len(lead) > 1 else "sole"
    return UnitAssignment(mode, tuple(lead), tuple(assist), tuple(separately), tuple(placeholders))


# --- seed 003's text form -------------------------------------------------------------


@dataclass(frozen=True)
class TextCell:
    text: str
    line: int  # 1-based line number where the cell starts


def text_cells(text: str) -> tuple[str, list[TextCell]]:
    """Split the tab-started cell layout; returns (title, cells)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    title = ""
    cells: list[TextCell] = []
    current: list[str] | None = None
    start = 0
    for number, line in enumerate(lines, start=1):
        if line.startswith("\t"):
            if current is not None:
                cells.append(TextCell("\n".join(current), start))
            current, start = [line[1:]], number
        elif current is not None:
            current.append(line)
        elif line.strip() and not title:
            title = line.strip()
    if current is not None:
        cells.append(TextCell("\n".join(current), start))
    return title, cells


def is_header_row(cells: Sequence[str]) -> bool:
    """Three different column roles: a merged title row repeats one text in every cell."""
    return len({header_role(str(c or "")) for c in cells} - {None}) >= 3


def header_role(text: str) -> str | None:
    label = normalize_name(text).replace("\n", "")
    for role, pattern in HEADER_PATTERNS.items():
        if pattern.search(label) if role == "progress" else pattern.match(label):
            return role
    return None


def text_rows(text: str) -> tuple[str, list[str], list[tuple[int, list[str]]]]:
    """The tab layout as (title, header cells, [(line, row cells)]): a row starts at a
    cell holding only a sequence number and has as many cells as the header."""
    title, cells = text_cells(text)
    header_end = 0
    while header_end < len(cells) and not cells[header_end].text.strip().isdigit():
        header_end += 1
    header = [c.text for c in cells[:header_end]]
    if not header or not is_header_row(header):
        raise TableFormatError(
            "未找到表头（序号、事项内容、责任单位等），无法识别为督办事项表。", row=1
        )
    width = len(header)
    rows: list[tuple[int, list[str]]] = []
    position = header_end
    while position < len(cells):
        chunk = cells[position : position + width]
        if not chunk[0].text.strip().isdigit():
            raise TableFormatError(
                f"第{chunk[0].line}行应为事项序号，实际为“{chunk[0].text.strip()[:20]}”。",
                row=chunk[0].line,
            )
        if len(chunk) < width:
            raise TableFormatError(
                f"第{chunk[0].line}行起的事项缺少单元格（应有{width}列）。", row=chunk[0].line
            )
        rows.append((chunk[0].line, [c.text for c in chunk]))
        position += width
    return title, header, rows


# --- rows → items (text, .docx and .xlsx share this) -----------------------------------


def map_columns(header: Sequence[str]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for index, cell in enumerate(header):
        role = header_role(cell)
        if role and role not in roles:
            roles[role] = index
    missing = [COLUMN_LABELS[r] for r in REQUIRED_COLUMNS if r not in roles]
    if missing:
        raise TableFormatError(
            f"缺少“{'、'.join(missing)}”列，无法导入。", row=1, column=missing[0]
        )
    return roles


def period_month_from_header(header: Sequence[str]) -> int | None:
    for cell in header:
        match = re.search(r"(\d{1,2})月", normalize_name(cell))
        if match and header_role(cell) in ("target", "progress"):
            return int(match.group(1))
    return None


def rows_to_items(
    header: Sequence[str], rows: Iterable[tuple[int, Sequence[str]]]
) -> list[ParsedItem]:
    columns = map_columns(header)

    def cell(values: Sequence[str], role: str) -> str:
        index = columns.get(role)
        return clean_cell(values[index]) if index is not None and index < len(values) else ""

    items: list[ParsedItem] = []
    for number, (row, values) in enumerate(rows, start=1):
        content_raw = cell(values, "content")
        if not content_raw and not any(clean_cell(v) for v in values):
            continue
        key, content = parse_key(content_raw)
        seq_text = cell(values, "seq")
        seq = int(seq_text) if seq_text.isdigit() else number
        units_text = cell(values, "units")
        assist_text = cell(values, "assist_units")
        if assist_text:
            units_text = f"{units_text}牵头，{assist_text}配合" if units_text else assist_text
        progress = cell(values, "progress")
        item = ParsedItem(
            seq=seq,
            content=content,
            key=key,
            leaders=parse_leaders(cell(values, "leaders")),
            units=parse_units(units_text),
            units_text=units_text,
            period_target=cell(values, "target"),
            progress=progress,
            claimed_status=parse_claimed_status(progress),
            row=row,
        )
        if not content:
            item.problems.append("事项内容为空。")
        if not units_text:
            item.problems.append("未填写责任单位。")
        items.append(item)
    return items


def parse_text_table(text: str) -> tuple[str, list[str], list[ParsedItem]]:
    """Seed 003's text form → (title, header, items)."""
    title, header, rows = text_rows(text)
    return title, header, rows_to_items(header, rows)
