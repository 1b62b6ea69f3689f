"""Scores worked out by hand (arithmetic in the comments) for each scoring family,
benchmark kind and missing-data rule."""

from __future__ import annotations

from decimal import Decimal as D

import pyarrow as pa
import pytest

from gongxin.evaluation import engine, rules

MONEY = pa.decimal128(18, 4)
SHARES = {"method": "shares", "shares": {"A": 20, "B": 55, "C": 20, "D": 5}}


def facts(**columns):
    n = len(columns["tax_paid"])
    table = {
        "enterprise_id": pa.array(range(1, n + 1), pa.int64()),
        "uscc": pa.array([f"u{i}" for i in range(1, n + 1)]),
        "division": pa.array(columns.pop("division", [13] * n), pa.int32()),
    }
    for name, values in columns.items():
        if name.startswith("eval_"):
            table[name] = pa.array(values, pa.bool_())
        else:
            table[name] = pa.array(
                [None if v is None else D(v).quantize(D("0.0001")) for v in values], MONEY
            )
    return pa.table(table)


def scheme(*indicators, restrictions=(), adjustments=()):
    return rules.check_scheme({"indicators": list(indicators), "classes": SHARES,
                               "restrictions": list(restrictions), "adjustments": list(adjustments)})  # fmt: skip


def by_id(scored):
    return {s.enterprise_id: s for s in scored}


def test_ratio_to_the_population_mean_with_a_cap():
    # 亩均税收 10, 5, 6, 0 万元/亩; benchmark Σtax ÷ Σland = (100+50+30+0) ÷ (10+10+5+10) = 5.142857
    # firm 1: min(10 ÷ 5.142857, 1.5) × 30 = 1.5 × 30 = 45 (capped; uncapped 58.3333)
    # firm 2: 5 ÷ 5.142857 × 30 = 29.1667; firm 3: 6 ÷ 5.142857 × 30 = 35; firm 4: 0
    rules_ = scheme({"feature": "mu_tax", "weight": 30, "cap": "1.5"})
    out = by_id(
        engine.score(facts(tax_paid=[100, 50, 30, 0], land_area_mu=[10, 10, 5, 10]), rules_)
    )
    assert out[1].benchmarks == [D("5.1429")]
    assert [out[i].scores[0] for i in (1, 2, 3, 4)] == [D("45"), D("29.1667"), D("35"), D("0")]
    assert out[1].values == [D("10")]


def test_lower_is_better_divides_the_benchmark_by_the_value():
    # 单位电耗税收 read "lower is better" (for the test): values 5, 1 → benchmark (100+50)÷(20+50)=2.142857
    # firm 1: 2.142857 ÷ 5 × 10 = 4.2857; firm 2: 2.142857 ÷ 1 × 10 = 21.4286
    rules_ = scheme({"feature": "electricity_tax", "weight": 10, "direction": "lower"})
    out = by_id(engine.score(facts(tax_paid=[100, 50], electricity_year=[20, 50]), rules_))
    assert [out[1].scores[0], out[2].scores[0]] == [D("4.2857"), D("21.4286")]


def test_minmax_with_a_floor_and_the_average_for_missing_data():
    # values 5, 1, –, 0 (firm 3 has no electricity figure): min 0, max 5
    # firm 1: 40 × (20 + 80 × 5/5) ÷ 100 = 40; firm 2: 40 × (20 + 80 × 1/5) ÷ 100 = 14.4
    # firm 4: 40 × 20 ÷ 100 = 8; firm 3 (missing, rule "average"): (40 + 14.4 + 8) ÷ 3 = 20.8
    rules_ = scheme(
        {"feature": "electricity_tax", "weight": 40, "scoring": "minmax", "missing": "average"}
    )
    out = by_id(
        engine.score(facts(tax_paid=[100, 50, 30, 0], electricity_year=[20, 50, None, 10]), rules_)
    )
    assert [out[i].scores[0] for i in (1, 2, 3, 4)] == [D("40"), D("14.4"), D("20.8"), D("8")]
    assert out[3].values == [None]


def test_missing_data_scores_zero_by_default_and_a_zero_denominator_is_missing():
    rules_ = scheme({"feature": "mu_tax", "weight": 30})
    out = by_id(engine.score(facts(tax_paid=[10, None, 10], land_area_mu=[10, 10, 0]), rules_))
    # benchmark from firm 1 only: 10 ÷ 10 = 1 → firm 1 scores 30; firms 2 and 3 have no value
    assert out[1].benchmarks == [D("1")] and out[1].scores == [D("30")]
    assert out[2].scores == [D("0")] and out[3].values == [None] and out[3].scores == [D("0")]


