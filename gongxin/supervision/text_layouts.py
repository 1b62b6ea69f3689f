"""Pasted supervision tables in every text layout the bureau's documents use (pure functions).

`to_table(text)` returns (title, header, rows) exactly as `parsing.text_rows` does for
seed 003's tab layout, so the importer reads every layout through `parsing.rows_to_items`.
Row numbers are the 1-based lines where the items start.

Layouts, tried in this order (the first that fits wins; `detect_layout` names it):

tab
    Seed 003 copied from Word: every cell starts with a tab. Recognised when a line starts
    with a tab and the tab-started cells before the first sequence number name at least
    three column roles; read by `parsing.text_rows`.
cells
    The same table pasted without the tabs, one cell per line. Recognised when, after an
    optional title line, consecutive lines are column names (a name broken over lines,
    "区分管" / "领导", is joined) naming at least three roles including 事项内容. The
    number of header lines is the number of columns. Multi-line cells cannot be told
    from the next cell, so: every non-blank line is one cell; when the header starts with
    序号, a line holding only a number starts a row once the current row has all its
    cells, and further lines before it belong to the row's last cell (the multi-paragraph
    完成情况 stays whole); in the leaders column, consecutive lines that are each a
    person's name ("隋  斌" / "邵  睿") are one cell. Any other cell must be one line.
grouped / blocks / prose
    Numbered items ("1." "1、" "一、" "（一）" "（1）", a leading ★ allowed) with labelled
    fields: on lines of their own ("牵头单位：区工信局", blocks), inside the paragraph
    after the item's text ("……中心。分管领导：隋斌。部门分工：区工信局牵头，……", prose),
    or in brackets ("（责任单位：区工信局）"). A value runs on over following lines until
    the next label or item, so multi-line values stay multi-line. "grouped" when the
    items stand under leader headings ("隋斌副区长牵头重点工作", "一、隋斌同志分管（5项）"):
    the heading's leader applies to every item under it that names none of its own.

    Which numbered lines are items: numbered lines of the items' numbering style whose text
    up to the next such line carries a label (so the numbered points inside a 推进情况 are
    not items). A numbered line without labels still is an item when its number fills a
    gap between two items ("4." … "6."), and under a leader heading whose items carry no
    labels at all every numbered line of the first style is an item. A short numbered
    line of another style directly before an item ("一、科技创新") is a section heading and
    is left out. Items keep their own numbers as 序号 unless the numbering restarts (per
    group) or repeats; then they are numbered 1…N in document order.

    Leader headings: "<names><title>[牵头|分管|负责][重点工作|事项][（N项）]" or
    "<title><names>[同志]牵头…" (titles: 副区长, 区长, 同志, 书记, 主任, 区委常委 …), either
    numbered like "一、"/"（一）" or carrying a verb or a count; and "（一）分管领导：隋斌".

    Labels: 事项内容/工作任务; 分管领导/责任领导/牵头领导/区领导; 牵头单位; 配合单位/协办单位;
    责任单位/责任部门/承办单位/部门分工; X月份目标/本月目标/阶段目标/时间节点/完成时限;
    推进情况/进展情况/完成情况/截至X月底完成情况; 存在问题/下步打算/备注. 牵头单位 and
    配合单位 become one 责任单位 text "X牵头，Y配合" (several 牵头单位 without a role word:
    "X、Y牵头"); units written one per line are joined with "、". Leaders lose their titles
    ("隋斌副区长" → "隋斌"). 存在问题/下步打算/备注 stay, with their label, in 完成情况.
    The 目标/完成情况 columns are named after the label ("3月份目标") when every item uses
    the same month label, so the importer can read the month from the header.

Not read: paragraphs without item numbers, and rows copied from Excel (one row per line,
cells separated by tabs).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from gongxin.core.text import normalize_name
from gongxin.supervision import parsing

Table = tuple[str, list[str], list[tuple[int, list[str]]]]

UNRECOGNISED = (
    "未识别的文本格式：未找到表头，也未找到带“牵头单位：”“责任单位：”“分管领导：”等内容的编号事项。"
    "可导入的文本有：从 Word 表格复制的内容（单元格以制表符开头）；每格一行的表格（先逐行列出"
    "“序号”“事项内容”“责任单位”等表头，再逐行列出各事项的单元格）；每项一段、带“牵头单位：”"
    "“责任单位：”“分管领导：”等行的编号事项；按分管领导分组的事项（如“隋斌副区长牵头重点工作”）；"
    "或写明“分管领导：……部门分工：……”的编号段落。"
)

_WS = " \t\u3000\xa0\ufeff"
_MAX_HEADER_CELL = 16  # column names are short; a longer line is a title or data


def to_table(text: str) -> Table:
    """(title, header, rows) of a pasted supervision table in any supported layout."""
    return _read(text)[1]


def detect_layout(text: str) -> str:
    """ "tab", "cells", "grouped", "blocks" or "prose"; TableFormatError if none fits."""
    return _read(text)[0]


def _read(text: str) -> tuple[str, Table]:
    raw = _split_lines(text)
    if _is_tab_layout(raw):
        return "tab", parsing.text_rows(text)
    lines = [line.strip(_WS) for line in raw]
    table = _cells_table(lines)
    if table is not None:
        return "cells", table
    found = _labelled_table(lines)
    if found is not None:
        return found
    raise parsing.TableFormatError(UNRECOGNISED, row=1)


def _split_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _clean(value: str, strip_end: str = "，,；;：:、") -> str:
    return parsing.clean_cell(value).rstrip(_WS + "\n" + strip_end).strip(_WS + "\n")


# --- tab ------------------------------------------------------------------------------------


def _is_tab_layout(raw: Sequence[str]) -> bool:
    if not any(line.startswith("\t") for line in raw):
        return False
    _title, cells = parsing.text_cells("\n".join(raw))
    header: list[str] = []
    for cell in cells:
        if cell.text.strip().isdigit():
            break
        header.append(cell.text)
    return parsing.is_header_row(header)


# --- cells, one per line --------------------------------------------------------------------

_NUMBER_ONLY = re.compile(r"^\d{1,4}$")
_HAN_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
_UNIT_ENDING = re.compile(
    r"(局|委|办|中心|区|街道|镇|乡|村|院|所|站|队|会|部|处|科|室|公司|集团|园|厅|馆|社|组|校|行|县|市)$"
)


def _content_indexes(lines: Sequence[str], start: int = 0) -> list[int]:
    return [i for i in range(start, len(lines)) if lines[i]]


def _is_person(line: str) -> bool:
    name = normalize_name(line)
    return bool(_HAN_NAME.match(name)) and not _UNIT_ENDING.search(name)


def _header_run(lines: Sequence[str], indexes: Sequence[int]) -> tuple[list[str], int]:
    """Column names one per line from indexes[0]: (names, how many indexes they use)."""
    names: list[str] = []
    used = 0
    while used < len(indexes):
        best = None
        for width in (3, 2, 1):
            parts = [lines[i] for i in indexes[used : used + width]]
            if len(parts) < width or any(len(p) > _MAX_HEADER_CELL for p in parts):
                continue
            joined = "".join(parts)
            role = parsing.header_role(joined)
            # A part that is a column name on its own must name the same column.
            if role and all(parsing.header_role(p) in (None, role) for p in parts):
                best = (width, joined)
                break
        if best is None:
            break
        names.append(best[1])
        used += best[0]
    return names, used


def _valid_header(names: Sequence[str]) -> bool:
    roles = [parsing.header_role(n) for n in names]
    return (
        "content" in roles and len(set(roles)) == len(roles) and parsing.is_header_row(list(names))
    )


def _cells_table(lines: Sequence[str]) -> Table | None:
    indexes = _content_indexes(lines)
    if not indexes:
        return None
    for title_lines in (0, 1):  # without a title line, then with one
        names, used = _header_run(lines, indexes[title_lines:])
        if _valid_header(names):
            title = lines[indexes[0]] if title_lines else ""
            return title, names, _cells_rows(lines, indexes[title_lines + used :], names)
    return None


def _cells_rows(
    lines: Sequence[str], indexes: Sequence[int], header: Sequence[str]
) -> list[tuple[int, list[str]]]:
    width = len(header)
    roles = [parsing.header_role(h) for h in header]
    seq_first = roles[0] == "seq"
    leaders_at = roles.index("leaders") if "leaders" in roles else None
    rows: list[list[list[int]]] = []  # each cell: [first line index, last line index]
    for i in indexes:
        line = lines[i]
        current = rows[-1] if rows else None
        complete = current is not None and len(current) >= width
        if current is None or (complete and (not seq_first or _NUMBER_ONLY.match(line))):
            if seq_first and not _NUMBER_ONLY.match(line):
                raise parsing.TableFormatError(
                    f"第{i + 1}行应为事项序号，实际为“{line[:20]}”。", row=i + 1
                )
            rows.append([[i, i]])
        elif complete:
            current[-1][1] = i  # the last cell goes on
        elif (
            leaders_at is not None
            and len(current) == leaders_at + 1
            and _is_person(line)
            and _is_person(lines[current[-1][1]])
        ):
            current[-1][1] = i  # one more leader's name
        else:
            current.append([i, i])
    result = []
    for cells in rows:
        start = cells[0][0] + 1
        if len(cells) < width:
            raise parsing.TableFormatError(
                f"第{start}行起的事项缺少单元格（应有{width}列，每格一行）。", row=start
            )
        result.append((start, ["\n".join(lines[a : b + 1]) for a, b in cells]))
    return result


# --- numbered items with labelled fields ----------------------------------------------------

_HAN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_HAN_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_HAN = "一二三四五六七八九十百"
_NUMBERINGS = (
    ("paren_arabic", re.compile(r"[（(]\s*(\d{1,3})\s*[）)]")),
    ("paren_han", re.compile(rf"[（(]\s*([{_HAN}]{{1,4}})\s*[）)]")),
    ("arabic", re.compile(r"(\d{1,3})\s*(?:[.．、]|[）)])(?![\d.．])")),
    ("han", re.compile(rf"([{_HAN}]{{1,4}})\s*[、.．]")),
)
_KEY_PREFIX = re.compile(r"^[★☆]\s*")


def _han_number(text: str) -> int:
    total = digit = 0
    for char in text:
        if char == "百":
            total, digit = total + (digit or 1) * 100, 0
        elif char == "十":
            total, digit = total + (digit or 1) * 10, 0
        else:
            digit = _HAN_DIGITS[char]
    return total + digit


def _numbering(line: str) -> tuple[str, int, str] | None:
    """ "★1.瞄准…" → ("arabic", 1, "★瞄准…")."""
    key = _KEY_PREFIX.match(line)
    body = line[key.end() :] if key else line
    for style, pattern in _NUMBERINGS:
        match = pattern.match(body)
        if match:
            digits = match.group(1)
            number = int(digits) if digits.isdigit() else _han_number(digits)
            rest = body[match.end() :].lstrip(_WS)
            return style, number, ("★" if key else "") + rest
    return None


_LABEL_ROLES = (
    ("content", r"事项内容|事项名称|工作任务|重点任务|任务内容|工作内容|具体任务"),
    ("leaders", r"(?:区|市|县)?(?:分管|责任|牵头|联系|包保)(?:区|市|县)?领导|(?:区|市|县)领导"),
    ("assist", r"配合单位|配合部门|协办单位|协同单位|参与单位"),
    ("lead", r"牵头单位|牵头部门|主办单位"),
    ("units", r"责任单位|责任部门|承办单位|主责单位|部门分工|责任分工|单位分工"),
    (
        "target",
        r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})月份?(?:工作)?目标|本月目标|阶段性?目标"
        r"|时间节点|完成时限|时限要求",
    ),
    (
        "progress",
        r"(?:(?:截至|截止)?(?:\d{1,2}月(?:份|底|末)?|[一二三四]季度|上半年|前三季度)(?:底|末)?)?"
        r"(?:完成|推进|进展|落实)情况|工作进展|进展",
    ),
    ("notes", r"存在(?:的)?问题|困难和?问题|下步打算|下一步(?:工作)?(?:打算|计划)?|下步工作|备注"),
)
_LABEL_ALTERNATIVES = "|".join(f"(?P<{role}>{pattern})" for role, pattern in _LABEL_ROLES)
_LABEL = re.compile(rf"(?:^|(?<=[。；;，,、\s（(]))(?:{_LABEL_ALTERNATIVES})\s*[：:]", re.M)
_BRACKET_LABEL = re.compile(rf"[（(]\s*(?:{_LABEL_ALTERNATIVES})\s*[：:]")

# Leader headings, matched on the normalised line (NFKC: full-width brackets are "(" ")").
_TITLES = (
    r"(?:常务副|副)?(?:区|市|县|省|州|旗)长|(?:常务)?副?(?:书记|主任|秘书长|部长)"
    r"|(?:区|市|县)委常委|同志"
)
_HEADING_NUMBER = r"(?P<number>[一二三四五六七八九十]{1,3}[、.]|\([一二三四五六七八九十]{1,3}\))?"
_NAME = r"[\u4e00-\u9fff]{2,4}?"
_NAMES = rf"{_NAME}(?:[、,和及]{_NAME})*?"
_VERB = r"(?:牵头|分管|负责|领衔|联系|包保)"
_TAIL = r"(?:的)?(?:重点|督办|督查)?(?:工作|事项|任务|项目)?(?P<count>\(共?\d+项\))?:?"
_HEADINGS = (
    re.compile(rf"^{_HEADING_NUMBER}(?P<names>{_NAMES})(?:{_TITLES})+(?P<verb>{_VERB})?{_TAIL}$"),
    re.compile(
        rf"^{_HEADING_NUMBER}(?:[^,、:]*[、,])?(?:{_TITLES})(?P<names>{_NAMES})(?:同志)?"
        rf"(?P<verb>{_VERB})?{_TAIL}$"
    ),
    # "（一）分管领导：隋斌（5项）": numbered, so not the label line of an item.
    re.compile(
        rf"^{_HEADING_NUMBER}(?:{_LABEL_ROLES[1][1]}):(?P<names>{_NAMES})(?:{_TITLES})*"
        rf"(?P<count>\(共?\d+项\))?:?$"
    ),
)
_NOT_NAMES = {"常务", "分管", "区委", "市委", "县委", "牵头", "负责", "重点"}
_TITLE_AFFIX = re.compile(rf"^(?:{_TITLES})+|(?:{_TITLES})+$")
_ROLE_AT_END = re.compile(
    r"(牵头|负责|主办|配合|协办|参与|协助|分别办理|分别负责|分别承办|分别落实)$"
)


def _leader_heading(line: str) -> str | None:
    """ "一、隋斌同志分管（5项）" → "隋斌"; None when the line is no leader heading."""
    text = normalize_name(line)
    if not text or len(text) > 40:
        return None
    for pattern in _HEADINGS:
        match = pattern.match(text)
        found = match.groupdict() if match else {}
        if match and (found.get("verb") or found.get("count") or found.get("number")):
            names = [n for n in re.split(r"[、,和及]", match.group("names")) if n]
            if names and not _NOT_NAMES.intersection(names) and names[0][0] not in "由经请在按向对":
                return "、".join(names)
    return None


def _leader_cell(text: str) -> str:
    """ "隋  斌副区长、邵睿" → "隋斌、邵睿": names as the leaders column holds them."""
    names = []
    for name in parsing.split_names(text.rstrip("。.")):
        bare = _TITLE_AFFIX.sub("", name)
        names.append(bare if len(bare) >= 2 else name)
    return "、".join(names)


def _unbracket(text: str) -> str:
    """ "…中心。（责任单位：区工信局）" → "…中心。\\n责任单位：区工信局\\n"."""
    parts: list[str] = []
    position = 0
    while match := _BRACKET_LABEL.search(text, position):
        depth, end = 0, None
        for k in range(match.start(), len(text)):
            if text[k] in "（(":
                depth += 1
            elif text[k] in "）)":
                depth -= 1
                if depth == 0:
                    end = k
                    break
        if end is None:  # never closed: the label is still found after its bracket
            break
        parts += [text[position : match.start()], "\n", text[match.start() + 1 : end], "\n"]
        position = end + 1
    parts.append(text[position:])
    return "".join(parts)


def _has_label(line: str) -> bool:
    return bool(_LABEL.search(line) or _BRACKET_LABEL.search(line))


@dataclass
class _Line:
    kind: str  # blank | heading | numbered | text
    text: str = ""
    style: str = ""
    number: int = 0
    rest: str = ""
    leaders: str = ""
    labelled: bool = False


@dataclass
class _Fields:
    content: str = ""
    values: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # role → (label, value)


def _classify(line: str) -> _Line:
    if not line:
        return _Line("blank")
    leaders = _leader_heading(line)
    if leaders:
        return _Line("heading", line, leaders=leaders)
    numbered = _numbering(line)
    if numbered:
        style, number, rest = numbered
        return _Line("numbered", line, style, number, rest, labelled=_has_label(rest))
    return _Line("text", line, labelled=_has_label(line))


def _fields(text: str) -> _Fields:
    text = _unbracket(text)
    matches = list(_LABEL.finditer(text))
    result = _Fields(text[: matches[0].start()] if matches else text)
    for k, match in enumerate(matches):
        end = matches[k + 1].start() if k + 1 < len(matches) else len(text)
        role = match.lastgroup or ""
        result.values.setdefault(role, []).append((match.group(role), text[match.end() : end]))
    return result


def _segment_end(marks: Sequence[int], index: int, stop: int) -> int:
    """The first mark after `index` (marks sorted), or `stop`."""
    position = bisect_right(marks, index)
    return marks[position] if position < len(marks) else stop


def _item_starts(infos: Sequence[_Line]) -> tuple[list[int], list[int]]:
    """(item lines, leader heading lines), as line indexes."""
    n = len(infos)
    headings = [i for i, info in enumerate(infos) if info.kind == "heading"]
    candidates = [i for i, info in enumerate(infos) if info.kind == "numbered"]

    def labelled(i: int, marks: Sequence[int]) -> bool:
        end = _segment_end(marks, i, n)
        return any(infos[k].labelled for k in range(i, end))

    # Pass 1: the items' numbering style, from candidates labelled before any other number.
    every = sorted(headings + candidates)
    first_pass = [i for i in candidates if labelled(i, every)]
    if first_pass:
        styles = Counter(infos[i].style for i in first_pass)
        order = [infos[i].style for i in first_pass]
        style = max(styles, key=lambda s: (styles[s], -order.index(s)))
    elif headings:
        after = [i for i in candidates if i > headings[0]]
        if not after:
            return [], headings
        style = infos[after[0]].style
    else:
        return [], headings
    # Pass 2: numbered lines of that style whose text up to the next one carries a label.
    same = [i for i in candidates if infos[i].style == style]
    marks = sorted(headings + same)
    items = [i for i in same if labelled(i, marks)]
    # Per group (under one heading): unlabelled groups take every line of the style,
    # then numbers that fill a gap between items are items too.
    bounds = [0, *headings, n]
    result: list[int] = []
    previous = 0
    for start, end in zip(bounds, bounds[1:], strict=False):
        group_same = [i for i in same if start <= i < end]
        group = [i for i in items if start <= i < end]
        if not group and start in headings:
            group = group_same
        if group:
            first = infos[group[0]].number
            previous = previous if first > previous else 0
            group = _fill_gaps(infos, group_same, group, previous, start)
            previous = infos[group[-1]].number
        result += group
    return result, headings


def _fill_gaps(
    infos: Sequence[_Line], same: Sequence[int], items: Sequence[int], before: int, start: int
) -> list[int]:
    """Items 4 and 6 with an unlabelled "5." between them: "5." is item 5 (the last such
    line, as the points inside item 4's 推进情况 come first)."""
    result = list(items)
    taken = set(items)
    anchors = [(start - 1, before), *[(i, infos[i].number) for i in items]]
    for (low, low_number), (high, high_number) in zip(anchors, anchors[1:], strict=False):
        upper = high
        for wanted in range(high_number - 1, low_number, -1):
            found = [
                i for i in same if low < i < upper and infos[i].number == wanted and i not in taken
            ]
            if not found:
                break
            upper = found[-1]
            result.append(upper)
    return sorted(result)


def _section_headings(infos: Sequence[_Line], items: Sequence[int]) -> list[int]:
    """A short numbered line of another style right before an item ("一、科技创新")."""
    item_set = set(items)
    found = []
    for i, info in enumerate(infos):
        if info.kind != "numbered" or i in item_set:
            continue
        following = next((k for k in range(i + 1, len(infos)) if infos[k].kind != "blank"), None)
        if (
            following in item_set
            and infos[following].style != info.style
            and len(normalize_name(info.text)) <= 30
            and not info.text.endswith(("。", "；", ";"))
            and not info.labelled
        ):
            found.append(i)
    return found


def _value(entries: list[tuple[str, str]], strip_end: str, labels: str = "") -> str:
    """The values of one column, a line each; labels "all" keeps every label with its value,
    "repeats" those after the first ("3月份目标：…" then "时间节点：…")."""
    parts = []
    for k, (label, value) in enumerate(entries):
        text = _clean(value, strip_end)
        if text:
            labelled = labels == "all" or (labels == "repeats" and k)
            parts.append(f"{label}：{text}" if labelled else text)
    return "\n".join(parts)


def _unit_names(entries: list[tuple[str, str]], separator: str) -> str:
    """Unit values on one line: a unit per line ("区工信局" / "发改局") becomes "区工信局、发改局"
    (parse_units drops line breaks, which would run the names together)."""
    values = []
    for _, value in entries:
        text = ""
        for line in _clean(value, "。，,；;、：:").split("\n"):
            line = line.strip(_WS)
            if line:
                joined = not text or text.endswith(tuple("、，,；;")) or _ROLE_AT_END.match(line)
                text += line if joined else f"、{line}"
        if text:
            values.append(text)
    return separator.join(values)


def _units_cell(values: dict[str, list[tuple[str, str]]]) -> str:
    units = _unit_names(values.get("units", []), "，")
    lead = _unit_names(values.get("lead", []), "、")
    assist = _unit_names(values.get("assist", []), "、")
    parts = [units] if units else []
    if lead:
        several = len(parsing.split_names(lead)) > 1
        marked = _ROLE_AT_END.search(normalize_name(lead))
        parts.append(lead if marked or not (assist or units or several) else f"{lead}牵头")
    if assist:
        parts.append(assist if _ROLE_AT_END.search(normalize_name(assist)) else f"{assist}配合")
    return "，".join(parts)


_TARGET_HEADER = re.compile(r"^\d{1,2}月份?目标$")
_PROGRESS_HEADER = re.compile(r"^截至\d{1,2}月底(完成|推进)情况$|^\d{1,2}月份推进情况$")


def _column_name(labels: list[str], pattern: re.Pattern[str], default: str) -> str:
    """The label as header when every item uses the same one and it names the month."""
    names = {normalize_name(label) for label in labels}
    if len(names) == 1:
        (name,) = names
        if pattern.match(name):
            return name
    return default


def _labelled_table(lines: Sequence[str]) -> tuple[str, Table] | None:
    infos = [_classify(line) for line in lines]
    items, headings = _item_starts(infos)
    if not items:
        return None
    sections = _section_headings(infos, items)
    marks = sorted({*items, *headings, *sections})
    first = marks[0]
    title = next((lines[i] for i in range(first) if lines[i]), "")

    group_leaders, group_defaults = "", _Fields()
    built: list[tuple[int, _Line, _Fields, str, dict[str, list[tuple[str, str]]]]] = []
    for mark in marks:
        end = _segment_end(marks, mark, len(lines))
        info = infos[mark]
        if mark in headings:
            group_leaders = info.leaders
            group_defaults = _fields("\n".join(lines[mark + 1 : end]))
            continue
        if mark in sections:
            continue
        fields = _fields("\n".join([info.rest, *lines[mark + 1 : end]]))
        values = {**group_defaults.values, **fields.values}
        built.append((mark, info, fields, group_leaders, values))

    numbers = [info.number for _, info, *_ in built]
    renumber = any(b <= a for a, b in zip(numbers, numbers[1:], strict=False))
    columns = ["leaders", "units", "target", "progress"]
    rows: list[tuple[int, list[str]]] = []
    present: set[str] = set()
    for position, (mark, info, fields, leaders, values) in enumerate(built, start=1):
        content = _clean(fields.content)
        if "content" in values:
            labelled = _value(values["content"], "，,；;：:、")
            content = f"{content}\n{labelled}" if content else labelled
        cells = {
            "leaders": _leader_cell(_value(values.get("leaders", []), "。，,；;、：:")) or leaders,
            "units": _units_cell(values),
            "target": _value(values.get("target", []), "，,；;：:、", "repeats"),
            "progress": "\n".join(
                v
                for v in (
                    _value(values.get("progress", []), "，,；;：:、", "repeats"),
                    _value(values.get("notes", []), "，,；;：:、", "all"),
                )
                if v
            ),
        }
        present |= {role for role, text in cells.items() if text}
        seq = position if renumber else info.number
        rows.append((mark + 1, [str(seq), content, *(cells[c] for c in columns)]))

    used = [c for c in columns if c in present]
    labels = {
        role: [label for *_, values in built for label, _ in values.get(role, [])]
        for role in ("target", "progress")
    }
    names = {
        "leaders": "分管领导",
        "units": "责任单位",
        "target": _column_name(labels["target"], _TARGET_HEADER, "阶段目标"),
        "progress": _column_name(labels["progress"], _PROGRESS_HEADER, "完成情况"),
    }
    header = ["序号", "事项内容", *(names[c] for c in used)]
    keep = [0, 1, *(2 + columns.index(c) for c in used)]
    table_rows = [(line, [cells[k] for k in keep]) for line, cells in rows]

    if headings:
        layout = "grouped"
    else:
        inline = sum(
            1 for mark, info, *_ in built if info.labelled and _clean(_fields(info.rest).content)
        )
        layout = "prose" if inline * 2 >= len(built) else "blocks"
    return layout, (title, header, table_rows)
