from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from gongxin.analytics.consistency import BreakdownError, check_breakdown, fmt_points

# The tiny region of test_formulas (seed 000's shape), as a bulletin would print it:
#               prior  current  growth               share                  贡献率            拉动
#   倍增企业       40      52    12 ÷ 40 = 30%        52 ÷ 1019 = 5.10%     12 ÷ 19 = 63.2%   12 ÷ 1000 = 1.2
#   其他企业      960     967    7 ÷ 960 = 0.73%      967 ÷ 1019 = 94.90%   7 ÷ 19 = 36.8%    7 ÷ 1000 = 0.7
#   total       1000    1019    1.9%
PUBLISHED = {
    "total_growth": 1.9,
    "groups": [
        {"name": "倍增企业", "growth": 30, "share": 5.1, "contribution": 63.2, "pull": 1.2},
        {"name": "其他企业", "growth": 0.7, "share": 94.9, "contribution": 36.8, "pull": 0.7},
    ],
}


def test_a_consistent_breakdown_by_hand():
    result = check_breakdown(PUBLISHED)
    assert result["consistent"] is True
    bei, rest = result["groups"]
    # 倍增: stated 1.2; from 贡献率 1.9 × 63.2 ÷ 100 = 1.2008;
    # from growth: base weight 5.1 × 1.019 ÷ 1.30 = 3.99762 → × 30 ÷ 100 = 1.19928.
    # Widest gap 1.2008 − 1.19928 = 0.0015 ≤ 0.15.
    assert bei["consistent"] is True
    assert bei["estimates"] == {"stated": 1.2, "from_contribution": 1.2, "from_growth": 1.2}
    assert bei["implied_pull"] == 1.2  # from 贡献率: 1.2008
    assert bei["implied_contribution"] == 63.16  # from the stated 拉动: 1.2 ÷ 1.9 × 100 = 63.157…
    assert bei["message"] == "各项推算的拉动相符（最大相差0.0个百分点）"
    # 其他: stated 0.7; from 贡献率 1.9 × 36.8 ÷ 100 = 0.6992;
    # from growth: 94.9 × 1.019 ÷ 1.007 = 96.0309 → × 0.7 ÷ 100 = 0.67222. Widest 0.028.
    assert rest["consistent"] is True
    assert rest["estimates"] == {"stated": 0.7, "from_contribution": 0.7, "from_growth": 0.67}
    assert rest["message"] == "各项推算的拉动相符（最大相差0.03个百分点）"


def test_a_stated_contribution_that_its_own_pull_does_not_imply_is_flagged():
    # total 9.6%; 贡献率 12.5% implies 9.6 × 12.5 ÷ 100 = 1.2 points, but the bulletin says 1.8.
    # 1.8 − 1.2 = 0.6 > 0.15. The 贡献率 the stated 拉动 implies: 1.8 ÷ 9.6 × 100 = 18.75.
    result = check_breakdown(
        {"total_growth": 9.6, "groups": [{"name": "汽车制造业", "contribution": 12.5, "pull": 1.8}]}
    )
    assert result["consistent"] is False
    (group,) = result["groups"]
    assert group == {
        "name": "汽车制造业",
        "consistent": False,
        "implied_pull": 1.2,
        "implied_contribution": 18.75,
        "message": "所述拉动1.8个百分点与贡献率推算的1.2个百分点相差0.6个百分点",
        "estimates": {"stated": 1.8, "from_contribution": 1.2, "from_growth": None},
    }


def test_rounding_on_a_small_total_raises_no_false_alarm():
    # total 0.4%; true pull 0.0924 printed as 0.1; its 贡献率 0.0924 ÷ 0.4 = 23.1%.
    # In 贡献率 percent the figures look 25 − 23.1 = 1.9 apart (0.1 ÷ 0.4 = 25%);
    # in points: 0.4 × 23.1 ÷ 100 = 0.0924 vs 0.1 → 0.0076 apart: consistent.
    result = check_breakdown(
        {"total_growth": 0.4, "groups": [{"name": "电子", "contribution": 23.1, "pull": 0.1}]}
    )
    assert result["consistent"] is True
    assert result["groups"][0]["implied_contribution"] == 25.0


def test_growth_and_share_alone_go_through_the_base_weight():
    # total 9.6%, group growth 20%, current share 25%:
    # base weight = 25 × 1.096 ÷ 1.20 = 27.4 ÷ 1.2 = 22.8333…%; pull = 22.8333 × 20 ÷ 100 = 4.5667;
    # 贡献率 = 4.5667 ÷ 9.6 × 100 = 47.569…
    result = check_breakdown(
        {"total_growth": 9.6, "groups": [{"name": "新能源", "growth": 20, "share": 25}]}
    )
    (group,) = result["groups"]
    assert group["consistent"] is True
    assert group["implied_pull"] == 4.57
    assert group["implied_contribution"] == 47.57
    assert group["estimates"] == {"stated": None, "from_contribution": None, "from_growth": 4.57}
    assert group["message"] == "仅有增速、占比，只有一种拉动估计，无法核对"