def test_median_and_industry_benchmarks():
    # values 1, 2, 3, 10 → median 2.5; firm 4: 10 ÷ 2.5 × 10 = 40
    median = scheme({"feature": "mu_tax", "weight": 10, "benchmark": {"kind": "median"}})
    data = facts(
        tax_paid=[10, 20, 30, 100], land_area_mu=[10, 10, 10, 10], division=[13, 13, 26, 26]
    )
    assert by_id(engine.score(data, median))[4].scores == [D("40")]
    # 大类 13: (10+20)÷20 = 1.5 → firm 1: 1 ÷ 1.5 × 10 = 6.6667; 大类 26: 130÷20 = 6.5 → firm 4: 10÷6.5×10 = 15.3846
    industry = scheme({"feature": "mu_tax", "weight": 10, "benchmark": {"kind": "industry_mean"}})
    out = by_id(engine.score(data, industry))
    assert (out[1].benchmarks, out[1].scores) == ([D("1.5")], [D("6.6667")])
    assert (out[4].benchmarks, out[4].scores) == ([D("6.5")], [D("15.3846")])


def test_fixed_benchmark_and_rank_scoring():
    # the published 亩均税收 benchmark 24.097: firm with 48.194 scores 48.194 ÷ 24.097 × 30 = 60
    fixed = scheme(
        {"feature": "mu_tax", "weight": 30, "benchmark": {"kind": "fixed", "value": "24.097"}}
    )
    assert engine.score(facts(tax_paid=["481.94"], land_area_mu=[10]), fixed)[0].scores == [D("60")]
    # rank: 3 firms with values 1, 2, 3 → percent ranks 0, 0.5, 1 → × 20 = 0, 10, 20
    rank = scheme({"feature": "mu_tax", "weight": 20, "scoring": "rank"})
    out = by_id(engine.score(facts(tax_paid=[10, 20, 30], land_area_mu=[10, 10, 10]), rank))
    assert [out[i].scores[0] for i in (1, 2, 3)] == [D("0"), D("10"), D("20")]


def test_exempt_firms_are_not_scored_and_do_not_move_the_benchmark():
    rules_ = scheme({"feature": "mu_tax", "weight": 30},
                    restrictions=[{"flag": "eval_exempt", "effect": "exempt"}])  # fmt: skip
    out = by_id(engine.score(
        facts(tax_paid=[10, 1000], land_area_mu=[10, 10], eval_exempt=[False, True]), rules_))  # fmt: skip
    # benchmark = 10 ÷ 10 = 1 (the utility's 1000 is not counted) → firm 1 scores 30
    assert out[1].benchmarks == [D("1")] and out[1].total == D("30")
    assert out[2].exempt and out[2].total is None and out[2].scores == [None]


def test_adjustments_add_points_to_the_total():
    rules_ = scheme({"feature": "mu_tax", "weight": 30},
                    adjustments=[{"flag": "eval_accident", "points": -5, "label": "事故扣分"}])  # fmt: skip
    out = by_id(engine.score(
        facts(tax_paid=[10, 10], land_area_mu=[10, 10], eval_accident=[True, False]), rules_))  # fmt: skip
    assert (out[1].total, out[1].adjustment, out[2].total) == (D("25"), D("-5"), D("30"))


def test_the_same_facts_give_the_same_scores():
    rules_ = scheme(
        {"feature": "mu_tax", "weight": 30}, {"feature": "electricity_tax", "weight": 70}
    )
    data = facts(tax_paid=[str(D(i) / 7) for i in range(1, 200)], land_area_mu=[3] * 199,
                 electricity_year=[str(D(i % 13 + 1) / 3) for i in range(1, 200)])  # fmt: skip
    assert engine.score(data, rules_) == engine.score(data, rules_)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"feature": "nope", "weight": 1}, "第1项指标“nope”不在指标目录中。"),
        ({"feature": "output", "weight": 1}, "指标“工业总产值”不是亩产效益评价指标。"),
        ({"feature": "mu_tax", "weight": 0}, "指标“亩均税收”的权重应大于0。"),
        ({"feature": "mu_tax"}, "指标“亩均税收”的权重尚未设定，设定后才能计算。"),
        (
            {"feature": "mu_tax", "weight": 1, "scoring": "magic"},
            "指标“亩均税收”的计分方法“magic”无效",
        ),
        ({"feature": "mu_tax", "weight": 1, "cap": "0.5"}, "得分上限倍数不能小于1"),
        (
            {"feature": "mu_tax", "weight": 1, "benchmark": {"kind": "fixed"}},
            "请填写指标“亩均税收”的基准值。",
        ),
    ],
)
def test_a_malformed_indicator_is_refused_in_chinese(change, message):
    with pytest.raises(rules.SchemeError, match=message):
        scheme(change)


def test_survey_inputs_need_a_legal_basis():
    data = {"indicators": [{"feature": "mu_value_added", "weight": 20}], "classes": SHARES}
    with pytest.raises(rules.SchemeError, match="统计调查数据（工业增加值（年度））.*数据使用依据"):
        rules.check_scheme(data)
    assert (
        rules.check_scheme({**data, "legal_basis": "浙政发〔2018〕5号"})["indicators"][0]["weight"]
        == "20"
    )


