"""国民经济行业分类 GB/T 4754-2017: the table, read once from data/gbt4754_2017.csv.

Pure: no Django, no database. Codes are written with or without the 门类 letter
("C1311" / "1311" / "c 13"); `normalize_code` gives the bare digits (a 门类 letter
alone stays a letter). 大类 numbers are unique across 门类, so the 门类 of any code
follows from its first two digits; the ranges (A 01–05 … T 97) are derived from the
table, not retyped.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

TABLE_PATH = Path(__file__).resolve().parent / "data" / "gbt4754_2017.csv"
SECTION, DIVISION, GROUP, CLASS = "门类", "大类", "中类", "小类"
LEVELS = (SECTION, DIVISION, GROUP, CLASS)
DIGITS_OF_LEVEL = {DIVISION: 2, GROUP: 3, CLASS: 4}
# 工业 = 门类 B 采矿业, C 制造业, D 电力、热力、燃气及水生产和供应业 (大类 06–46).
INDUSTRIAL_SECTIONS = frozenset("BCD")
STANDARD = "《国民经济行业分类》（GB/T 4754-2017）"

_CODE = re.compile(r"([A-Z]?)(\d{0,4})")


class UnknownIndustry(ValueError):
    """A code that is not written like an industry code or is not in the table; the
    message is Chinese and names the code as written."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Industry:
    code: str  # "C" (门类) or 2/3/4 digits
    level: str  # 门类/大类/中类/小类
    name: str
    parent: str  # "" for a 门类

    @property
    def section(self) -> str:
        return section_of(self.code)

    @property
    def full_code(self) -> str:
        """The code with its 门类 letter, as statistics forms print it ("C1311")."""
        return self.code if self.level == SECTION else section_of(self.code) + self.code

    def __str__(self) -> str:
        return f"{self.full_code} {self.name}"


@lru_cache(maxsize=1)
def table() -> dict[str, Industry]:
    """Every code of the standard → its Industry, in the file's order."""
    with TABLE_PATH.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {
        row["code"]: Industry(row["code"], row["level"], row["name"], row["parent"] or "")
        for row in rows
    }


@lru_cache(maxsize=1)
def _section_of_division() -> dict[str, str]:
    return {i.code: i.parent for i in table().values() if i.level == DIVISION}


@lru_cache(maxsize=1)
def section_ranges() -> dict[str, tuple[str, str]]:
    """门类 letter → (first 大类, last 大类), derived from the table: {"A": ("01", "05"), …}."""
    ranges: dict[str, tuple[str, str]] = {}
    for division, section in _section_of_division().items():
        low, high = ranges.get(section, (division, division))
        ranges[section] = (min(low, division), max(high, division))
    return dict(sorted(ranges.items()))


def _shown(value: object) -> str:
    text = str(value if value is not None else "").strip()
    return text if len(text) <= 20 else text[:20] + "…"


def normalize_code(value: object) -> str:
    """ "C1311" | "1311" | "c 13" | "Ｃ１３" → "1311" / "13"; a 门类 letter alone stays a letter.

    Checks the shape only (and that a letter agrees with its 大类); `lookup` checks the
    code exists.
    """
    text = unicodedata.normalize("NFKC", str(value if value is not None else ""))
    text = re.sub(r"\s+", "", text).upper()
    match = _CODE.fullmatch(text)
    if not text or match is None:
        raise UnknownIndustry(
            f"行业代码“{_shown(value)}”格式不正确：应为门类字母加2-4位数字"
            "（如 C1311）或2-4位数字（如 1311）。"
        )
    letter, digits = match.groups()
    if not digits:
        if letter not in section_ranges():
            raise UnknownIndustry(f"行业门类“{letter}”不存在：门类为 A–T。")
        return letter
    if len(digits) < 2:
        raise UnknownIndustry(
            f"行业代码“{_shown(value)}”格式不正确：数字部分应为2-4位（大类/中类/小类）。"
        )
    if letter:
        section = _section_of_division().get(digits[:2])
        if section is not None and section != letter:
            raise UnknownIndustry(
                f"行业代码“{_shown(value)}”的门类字母与大类不符：大类{digits[:2]}属于门类{section}。"
            )
    return digits


def lookup(code: object) -> Industry:
    """The Industry of a code written in any accepted way, or UnknownIndustry."""
    normalized = normalize_code(code)
    industry = table().get(normalized)
    if industry is None:
        raise UnknownIndustry(f"行业代码“{_shown(code)}”不在{STANDARD}中，请核对。")
    return industry


def lookup_class(code: object) -> Industry:
    """The 小类 (4-digit) of a code: what an enterprise's industry is recorded as."""
    industry = lookup(code)
    if industry.level != CLASS:
        raise UnknownIndustry(
            f"行业代码“{_shown(code)}”是{industry.level}（{industry.name}），"
            "企业的行业须填写到4位小类代码。"
        )
    return industry


def section_of(code: object) -> str:
    """The 门类 letter of any code: "1311" → "C", "44" → "D", "C" → "C"."""
    normalized = normalize_code(code)
    if normalized.isalpha():
        return normalized
    section = _section_of_division().get(normalized[:2])
    if section is None:
        raise UnknownIndustry(
            f"行业代码“{_shown(code)}”不在{STANDARD}中：没有大类{normalized[:2]}。"
        )
    return section


def division_of(code: object) -> str:
    """The 大类 (2 digits) of a 大类/中类/小类 code: "C1311" → "13"."""
    normalized = normalize_code(code)
    if normalized.isalpha():
        raise UnknownIndustry(f"“{normalized}”是门类，没有唯一的大类。")
    section_of(normalized)  # the 大类 exists
    return normalized[:2]


def is_industrial(code: object) -> bool:
    """工业: 门类 B, C, D (大类 06–46)."""
    return section_of(code) in INDUSTRIAL_SECTIONS


def path(code: object) -> list[Industry]:
    """From the 门类 down to the code: [门类, 大类, 中类, 小类] for a 小类."""
    chain = [lookup(code)]
    while chain[0].parent:
        chain.insert(0, table()[chain[0].parent])
    return chain


def path_text(code: object, separator: str = " › ") -> str:
    """The path in Chinese: "制造业 › 农副食品加工业 › 谷物磨制 › 稻谷加工"."""
    return separator.join(i.name for i in path(code))


def sections() -> list[Industry]:
    return [i for i in table().values() if i.level == SECTION]


def children(code: object) -> list[Industry]:
    parent = normalize_code(code)
    return [i for i in table().values() if i.parent == parent]
