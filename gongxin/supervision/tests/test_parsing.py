"""Reading seed 003, the bureau's real supervision table, and the unit phrases it uses."""

from __future__ import annotations

from pathlib import Path

import pytest

import gongxin.demo
from gongxin.supervision import parsing

SEED_003 = next((Path(gongxin.demo.__file__).parent / "seeds").glob("003_*.txt"))


@pytest.fixture(scope="module")
def seed():
    return parsing.parse_text_table(SEED_003.read_text(encoding="utf-8"))


def by_seq(items, seq):
    return next(i for i in items if i.seq == seq)


def test_seed_003_has_27_items_in_order(seed):
    title, header, items = seed
    assert title == "2021年区政府工作报告确定事项1-3月份推进情况"
    assert [i.seq for i in items] == list(range(1, 28))
    assert parsing.period_month_from_header(header) == 3


def test_items_3_6_and_12_are_key(seed):
    assert [i.seq for i in seed[2] if i.key] == [3, 6, 12]
    assert by_seq(seed[2], 3).content.startswith("瞄准人工智能")


def test_item_4_has_four_leaders_two_separate_leads_and_three_assisting_units(seed):
    item = by_seq(seed[2], 4)
    assert item.leaders == ["刘玮", "隋斌", "张磊娜", "周诚"]
    assert item.units.mode == "separate_leads"
    assert item.units.lead == ("古镇口核心区", "工信局")
    assert item.units.assist == ("教体局", "财政局", "校地融合办")
    assert item.units.placeholders == ("校地融合办等部门",)


def test_item_2_has_a_lead_and_two_assisting_units(seed):
    item = by_seq(seed[2], 2)
    assert item.units.mode == "lead_assist"
    assert item.units.lead == ("区工信局",)
    assert item.units.assist == ("发改局", "国内招商促进中心")


def test_item_6_units_are_handled_separately(seed):
    item = by_seq(seed[2], 6)
    assert item.units.mode == "separately"
    assert item.units.separately == ("区工信局", "民营经济发展局")
    assert item.units.lead == ()


def test_every_item_has_its_march_target_progress_and_claimed_status(seed):
    for item in seed[2]:
        assert item.period_target, item.seq
        assert item.progress.startswith("正常推进"), item.seq
        assert item.claimed_status == "正常推进"
        assert item.units.all_units, item.seq
        assert item.leaders, item.seq


def test_multi_line_cells_are_kept_as_written(seed):
    progress = by_seq(seed[2], 1).progress
    assert "\n\n2.新区工信局（科技）带队" in progress
    assert progress.startswith("正常推进。1.召开新区科技座谈会")


def test_collective_units_are_flagged_for_a_person_to_resolve(seed):
    item = by_seq(seed[2], 24)
    assert item.units.assist == ("行政审批局", "各行业主管部门")
    assert item.units.placeholders == ("各行业主管部门",)


def test_a_sole_unit_is_the_lead():
    assert parsing.parse_units("区工信局") == parsing.UnitAssignment("sole", ("区工信局",))


def test_unmarked_lists_make_the_first_unit_lead():
    units = parsing.parse_units("区工信局、发改局")
    assert units.mode == "lead_assist"
    assert units.lead == ("区工信局",) and units.assist == ("发改局",)


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("序号", "seq"),
        ("工作任务", "content"),
        ("重点任务", "content"),
        ("区分管\n\n领导", "leaders"),
        ("责任领导", "leaders"),
        ("牵头领导", "leaders"),
        ("牵头单位", "units"),
        ("配合单位", "assist_units"),
        ("3月份目标", "target"),
        ("时间节点", "target"),
        ("阶段目标", "target"),
        ("截至3月底完成情况", "progress"),
        ("推进情况", "progress"),
        ("进展情况", "progress"),
    ],
)
def test_header_variants(header, role):
    assert parsing.header_role(header) == role


def test_separate_lead_and_assist_columns_are_combined():
    header = ["序号", "工作任务", "牵头单位", "配合单位", "推进情况"]
    items = parsing.rows_to_items(
        header, [(2, ["1", "建设平台", "区工信局", "发改局、财政局", "已完成。平台上线"])]
    )
    assert items[0].units.lead == ("区工信局",)
    assert items[0].units.assist == ("发改局", "财政局")
    assert items[0].claimed_status == "已完成"


def test_a_table_without_the_content_column_is_refused_naming_it():
    with pytest.raises(parsing.TableFormatError, match="缺少“事项内容”列") as error:
        parsing.rows_to_items(["序号", "责任单位", "推进情况"], [])
    assert error.value.column == "事项内容"