def test_class_rules_are_checked():
    base = {"indicators": [{"feature": "mu_tax", "weight": 1}]}
    with pytest.raises(rules.SchemeError, match="A、B、C、D四类比例之和应为100%"):
        rules.check_scheme(
            {**base, "classes": {"method": "shares", "shares": {"A": 20, "B": 50, "C": 20, "D": 5}}}
        )
    with pytest.raises(rules.SchemeError, match="得分线应满足 A > B > C"):
        rules.check_scheme(
            {**base, "classes": {"method": "thresholds", "thresholds": {"A": 70, "B": 80, "C": 60}}}
        )
    with pytest.raises(rules.SchemeError, match="限制条件的条件“nope”不在指标目录中"):
        rules.check_scheme(
            {**base, "classes": SHARES, "restrictions": [{"flag": "nope", "effect": "exempt"}]}
        )


def test_five_firms_worked_by_hand_weights_benchmarks_cap_veto_and_bonus():
    """Acceptance 1. 亩均税收 (weight 60, capped at 1.5 × weight) and 单位电耗税收 (40), both
    against the population mean; lines A ≥ 90, B ≥ 60, C ≥ 30; an accident caps at C;
    专精特新 firms get 5 bonus points.
        firm  tax  land  power   亩均税收  电耗税收
        甲    120   10    30       12        4
        乙     50   10    25        5        2
        丙     40    5    20        8        2      accident
        丁     10   10    10        1        1      专精特新 (+5)
        戊     30   15    15        2        2
    benchmarks: 250 ÷ 50 = 5 万元/亩; 250 ÷ 100 = 2.5 万元/万千瓦时
    亩均税收 × 60: 甲 min(2.4, 1.5) = 90; 乙 1 → 60; 丙 min(1.6, 1.5) → 90; 丁 0.2 → 12; 戊 0.4 → 24
    电耗税收 × 40: 甲 1.6 → 64; 乙 0.8 → 32; 丙 32; 丁 0.4 → 16; 戊 32
    totals: 甲 154, 乙 92, 丙 122, 丁 28 + 5 = 33, 戊 56
    classes: 甲 A, 乙 A, 丙 A by score → C (veto), 戊 C, 丁 C (D without its bonus)
    """
    rules_ = rules.check_scheme({
        "indicators": [{"feature": "mu_tax", "weight": 60, "cap": "1.5"},
                       {"feature": "electricity_tax", "weight": 40}],
        "classes": {"method": "thresholds", "thresholds": {"A": 90, "B": 60, "C": 30}},
        "restrictions": [{"flag": "eval_accident", "effect": "best", "class": "C"}],
        "adjustments": [{"honor": "srdi", "points": 5, "label": "专精特新加分"}],
    })  # fmt: skip
    data = facts(tax_paid=[120, 50, 40, 10, 30], land_area_mu=[10, 10, 5, 10, 15],
                 electricity_year=[30, 25, 20, 10, 15],
                 eval_accident=[False, False, True, False, False])  # fmt: skip
    data = data.append_column("honor__srdi", pa.array([False, False, False, True, False]))
    out = {row["enterprise_id"]: row for row in engine.evaluate(data, rules_).to_pylist()}
    assert [out[i]["benchmark_0"] for i in range(1, 6)] == [D("5")] * 5
    assert [out[i]["benchmark_1"] for i in range(1, 6)] == [D("2.5")] * 5
    assert [out[i]["score_0"] for i in range(1, 6)] == [D("90"), D("60"), D("90"), D("12"), D("24")]
    assert [out[i]["score_1"] for i in range(1, 6)] == [D("64"), D("32"), D("32"), D("16"), D("32")]
    assert [out[i]["total"] for i in range(1, 6)] == [D("154"), D("92"), D("122"), D("33"), D("56")]
    assert [out[i]["klass"] for i in range(1, 6)] == ["A", "A", "C", "C", "C"]
    assert [out[i]["rank"] for i in range(1, 6)] == [1, 3, 2, 5, 4]
    assert (out[3]["rule"], out[3]["would_be"]) == ("veto", "A")
    assert out[4]["adjustment"] == D("5")


def test_a_ratio_exactly_half_way_at_the_fifth_decimal_rounds_away_from_zero():
    # 全员劳动生产率 691.4635 万元 ÷ 14 人 = 49.39025 exactly → 49.3903, and 648.8895 ÷ 10 =
    # 64.88895 → 64.8890, although as DOUBLEs they are 49.390249999… and 64.888949999…;
    # against a published benchmark of 10 with weight 10 the scores are the same numbers
    rules_ = rules.check_scheme({
        "indicators": [{"feature": "labour_productivity", "weight": 10,
                        "benchmark": {"kind": "fixed", "value": "10"}}],
        "classes": SHARES, "legal_basis": "浙政发〔2018〕5号",
    })  # fmt: skip
    data = facts(
        tax_paid=[1, 1], value_added_year=["691.4635", "648.8895"], employees_year=[14, 10]
    )
    out = by_id(engine.score(data, rules_))
    assert [out[1].values, out[2].values] == [[D("49.3903")], [D("64.8890")]]
    assert [out[1].scores, out[2].scores] == [[D("49.3903")], [D("64.8890")]]
