"""Periods, 序时进度 curves and attainment judgements (gongxin.core.periods).

Numbers are computed by hand in the comments; rates are in percent, curve values and
completion ratios are fractions.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongxin.core.periods import (
    AHEAD,
    BEHIND,
    DONE,
    LINEAR,
    NOT_STARTED,
    ON_TRACK,
    QUARTERLY,
    QUARTERLY_Q1_22,
    CumulativeCurve,
    Curve,
    Period,
    cn_number,
    describe_curve,
    explain_zh,
    judge,
    judge_absolute,
    judge_approx,
    judge_growth,
    judge_range,
    judge_upper_bound,
    linear,
    period_from_title,
    quarterly_step,
)

# -- Period ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "covered"),
    [
        ("2021-03", "2021-03", 1),
        ("2021-3", "2021-03", 1),
        ("2021/03", "2021-03", 1),
        ("202103", "2021-03", 1),
        ("2021年3月", "2021-03", 1),
        ("2021年3月份", "2021-03", 1),
        ("2021年三月", "2021-03", 1),
        ("2021年十二月", "2021-12", 1),
        ("2021年1-3月", "2021-03", 3),
        ("2021年1—3月", "2021-03", 3),
        ("2024年1-2月", "2024-02", 2),  # January and February published together
        ("2022年1-11月", "2022-11", 11),
    ],
)
def test_parse(text, expected, covered):
    period = Period.parse(text)
    assert str(period) == expected
    assert period.months_covered == covered


@pytest.mark.parametrize("text", ["2021-13", "2021-00", "2021年", "3月", "2021年3-1月", "abc"])
def test_parse_refuses_what_is_not_a_month(text):
    with pytest.raises(ValueError):
        Period.parse(text)


def test_year_month_quarter_and_labels():
    p = Period.parse("2021年1-3月")
    assert (p.year, p.month, p.quarter) == (2021, 3, 1)
    assert p.is_quarter_end
    assert p.label_zh == "2021年1-3月"
    assert Period(2021, 3).label_zh == "2021年3月"
    assert Period(2021, 3).ytd_label_zh == "2021年1-3月"
    assert Period(2021, 1).ytd_label_zh == "2021年1月"
    assert [Period(2021, m).quarter for m in (1, 3, 4, 6, 7, 9, 10, 12)] == [1, 1, 2, 2, 3, 3, 4, 4]


def test_months_covered_does_not_change_identity():
    # 2024-02 is 2024-02 whether written "2024年2月" or "2024年1-2月".
    assert Period.parse("2024年1-2月") == Period(2024, 2)
    assert hash(Period.parse("2024年1-2月")) == hash(Period(2024, 2))


def test_next_previous_and_ordering():
    assert Period(2021, 12).next() == Period(2022, 1)
    assert Period(2022, 1).previous() == Period(2021, 12)
    assert Period(2021, 3).shift(-15) == Period(2019, 12)
    assert Period(2021, 3).same_month_last_year() == Period(2020, 3)
    assert sorted([Period(2022, 1), Period(2021, 12), Period(2021, 2)]) == [
        Period(2021, 2),
        Period(2021, 12),
        Period(2022, 1),
    ]
    assert [str(p) for p in Period.range("2021-11", "2022-02")] == [
        "2021-11",
        "2021-12",
        "2022-01",
        "2022-02",
    ]
    assert [p.month for p in Period(2021, 3).year_months()] == [1, 2, 3]


@given(st.integers(1900, 2200), st.integers(1, 12), st.integers(-500, 500))
def test_shift_round_trips_and_str_parses_back(year, month, n):
    p = Period(year, month)
    assert p.shift(n).shift(-n) == p
    assert Period.parse(str(p)) == p
    assert (p.shift(n) > p) == (n > 0)


@pytest.mark.parametrize(
    ("text", "value"), [("3", 3), ("三", 3), ("十", 10), ("十一", 11), ("十二", 12), ("二十", 20)]
)
def test_cn_number(text, value):
    assert cn_number(text) == value


# -- periods in titles -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # seed 003's own title
        ("2021年区政府工作报告确定事项1-3月份推进情况", "2021-03"),
        ("2021年重点工作截至3月底完成情况", "2021-03"),
        ("2021年重点工作一季度推进情况", "2021-03"),
        ("2021年重点工作第二季度推进情况", "2021-06"),
        ("2021年重点工作上半年推进情况", "2021-06"),
        ("2021年重点工作前三季度推进情况", "2021-09"),
        ("2021年工业经济1-11月运行情况", "2021-11"),
        ("2021年工业经济一至十一月运行情况", "2021-11"),
        ("2021年重点工作全年完成情况", "2021-12"),
        ("2021年全年目标1-3月份推进情况", "2021-03"),  # explicit months beat 全年
        ("2021年重点工作十月份推进情况", "2021-10"),
    ],
)
def test_period_from_title(title, expected):
    assert str(period_from_title(title)) == expected


def test_period_from_title_without_year_or_month():
    assert period_from_title("重点工作1-3月份推进情况") is None
    assert period_from_title("重点工作1-3月份推进情况", year=2021) == Period(2021, 3)
    assert period_from_title("2021年政府工作报告") is None
    assert period_from_title("2021年区政府工作报告确定事项1-3月份推进情况").months_covered == 3


# -- curves ------------------------------------------------------------------------------


def test_linear_curve():
    # M/12: 3/12 = 0.25, 6/12 = 0.5 (时间过半), 11/12 = 0.91666… (1–11月 91.7%), 12/12 = 1.
    assert linear(3) == D("0.25")
    assert LINEAR.at(6) == D("0.5")
    assert LINEAR.at(Period(2021, 11)).quantize(D("0.001")) == D("0.917")
    assert linear(12) == 1
    # 1–2月 is judged at month 2: 2/12 = 0.1666…
    assert LINEAR.at(Period.parse("2024年1-2月")) == D(2) / D(12)


def test_quarterly_step_reaches_each_milestone_at_the_end_of_its_quarter():
    assert [QUARTERLY.at(m) for m in range(1, 13)] == [
        D(0), D(0), D("0.25"),
        D("0.25"), D("0.25"), D("0.50"),
        D("0.50"), D("0.50"), D("0.75"),
        D("0.75"), D("0.75"), D(1),
    ]  # fmt: skip
    assert describe_curve(QUARTERLY) == "3月25.0%、6月50.0%、9月75.0%、12月100.0%"


def test_q1_22_percent_curve():
    # DOMAIN.md: one province used 22% for Q1 (lighter than linear 25%).
    assert QUARTERLY_Q1_22.at(3) == D("0.22")
    assert QUARTERLY_Q1_22.at(6) == D("0.50")
    assert QUARTERLY_Q1_22.at(12) == 1


def test_curves_satisfy_the_protocol():
    for curve in (LINEAR, QUARTERLY, QUARTERLY_Q1_22):
        assert isinstance(curve, Curve)


@pytest.mark.parametrize(
    ("fractions", "message"),
    [
        (["0.1"] * 11, "12个月"),
        (["0.1", "0.05", *["1"] * 10], "不能下降"),
        ([*["0.5"] * 11, "0.9"], "100%"),
        (["-0.1", *["1"] * 11], "0到1"),
    ],
)
def test_custom_curve_validation(fractions, message):
    with pytest.raises(ValueError, match=message):
        CumulativeCurve.of(fractions)


@given(st.lists(st.integers(0, 1000), min_size=11, max_size=11))
def test_a_valid_custom_curve_is_monotone_and_ends_at_one(raw):
    fractions = [D(v) / D(1000) for v in sorted(raw)] + [D(1)]
    curve = CumulativeCurve.of(fractions)
    values = [curve.at(m) for m in range(1, 13)]
    assert values == sorted(values)
    assert values[-1] == 1


@pytest.mark.parametrize("month", [0, 13])
def test_curves_refuse_months_outside_the_year(month):
    with pytest.raises(ValueError):
        LINEAR.at(month)


# -- absolute targets ----------------------------------------------------------------------


def test_absolute_target_behind_linear_time_progress():
    # 235 of 1000 done by March: 235 / 1000 = 23.5%; 序时 3/12 = 25.0%;
    # gap 23.5 − 25.0 = −1.5 points → behind.
    r = judge_absolute(D(235), D(1000), Period(2021, 3))
    assert r.status == BEHIND
    assert r.completion == D("0.235")
    assert r.time_progress == D("0.25")
    assert r.gap_points == D("-1.5")
    assert explain_zh(r) == "完成年度目标的23.5%，序时进度25.0%，落后1.5个百分点"


def test_absolute_target_within_the_tolerance_is_on_track():
    # 249 / 1000 = 24.9% vs 25.0%: −0.1 point, within the 0.1 tolerance for published
    # percentages that are off by one in the last digit.
    r = judge_absolute(D(249), D(1000), 3)
    assert r.status == ON_TRACK
    assert explain_zh(r) == ("完成年度目标的24.9%，序时进度25.0%，落后0.1个百分点（在允许误差内）")
    # 248 / 1000 = 24.8%: −0.2 point → behind.
    assert judge_absolute(D(248), D(1000), 3).status == BEHIND
    # With no tolerance 24.9% is behind too.
    assert judge_absolute(D(249), D(1000), 3, tolerance=D(0)).status == BEHIND


def test_absolute_target_ahead_at_half_year():
    # 新增企业 9 of 15 by June: 9 / 15 = 60.0%; 序时 6/12 = 50.0%; +10.0 points → ahead.
    r = judge_absolute(D(9), D(15), Period(2024, 6), unit="家")
    assert r.status == AHEAD
    assert r.gap_points == D("10.0")
    assert explain_zh(r) == "完成年度目标的60.0%，序时进度50.0%，超前10.0个百分点"


def test_absolute_target_with_the_quarterly_curve():
    # 产值 2400亿元 target, 500 done by May. Linear: 500 / 2400 = 20.83% vs 5/12 = 41.67%
    # → behind by 20.8 points. Quarterly step: May still requires Q1's 25%:
    # 20.83 − 25 = −4.17 → behind by 4.2 points.
    linear_r = judge_absolute(D(500), D(2400), 5)
    step_r = judge_absolute(D(500), D(2400), 5, curve=QUARTERLY)
    assert linear_r.status == step_r.status == BEHIND
    assert explain_zh(step_r) == "完成年度目标的20.8%，序时进度25.0%，落后4.2个百分点"
    # 22% by March under the Q1-22% curve: 22.0 − 22.0 = 0 → on track; linear says behind.
    assert judge_absolute(D(22), D(100), 3, curve=QUARTERLY_Q1_22).status == ON_TRACK
    assert judge_absolute(D(22), D(100), 3).status == BEHIND
    assert explain_zh(judge_absolute(D(22), D(100), 3, curve=QUARTERLY_Q1_22)) == (
        "完成年度目标的22.0%，序时进度22.0%，与序时进度持平"
    )


def test_absolute_target_done_and_not_started():
    # 15 of 15 → done whatever the month; 0 of 15 → not started.
    done = judge_absolute(D(15), D(15), 4, unit="家")
    assert done.status == DONE
    assert explain_zh(done) == "已完成年度目标（完成100.0%），序时进度33.3%"
    idle = judge_absolute(D(0), D(15), 4)
    assert idle.status == NOT_STARTED
    assert explain_zh(idle) == "尚未启动（完成年度目标的0.0%），序时进度33.3%"


def test_absolute_strict_target_needs_more_than_the_value():
    # 突破5000家 is ">": 5000 is not yet done; 5001 is.
    assert judge_absolute(D(5000), D(5000), 12, comparator="gt").status != DONE
    assert judge_absolute(D(5001), D(5000), 12, comparator="gt").status == DONE
    # 达到 (eq) counts as ≥.
    assert judge_absolute(D(750), D(750), 6, comparator="eq").status == DONE


def test_absolute_target_refuses_bounds_and_zero():
    with pytest.raises(ValueError):
        judge_absolute(D(1), D(0), 3)
    with pytest.raises(ValueError):
        judge_absolute(D(1), D(10), 3, comparator="lt")


# -- rate targets ---------------------------------------------------------------------


def test_growth_target_has_no_curve():
    # Target 增长15%以上; cumulative growth Jan–Mar 12.6%: 12.6 − 15 = −2.4 → behind,
    # even though only 3 months have passed.
    r = judge_growth(D("12.6"), D(15), period=Period(2024, 3))
    assert r.status == BEHIND
    assert r.gap_points == D("-2.4")
    assert r.time_progress is None
    assert explain_zh(r) == "累计12.6%，目标不低于15%，低于目标2.4个百分点"


def test_growth_target_met_ahead_and_done():
    # 15.1 − 15 = +0.1: within tolerance → on track; 16.2 − 15 = +1.2 → ahead.
    assert judge_growth(D("15.1"), D(15)).status == ON_TRACK
    ahead = judge_growth(D("16.2"), D(15))
    assert ahead.status == AHEAD
    assert explain_zh(ahead) == "累计16.2%，目标不低于15%，高于目标1.2个百分点"
    # A published 14.9% against 15% is within the 0.1 tolerance.
    assert judge_growth(D("14.9"), D(15)).status == ON_TRACK
    # At year end a met target is done.
    assert judge_growth(D("15.3"), D(15), period=Period(2024, 12)).status == DONE


def test_strict_growth_target():
    # 超过15%: exactly 15.0 is not over; no tolerance for a strict comparator.
    r = judge_growth(D(15), D(15), comparator="gt")
    assert r.status == BEHIND
    assert explain_zh(r) == "累计15.0%，目标超过15%，未超过目标"
    assert judge_growth(D("15.01"), D(15), comparator="gt").status == ON_TRACK


def test_upper_bound_target():
    # 失业率低于4.3%: 4.1 < 4.3 → met (headroom 0.2 point); 4.3 is not below 4.3.
    met = judge_upper_bound(D("4.1"), D("4.3"))
    assert met.status == ON_TRACK
    assert met.gap_points == D("0.2")
    assert explain_zh(met) == "实际4.1%，目标低于4.3%，达标"
    assert judge_upper_bound(D("4.3"), D("4.3")).status == BEHIND
    over = judge_upper_bound(D("4.6"), D("4.3"), period=12)
    assert explain_zh(over) == "实际4.6%，目标低于4.3%，超出0.3个百分点"
    # 控制在4.5%以内 (le): 4.5 is within; 4.6 is within the 0.1 tolerance; 4.7 is over.
    assert judge_upper_bound(D("4.5"), D("4.5"), comparator="le").status == ON_TRACK
    assert judge_upper_bound(D("4.6"), D("4.5"), comparator="le").status == ON_TRACK
    assert judge_upper_bound(D("4.7"), D("4.5"), comparator="le").status == BEHIND
    assert judge_upper_bound(D("4.0"), D("4.5"), comparator="le", period=12).status == DONE


def test_approx_target_band():
    # 增长6.5%左右, band ±0.5: 6.1 (−0.4) is within; 5.8 (−0.7) is below; 7.2 (+0.7) above.
    assert judge_approx(D("6.1"), D("6.5")).status == ON_TRACK
    low = judge_approx(D("5.8"), D("6.5"))
    assert low.status == BEHIND
    assert explain_zh(low) == "实际5.8%，目标6.5%左右（±0.5个百分点），低于目标0.7个百分点"
    assert judge_approx(D("7.2"), D("6.5")).status == AHEAD
    # The band is a parameter: ±1 point makes 5.8 acceptable.
    assert judge_approx(D("5.8"), D("6.5"), band=D(1)).status == ON_TRACK
    # Where lower is better, above the band is behind.
    assert judge_approx(D("7.2"), D("6.5"), higher_is_better=False).status == BEHIND
    assert judge_approx(D("6.5"), D("6.5"), period=12).status == DONE


def test_range_target():
    # 高于全省3至5个百分点: 2 points above → 2 − 3 = −1 → behind; 4 → within; 5.5 → above.
    behind = judge_range(D(2), D(3), D(5), unit="个百分点")
    assert behind.status == BEHIND
    assert explain_zh(behind) == "实际2个百分点，目标3至5个百分点，低于下限1.0个百分点"
    assert judge_range(D(4), D(3), D(5)).status == ON_TRACK
    assert judge_range(D("5.5"), D(3), D(5)).status == AHEAD
    # 新增1至2个集群: 1 at year end is done.
    done = judge_range(D(1), D(1), D(2), period=12, unit="个")
    assert done.status == DONE
    assert explain_zh(done) == "实际1个，目标1至2个，在目标区间内，已完成"
    with pytest.raises(ValueError):
        judge_range(D(1), D(5), D(3))


def test_judge_dispatches_on_comparator_and_unit():
    month = Period(2024, 3)
    # rates
    assert judge("approx", D("6.5"), D("6.2"), unit="%").kind == "approx"
    assert judge("ge", D(15), D(16), unit="%").kind == "rate"
    assert judge("eq", D(11), D("10.95"), unit="%").status == ON_TRACK  # eq counts as ≥
    assert judge("range", D(3), D(4), value_max=D(5), unit="个百分点").kind == "range"
    assert judge("lt", D("4.3"), D(4), unit="%").kind == "upper_bound"
    # counts and money follow the curve: 4 of 15 家 by March = 26.7% vs 25% → ahead.
    r = judge("ge", D(15), D(4), unit="家", period=month)
    assert (r.kind, r.status) == ("absolute", AHEAD)
    # a range of counts uses its low end as the annual target
    assert judge("range", D(1), D(0), value_max=D(2), unit="个", period=month).status == (
        NOT_STARTED
    )
    with pytest.raises(ValueError):
        judge("ge", D(15), D(4), unit="家")  # no period, no 序时
    with pytest.raises(ValueError):
        judge("range", D(3), D(4), unit="%")  # no value_max


def test_quarterly_step_with_other_milestones():
    curve = quarterly_step("0.20", "0.45", "0.70")
    assert [curve.at(m) for m in (2, 3, 6, 9, 11, 12)] == [
        D(0), D("0.20"), D("0.45"), D("0.70"), D("0.70"), D(1)
    ]  # fmt: skip
    assert curve.name == "季度节点（20.0%/45.0%/70.0%/100%）"
