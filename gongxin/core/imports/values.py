"""Cell values → Python values, refusing what is not what it claims to be.

Statistics are never floats: a float NaN passes every range check (NaN > 0 and NaN < 0
are both False) and 0.1 + 0.2 is not 0.3. Numbers become Decimal, parsed from the
shortest text of the cell value, and are quantised once, deliberately, with
ROUND_HALF_UP (how Chinese statistical publications round), at the precision the caller
names. Money is stored in 万元 with 4 decimal places (DESIGN.md "Units and periods").
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

MONEY_PLACES = 4
# Factor from the source unit to 万元.
MONEY_UNITS: dict[str, Decimal] = {
    "元": Decimal("0.0001"),
    "千元": Decimal("0.1"),
    "万元": Decimal(1),
    "亿元": Decimal(10000),
}
# How statistical tables write "no figure" in a number column.
NUMBER_BLANKS = frozenset({"", "-", "--", "—", "——", "/", "…", "..."})

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")


class CellError(ValueError):
    """A cell value that cannot be read as asked; the message is Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not clean_text(value))


def _shown(value: Any) -> str:
    text = clean_text(value)
    return text if len(text) <= 30 else text[:30] + "…"


def clean_text(value: Any) -> str:
    """A cell as text: stripped (full-width and non-breaking spaces too), invisible
    characters removed; a whole-number float (how Excel stores 370211) without ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).translate(_INVISIBLE).strip()
    # Our exports prefix formula-like text with an apostrophe (reports.xlsx.escape_cell);
    # reading it back removes the prefix, so an export re-imports unchanged.
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        return text[1:]
    return text


def quantize(value: Decimal, places: int) -> Decimal:
    """value rounded half up to `places` decimal places."""
    try:
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except InvalidOperation as error:
        raise CellError(f"数值 {value} 过大。") from error


def parse_decimal(value: Any, places: int | None = None) -> Decimal | None:
    """A cell as Decimal (None when blank or "-"), quantised to `places` when given.

    Accepts numbers and text such as "1,234.5", "１２３４．５" (full-width), "−3" and
    "1.2E+07"; refuses NaN, infinities, booleans and anything else.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(f"“{_shown(value)}”不是有效的数字。")
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise CellError("不是有效的数字（不接受 NaN 或无穷大）。")
        number = Decimal(repr(value))  # the shortest text that round-trips: 0.1 → "0.1"
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise CellError("不是有效的数字（不接受 NaN 或无穷大）。")
        number = value
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", clean_text(value)).replace("\u2212", "-")
        text = re.sub(r"\s+", "", text)
        if text in NUMBER_BLANKS:
            return None
        if "," in text:
            if not _GROUPED.fullmatch(text):
                raise CellError(f"“{_shown(value)}”不是有效的数字（千分位逗号位置不对）。")
            text = text.replace(",", "")
        if not _NUMBER.fullmatch(text):
            raise CellError(f"“{_shown(value)}”不是有效的数字。")
        number = Decimal(text)
    else:
        raise CellError(f"“{_shown(value)}”不是有效的数字。")
    return quantize(number, places) if places is not None else number


def parse_int(value: Any) -> int | None:
    number = parse_decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise CellError(f"“{_shown(value)}”不是整数。")
    return int(number)


def to_wan(amount: Decimal | None, unit: str) -> Decimal | None:
    """An amount in `unit` (元/千元/万元/亿元) as 万元, quantised to 4 places."""
    if amount is None:
        return None
    try:
        factor = MONEY_UNITS[unit]
    except KeyError:
        raise ValueError(f"unknown money unit {unit!r}") from None
    return quantize(amount * factor, MONEY_PLACES)


def parse_money(value: Any, unit: str) -> Decimal | None:
    """A money cell written in `unit`, as 万元 with 4 decimal places (rounded once)."""
    return to_wan(parse_decimal(value), unit)


def parse_date(value: Any) -> dt.date | None:
    """A date cell or text such as 2024-01-05, 2024/1/5, 2024年1月5日, 20240105."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = unicodedata.normalize("NFKC", clean_text(value))
    match = _DATE.fullmatch(text) or _DATE_COMPACT.fullmatch(text)
    if match:
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise CellError(f"“{_shown(value)}”不是有效的日期（例如 2024-01-05）。")
