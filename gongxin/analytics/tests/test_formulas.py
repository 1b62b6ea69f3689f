from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from gongxin.analytics import formulas as f

# A tiny region shaped like seed 000 (1166家规上工业企业 … 同比增长1.9%; 33家倍增企业 …
# 拉动全区工业增长1.2个百分点), in 亿元, split into 倍增 enterprises and the rest:
#
#               prior    current   Δ
#   倍增企业       40        52      12
#   其他企业      960       967       7
#   total       1000      1019      19
BEI_PRIOR, BEI_CUR = 40, 52
REST_PRIOR, REST_CUR = 960, 967
TOT_PRIOR, TOT_CUR = 1000, 1019


def test_yoy_by_hand():
    # total: (1019 ÷ 1000 − 1) × 100 = 0.019 × 100 = 1.9
    assert f.yoy(TOT_CUR, TOT_PRIOR) == pytest.approx(1.9)
    # 倍增: (52 ÷ 40 − 1) × 100 = 0.3 × 100 = 30
    assert f.yoy(BEI_CUR, BEI_PRIOR) == pytest.approx(30)
    # rest: 7 ÷ 960 × 100 = 0.72916…
    assert f.yoy(REST_CUR, REST_PRIOR) == pytest.approx(0.7291666666)
    # a fall: (75 ÷ 80 − 1) × 100 = −6.25
    assert f.yoy(75, 80) == pytest.approx(-6.25)


def test_share_by_hand():
    # 52 ÷ 1019 × 100 = 5.10304…
    assert f.share(BEI_CUR, TOT_CUR) == pytest.approx(5.1030421982)
    # seed 000: 五大传统优势产业 3805.3 of 4786.1亿元 → 3805.3 ÷ 4786.1 × 100 = 79.506… ≈ 79.5%
    assert round(f.share(3805.3, 4786.1), 1) == 79.5


def test_contribution_by_hand():
    # 倍增: Δ12 of Δ19 → 12 ÷ 19 × 100 = 63.157…
    assert f.contribution(BEI_CUR, BEI_PRIOR, TOT_CUR, TOT_PRIOR) == pytest.approx(63.1578947368)
    # rest: 7 ÷ 19 × 100 = 36.842…; together 100
    assert f.contribution(REST_CUR, REST_PRIOR, TOT_CUR, TOT_PRIOR) == pytest.approx(36.8421052632)


def test_pull_points_by_hand():
    # 倍增: Δ12 ÷ prior total 1000 × 100 = 1.2 points — the seed's 拉动1.2个百分点
    assert f.pull_points(BEI_CUR, BEI_PRIOR, TOT_PRIOR) == pytest.approx(1.2)
    # rest: 7 ÷ 1000 × 100 = 0.7; 1.2 + 0.7 = 1.9 = the total's growth
    assert f.pull_points(REST_CUR, REST_PRIOR, TOT_PRIOR) == pytest.approx(0.7)


def test_pull_three_ways_agree_by_hand():
    # as Δ ÷ base: 1.2 (above)
    # as total growth × 贡献率 ÷ 100: 1.9 × 63.157… ÷ 100 = 1.2
    assert f.pull_from_contribution(1.9, 12 / 19 * 100) == pytest.approx(1.2)
    # as base weight × growth: base weight = 5.1030…% × 1.019 ÷ 1.30 = 52 ÷ 1300 × 101.9 … = 4.0%
    # (= prior 40 ÷ prior total 1000 × 100); 4.0 × 30 ÷ 100 = 1.2
    assert f.base_weight(52 / 1019 * 100, 1.9, 30) == pytest.approx(4.0)
    assert f.pull_from_growth(52 / 1019 * 100, 1.9, 30) == pytest.approx(1.2)
    # and back: 1.2 ÷ 1.9 × 100 = 63.157…
    assert f.contribution_from_pull(1.9, 1.2) == pytest.approx(63.1578947368)


def test_a_shrinking_component_of_a_growing_total_by_hand():
    #          prior  current   Δ    growth                 贡献率             拉动
    #   A       120     135    +15   15 ÷ 120 = 12.5%     15 ÷ 10 = 150%    15 ÷ 200 = 7.5
    #   B        80      75     −5   −5 ÷ 80 = −6.25%     −5 ÷ 10 = −50%    −5 ÷ 200 = −2.5
    #   total   200     210    +10   10 ÷ 200 = 5%        100%              5.0
    assert f.contribution(135, 120, 210, 200) == pytest.approx(150)
    assert f.contribution(75, 80, 210, 200) == pytest.approx(-50)
    assert f.pull_points(135, 120, 200) == pytest.approx(7.5)
    assert f.pull_points(75, 80, 200) == pytest.approx(-2.5)


def test_growth_face_by_hand():
    # known growths 12.5, −6.25, 0, 3 (None left out): 2 positive of 4 → 50%
    assert f.growth_face([12.5, -6.25, 0, None, 3]) == pytest.approx(50)
    # 1 of 3 → 33.33…
    assert f.growth_face([None, 1, -1, 0]) == pytest.approx(100 / 3)
    assert f.growth_face([None, None]) is None
    assert f.growth_face([]) is None


