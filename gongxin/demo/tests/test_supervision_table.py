"""Reading the seed supervision table (seeds/003): rows, leaders, units as written."""

from __future__ import annotations

import pytest

from gongxin.accounts.choices import UnitKind
from gongxin.demo import units
from gongxin.demo.supervision_table import (
    SEEDS_DIR,
    WrittenUnit,
    items,
    leader_names,
    read_seed,
    unit_names,
    written_unit,
)
from gongxin.supervision.parsing import is_collective, parse_leaders, parse_units


@pytest.fixture(scope="module")
def table():
    return items(read_seed())


def split_units(text: str) -> list[WrittenUnit]:
    """The units a 责任单位 cell names, as the demo collects them."""
    return [written_unit(n) for n in parse_units(text).all_units if not is_collective(n)]


def test_the_five_seed_documents_are_in_the_repository_with_their_source():
    texts = sorted(path.name for path in SEEDS_DIR.glob("*.txt"))
    assert [name[:4] for name in texts] == ["000_", "001_", "002_", "003_", "004_"]
    readme = (SEEDS_DIR / "README.md").read_text(encoding="utf-8")
    for name in texts:
        assert name in readme


def test_the_table_has_27_numbered_items(table):
    assert [item.seq for item in table] == list(range(1, 28))
    assert table[0].leaders == ["隋斌"]
    assert table[0].units_text == "区工信局"


def test_leader_names_lose_their_inner_padding():
    assert parse_leaders("刘  玮\n\n隋  斌\n\n张磊娜\n\n周  诚") == [
        "刘玮",
        "隋斌",
        "张磊娜",
        "周诚",
    ]


def test_every_leader_of_the_seed_is_found_once(table):
    assert leader_names(table) == [
        "隋斌",
        "刘玮",
        "张磊娜",
        "周诚",
        "邵睿",
        "刘雯",
        "顾清弥",
        "管学锋",
        "封洪海",
        "赵士玉",
    ]


def test_lead_and_assisting_units_are_split_without_their_roles():
    assert split_units("区工信局牵头，发改局、国内招商促进中心配合") == [
        WrittenUnit("区工信局"),
        WrittenUnit("发改局"),
        WrittenUnit("国内招商促进中心"),
    ]
    assert [
        u.name
        for u in split_units("古镇口核心区、工信局分别牵头，教体局、财政局、校地融合办等部门配合")
    ] == ["古镇口核心区", "工信局", "教体局", "财政局", "校地融合办"]


def test_a_generic_phrase_names_no_unit():
    assert [u.name for u in split_units("区工信局牵头，行政审批局、各行业主管部门配合")] == [
        "区工信局",
        "行政审批局",
    ]


def test_a_bracketed_second_name_is_kept_as_another_name():
    assert split_units("区新经济发展促进中心（品牌发展中心）、工信局分别办理") == [
        WrittenUnit("区新经济发展促进中心", ("品牌发展中心",)),
        WrittenUnit("工信局"),
    ]


def test_units_as_written_in_the_seed(table):
    names = [unit.name for unit in unit_names(table)]
    assert len(names) == len(set(names)) == 20
    for name in ["区工信局", "工信局", "发改局", "区发改局", "国内招商促进中心", "古镇口核心区"]:
        assert name in names
    for name in ["教体局", "财政局", "校地融合办", "董家口经济区", "社会治理中心"]:
        assert name in names


def test_abbreviations_we_are_sure_of_map_to_one_canonical_name():
    groups = units.canonical_names(["区工信局", "工信局", "发改局", "区发改局", "校地融合办"])
    assert groups == {
        "区工业和信息化局": ["区工信局", "工信局", "新区工信局"],
        "区发展和改革局": ["区发改局", "发改局"],
        "校地融合办": [],
    }


def test_a_name_written_with_and_without_the_district_prefix_is_one_unit():
    assert units.canonical_names(["区城管局", "城管局"]) == {"区城管局": ["城管局"]}


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("区工业和信息化局", UnitKind.BUREAU),
        ("区发展和改革局", UnitKind.DEPARTMENT),
        ("校地融合办", UnitKind.DEPARTMENT),
        ("国内招商促进中心", UnitKind.DEPARTMENT),
        ("政务新生态办公室", UnitKind.DEPARTMENT),
        ("古镇口核心区", UnitKind.ZONE),
        ("董家口经济区", UnitKind.ZONE),
        ("国际经济合作区", UnitKind.ZONE),
        ("铁山街道", UnitKind.TOWN),
        ("大场镇", UnitKind.TOWN),
        ("某某公司", UnitKind.OTHER),
    ],
)
def test_unit_kind_follows_the_name(name, kind):
    assert units.kind_for(name) == kind


def test_a_text_that_is_not_the_table_is_refused():
    with pytest.raises(ValueError, match="未找到表头"):
        items("\t标题\n\t1\n\t内容\n")