def test_a_stated_pull_against_growth_and_share_carries_the_price_caveat():
    # Same group with a stated 拉动 of 4.0: 4.5667 − 4.0 = 0.5667 > 0.15.
    result = check_breakdown(
        {
            "total_growth": 9.6,
            "groups": [{"name": "新能源", "growth": 20, "share": 25, "pull": 4.0}],
        }
    )
    (group,) = result["groups"]
    assert group["consistent"] is False
    assert group["message"].startswith(
        "所述拉动4.0个百分点与增速和占比推算的4.57个百分点相差0.57个百分点"
    )
    assert "无法复算，不一定有误" in group["message"]
    # With 4.6 stated: 4.6 − 4.5667 = 0.033 ≤ 0.15.
    result = check_breakdown(
        {
            "total_growth": 9.6,
            "groups": [{"name": "新能源", "growth": 20, "share": 25, "pull": 4.6}],
        }
    )
    assert result["consistent"] is True


def test_a_gap_of_exactly_the_tolerance_passes_and_one_beyond_fails():
    # 9.6 × 12.5 ÷ 100 = 1.2: a stated 1.35 is 0.15 away (not more), 1.36 is 0.16 away.
    def check(pull):
        breakdown = json.loads(
            json.dumps({"total_growth": 9.6, "groups": [{"contribution": 12.5, "pull": pull}]}),
            parse_float=Decimal,
        )
        return check_breakdown(breakdown)["consistent"]

    assert check(1.35) is True
    assert check(1.36) is False


def test_missing_figures_are_reported_not_guessed():
    result = check_breakdown(
        {
            "groups": [
                {"name": "只有拉动", "pull": 1.2, "contribution": 12.5},
                {"name": "空组", "growth": None},
                {"name": "缺占比", "growth": 5.0, "contribution": 10},
            ]
        }
    )
    assert result["consistent"] is True
    pull_only, empty, no_share = result["groups"]
    # Without the total's growth neither 贡献率 nor growth gives a 拉动.
    assert pull_only["message"] == "仅有贡献率、拉动且缺少总体增速，只有一种拉动估计，无法核对"
    assert pull_only["implied_pull"] is None
    assert pull_only["implied_contribution"] is None
    assert empty["message"] == "没有任何数据且缺少总体增速，无法推算拉动"
    assert no_share["estimates"] == {"stated": None, "from_contribution": None, "from_growth": None}


@pytest.mark.parametrize(
    ("breakdown", "reason"),
    [
        ([], "JSON 对象"),
        ({"total_growth": 1}, "groups"),
        ({"total_growth": "9.6", "groups": []}, "total_growth（总体增速）应为数字"),
        ({"groups": [{"name": "甲", "pull": True}]}, "第1组“甲”的pull（拉动）应为数字"),
        ({"groups": ["甲"]}, "第1组应为 JSON 对象"),
    ],
)
def test_a_malformed_breakdown_is_refused_in_chinese(breakdown, reason):
    with pytest.raises(BreakdownError, match=reason):
        check_breakdown(breakdown)


def test_fmt_points_prints_as_a_bulletin_would():
    assert fmt_points(Decimal("1.20")) == "1.2"
    assert fmt_points(Decimal("0.864")) == "0.86"
    assert fmt_points(Decimal("0.005")) == "0.01"
    assert fmt_points(Decimal("-0.001")) == "0.0"
    assert fmt_points(Decimal("10")) == "10.0"


def run(breakdown, *extra):
    out = StringIO()
    text = breakdown if isinstance(breakdown, str) else json.dumps(breakdown)
    call_command("stats", "check-published", *extra, stdin=StringIO(text), stdout=out)
    return out.getvalue()


def test_the_command_reads_stdin_and_prints_json():
    result = json.loads(run(PUBLISHED, "--json"))
    assert result["consistent"] is True
    assert [g["name"] for g in result["groups"]] == ["倍增企业", "其他企业"]
    assert result["tolerance_points"] == 0.15


def test_the_command_prints_a_chinese_report_without_json():
    assert "倍增企业：一致。" in run(PUBLISHED)


def test_the_command_prints_then_fails_when_inconsistent():
    out = StringIO()
    breakdown = {
        "total_growth": 9.6,
        "groups": [{"name": "汽车", "contribution": 12.5, "pull": 1.8}],
    }
    with pytest.raises(CommandError, match="有 1 组数据前后不一致") as raised:
        call_command(
            "stats",
            "check-published",
            "--json",
            stdin=StringIO(json.dumps(breakdown)),
            stdout=out,
        )
    assert raised.value.returncode == 1
    result = json.loads(out.getvalue())
    assert result["groups"][0]["message"] == (
        "所述拉动1.8个百分点与贡献率推算的1.2个百分点相差0.6个百分点"
    )


@override_settings(PUBLISHED_CONSISTENCY_TOLERANCE_POINTS=0.7)
def test_the_command_takes_the_tolerance_from_settings():
    # The 0.6-point gap above is within a 0.7-point tolerance.
    breakdown = {
        "total_growth": 9.6,
        "groups": [{"name": "汽车", "contribution": 12.5, "pull": 1.8}],
    }
    result = json.loads(run(breakdown, "--json"))
    assert result["consistent"] is True
    assert result["tolerance_points"] == 0.7


@pytest.mark.parametrize(
    ("text", "reason"),
    [("{not json", "不是有效的 JSON"), ('{"groups": [{"share": "5%"}]}', "share（占比）应为数字")],
)
def test_the_command_refuses_bad_input(text, reason):
    with pytest.raises(CommandError, match=reason) as raised:
        run(text, "--json")
    assert raised.value.returncode == 2


def test_the_command_needs_a_subcommand():
    with pytest.raises(CommandError):
        call_command("stats")
