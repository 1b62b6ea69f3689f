"""The GB/T 4754-2017 table: counts, the 大类 → 门类 ranges of DOMAIN.md, codes with or
without the letter, and Chinese errors for codes that are not in it."""

from __future__ import annotations

from collections import Counter

import pytest

from gongxin.enterprises import industries
from gongxin.enterprises.industries import UnknownIndustry

# DOMAIN.md "GB/T 4754-2017", typed here on purpose: the table must agree with the standard.
RANGES = {
    "A": (1, 5), "B": (6, 12), "C": (13, 43), "D": (44, 46), "E": (47, 50), "F": (51, 52),
    "G": (53, 60), "H": (61, 62), "I": (63, 65), "J": (66, 69), "K": (70, 70), "L": (71, 72),
    "M": (73, 75), "N": (76, 79), "O": (80, 82), "P": (83, 83), "Q": (84, 85), "R": (86, 90),
    "S": (91, 96), "T": (97, 97),
}  # fmt: skip


def test_the_table_has_20_sections_97_divisions_473_groups_1381_classes():
    counts = Counter(i.level for i in industries.table().values())
    assert counts == {"门类": 20, "大类": 97, "中类": 473, "小类": 1381}


def test_every_division_lies_in_its_sections_range():
    for industry in industries.table().values():
        if industry.level == "大类":
            low, high = RANGES[industry.parent]
            assert low <= int(industry.code) <= high, industry
    assert {s: (int(a), int(b)) for s, (a, b) in industries.section_ranges().items()} == RANGES


def test_every_child_code_starts_with_its_parents_code():
    table = industries.table()
    for industry in table.values():
        if industry.level == "门类":
            assert industry.parent == ""
            continue
        parent = table[industry.parent]
        assert industries.LEVELS.index(parent.level) == industries.LEVELS.index(industry.level) - 1
        assert len(industry.code) == industries.DIGITS_OF_LEVEL[industry.level]
        if industry.level != "大类":
            assert industry.code.startswith(parent.code), industry


@pytest.mark.parametrize("written", ["C1311", "1311", "c1311", " C 1311 ", "Ｃ１３１１"])
def test_codes_with_or_without_the_letter_normalise_to_the_digits(written):
    assert industries.normalize_code(written) == "1311"


def test_a_section_letter_alone_stays_a_letter():
    assert industries.normalize_code("c") == "C"
    assert industries.normalize_code("c 13") == "13"
    assert industries.lookup("C").name == "制造业"


def test_lookup_gives_code_level_name_and_parent():
    rice = industries.lookup("C1311")
    assert (rice.code, rice.level, rice.name, rice.parent) == ("1311", "小类", "稻谷加工", "131")
    assert rice.full_code == "C1311"
    assert str(rice) == "C1311 稻谷加工"


def test_section_division_and_industrial():
    assert industries.section_of("1311") == "C"
    assert industries.section_of("4411") == "D"
    assert industries.section_of("0111") == "A"
    assert industries.division_of("C1311") == "13"
    assert industries.is_industrial("0610")  # 煤炭开采和洗选业
    assert industries.is_industrial("C3011")
    assert industries.is_industrial("4620")  # 污水处理及其再生利用 (D 46)
    assert not industries.is_industrial("4710")  # 建筑业 E
    assert not industries.is_industrial("0111")


def test_path_runs_from_section_to_class_in_chinese():
    chain = industries.path("1311")
    assert [i.level for i in chain] == ["门类", "大类", "中类", "小类"]
    assert [i.code for i in chain] == ["C", "13", "131", "1311"]
    assert industries.path_text("1311") == "制造业 › 农副食品加工业 › 谷物磨制 › 稻谷加工"
    assert [i.code for i in industries.path("13")] == ["C", "13"]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("9999", "行业代码“9999”不在《国民经济行业分类》（GB/T 4754-2017）中"),
        ("C0111", "门类字母与大类不符：大类01属于门类A"),
        ("X", "行业门类“X”不存在"),
        ("1", "数字部分应为2-4位"),
        ("13111", "格式不正确"),
        ("制造业", "格式不正确"),
        ("", "格式不正确"),
    ],
)
def test_unknown_codes_give_a_clear_chinese_error(written, message):
    with pytest.raises(UnknownIndustry, match=message):
        industries.lookup(written)


def test_an_enterprise_industry_must_be_a_class():
    assert industries.lookup_class("C1311").code == "1311"
    with pytest.raises(UnknownIndustry, match="须填写到4位小类代码"):
        industries.lookup_class("131")


def test_the_division_of_a_section_is_refused():
    with pytest.raises(UnknownIndustry, match="是门类"):
        industries.division_of("C")