@pytest.mark.parametrize(
    "call",
    [
        lambda: f.yoy(5, 0),
        lambda: f.share(5, 0),
        lambda: f.contribution(5, 4, 7, 7),
        lambda: f.pull_points(5, 4, 0),
        lambda: f.contribution_from_pull(0, 1.2),
        lambda: f.base_weight(5, 1.9, -100),
        lambda: f.pull_from_growth(5, 1.9, -100),
        lambda: f.yoy(Decimal(5), Decimal(0)),
        lambda: f.yoy(Decimal("0.0000"), 0.0),
        lambda: f.yoy(float("nan"), 1),
        lambda: f.share(1, float("inf")),
        lambda: f.pull_from_contribution(Decimal("NaN"), 3),
    ],
)
def test_a_zero_denominator_or_non_finite_input_gives_none(call):
    assert call() is None


def test_decimals_in_give_exact_decimals_out():
    # (1019.0000 ÷ 1000.0000 − 1) × 100 = 1.9 exactly
    assert f.yoy(Decimal("1019.0000"), Decimal("1000.0000")) == Decimal("1.9")
    assert isinstance(f.yoy(Decimal(1019), 1000), Decimal)
    # a float mixed with a Decimal enters by its repr: 0.1 stays 0.1, not 0.1000000000000000055…
    # (0.3 − 0.1) ÷ 0.1 × 100 = 200 exactly
    assert f.yoy(Decimal("0.3"), 0.1) == Decimal(200)
    # Δ12 ÷ 1000 × 100 = 1.2
    assert f.pull_points(Decimal(52), 40, 1000) == Decimal("1.2")
    assert f.share(Decimal(1), 4) == Decimal(25)
    assert f.growth_face([Decimal("0.5"), Decimal("-0.5")]) == Decimal(50)


def test_plain_numbers_give_floats():
    assert isinstance(f.yoy(52, 40), float)
    assert isinstance(f.growth_face([1, 2]), float)


# Full partitions: a list of components (prior, current) whose sums are the total.
values = st.integers(min_value=0, max_value=10**9)
components = st.lists(st.tuples(values, values), min_size=1, max_size=12)


def totals(parts):
    return sum(p for p, _ in parts), sum(c for _, c in parts)


@given(components)
def test_contributions_over_a_full_partition_sum_to_100(parts):
    tot_prior, tot_cur = totals(parts)
    assume(tot_cur != tot_prior)
    shares = [f.contribution(c, p, tot_cur, tot_prior) for p, c in parts]
    assert math.fsum(shares) == pytest.approx(100, rel=1e-9, abs=1e-9 * max(map(abs, shares)))


@given(components)
def test_pulls_over_a_full_partition_sum_to_the_total_growth(parts):
    tot_prior, tot_cur = totals(parts)
    assume(tot_prior != 0)
    pulls = [f.pull_points(c, p, tot_prior) for p, c in parts]
    growth = f.yoy(tot_cur, tot_prior)
    assert math.fsum(pulls) == pytest.approx(growth, rel=1e-9, abs=1e-9)


@given(components.map(lambda ps: [(Decimal(p) / 10000, Decimal(c) / 10000) for p, c in ps]))
def test_decimal_partitions_sum_exactly_to_display_precision(parts):
    # Money is stored in 万元 with 4 decimal places: sums stay exact at 1e-10 points.
    tot_prior, tot_cur = totals(parts)
    assume(tot_prior != 0)
    pulls = [f.pull_points(c, p, tot_prior) for p, c in parts]
    assert abs(sum(pulls) - f.yoy(tot_cur, tot_prior)) < Decimal("1e-10")


@given(
    st.integers(min_value=1, max_value=10**9),
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=1, max_value=10**9),
    st.integers(min_value=1, max_value=10**9),
)
def test_a_shrinking_component_has_negative_pull_and_contribution(drop, sub_cur, rest_prior, gain):
    # sub shrinks by `drop`; the rest grows by `gain` + `drop`, so the total grows by `gain`.
    sub_prior = sub_cur + drop
    rest_cur = rest_prior + gain + drop
    tot_prior, tot_cur = sub_prior + rest_prior, sub_cur + rest_cur
    assert f.pull_points(sub_cur, sub_prior, tot_prior) < 0
    assert f.contribution(sub_cur, sub_prior, tot_cur, tot_prior) < 0


@given(
    st.integers(min_value=1, max_value=10**6),
    st.integers(min_value=1, max_value=10**6),  # from 0, the growth −100% has no base weight
    st.integers(min_value=1, max_value=10**6),
    st.integers(min_value=0, max_value=10**6),
)
def test_the_three_pull_estimates_agree_on_exact_figures(sub_prior, sub_cur, rest_prior, rest_cur):
    tot_prior, tot_cur = sub_prior + rest_prior, sub_cur + rest_cur
    pull = f.pull_points(sub_cur, sub_prior, tot_prior)
    total_growth = f.yoy(tot_cur, tot_prior)
    growth = f.yoy(sub_cur, sub_prior)
    current_share = f.share(sub_cur, tot_cur)
    assert f.pull_from_growth(current_share, total_growth, growth) == pytest.approx(
        pull, rel=1e-9, abs=1e-9
    )
    if tot_cur != tot_prior:
        share_of_growth = f.contribution(sub_cur, sub_prior, tot_cur, tot_prior)
        assert f.pull_from_contribution(total_growth, share_of_growth) == pytest.approx(
            pull, rel=1e-9, abs=1e-9
        )
