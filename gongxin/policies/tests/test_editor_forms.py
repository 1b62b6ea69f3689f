"""The editor's form ↔ JSON conversion, without the database: what the form shows for a
stored clause posts back as the same tree and award rule."""

from __future__ import annotations

import pytest

from gongxin.demo.policies import POLICIES
from gongxin.policies.editor_forms import (
    Builder,
    Row,
    apply_action,
    award_errors,
    award_to_fields,
    builder_as_data,
    builder_from_data,
    builder_to_tree,
    fields_to_award,
    incomplete_rows,
    tree_to_builder,
)

DEMO_CLAUSES = [
    pytest.param(clause, id=f"{policy['code']}/{clause['code']}")
    for policy in POLICIES
    for clause in policy["clauses"]
]


def through_the_form(tree: dict) -> dict:
    """Stored tree → the rows the page shows → what the page posts → tree."""
    return builder_to_tree(builder_from_data(builder_as_data(tree_to_builder(tree))))


@pytest.mark.parametrize("clause", DEMO_CLAUSES)
def test_a_demo_clause_goes_through_the_form_unchanged(clause):
    assert through_the_form(clause["criteria"]) == clause["criteria"]


@pytest.mark.parametrize("clause", DEMO_CLAUSES)
def test_a_demo_award_goes_through_the_form_unchanged(clause):
    award = clause.get("award", {})
    assert fields_to_award(award_to_fields(award)) == award


def test_sub_groups_categories_flags_and_units_keep_their_place():
    tree = {"any": [
        {"feature": "revenue_year_admin", "op": "ge", "value": 2.5, "unit": "亿元"},
        {"all": [
            {"feature": "industry_code", "op": "in", "value": ["C", "39"]},
            {"feature": "above_scale", "op": "eq", "value": True},
        ]},
        {"feature": "q1_output_growth_declared", "op": "gt", "value": 15, "unit": "%"},
        {"any": [{"feature": "honors", "op": "in", "value": ["srdi", "little_giant"]}]},
    ]}  # fmt: skip
    assert through_the_form(tree) == tree


def test_a_typed_amount_is_stored_as_a_json_number_with_the_chosen_unit():
    builder = Builder(rows=[Row(feature="revenue_year_admin", op="ge", value="1,000", unit="万元")])
    assert builder_to_tree(builder) == {
        "all": [{"feature": "revenue_year_admin", "op": "ge", "value": 1000, "unit": "万元"}]
    }


def test_what_is_not_a_number_is_kept_as_text_for_the_criteria_check_to_name():
    builder = Builder(rows=[Row(feature="revenue_year_admin", op="ge", value="abc", unit="万元")])
    assert builder_to_tree(builder)["all"][0]["value"] == "abc"


def test_an_empty_group_stays_empty_so_the_check_refuses_it():
    builder = Builder(rows=[Row(feature="land_mu", op="ge", value="10", unit="亩")])
    apply_action(builder, "addgroup")
    apply_action(builder, "remove:1")  # the new group's only row
    assert builder_to_tree(builder) == {
        "all": [{"feature": "land_mu", "op": "ge", "value": 10, "unit": "亩"}, {"any": []}]
    }


def test_buttons_add_rows_where_asked_and_remove_groups_with_their_rows():
    builder = tree_to_builder({"all": [
        {"feature": "land_mu", "op": "ge", "value": 10, "unit": "亩"},
        {"any": [{"feature": "above_scale", "op": "eq", "value": False}]},
    ]})  # fmt: skip
    apply_action(builder, "add:1")
    assert [r.group for r in builder.rows] == [0, 1, 1]
    apply_action(builder, "add:0")
    assert [r.group for r in builder.rows] == [0, 1, 1, 0]
    apply_action(builder, "removegroup:1")
    assert [r.group for r in builder.rows] == [0, 0]
    apply_action(builder, "removegroup:99")  # a crafted action changes nothing
    apply_action(builder, "remove:x")
    assert len(builder.rows) == 2


def test_half_filled_rows_are_named_in_chinese():
    builder = Builder(rows=[Row(), Row(feature="land_mu", op="ge"), Row(feature="honors", op="in")])
    assert incomplete_rows(builder) == [
        "第1个条件：请选择指标。",
        "第2个条件（用地面积）：请填写阈值。",
        "第3个条件（荣誉资质）：请至少选择一项。",
    ]


def test_award_fields_say_what_is_missing():
    assert award_errors({"award_kind": "rate", "award_rate": "x"}) == [
        "奖补方式“按比例”需要填写计算基数。",
        "奖补比例“x”不是数字。",
    ]
    assert award_errors({"award_kind": "tiers", "award_base": "q1_output_new_declared"}) == [
        "“分档”奖补至少需要一档（起点和金额）。"
    ]


def test_tiers_and_stages_become_the_award_rule():
    fields = {"award_kind": "tiers", "award_base": "q1_output_new_declared", "award_cap": "",
              "tiers": [("10000", "20"), ("", ""), ("30000", "50.5")], "award_stages": "40、60"}  # fmt: skip
    assert fields_to_award(fields) == {
        "kind": "tiers", "base": "q1_output_new_declared",
        "tiers": [{"from": 10000, "amount": 20}, {"from": 30000, "amount": 50.5}],
        "stages": [40, 60],
    }  # fmt: skip
