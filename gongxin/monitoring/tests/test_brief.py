"""The brief's sentences, in the seed-000 style, from engine rows (numbers of seed 000)."""

from __future__ import annotations

from decimal import Decimal as D

from gongxin.analytics.runners import IndicatorRow
from gongxin.monitoring import brief


def row(group, name, n, ytd, prior, yoy, share, pull, suppressed=False):
    return IndicatorRow(
        group, name, n, D(ytd), D(prior), yoy, share, None, pull, None, None, suppressed
    )


def test_the_seed_000_sentences():
    # 47,861,000万元 = 4786.1亿元; growth 1.9%; 倍增 4,979,000万元 = 497.9亿元 pulling 1.2 points
    total = row("total", "合计", 1166, "47861000", "46968000", 1.9, 100.0, 1.9)
    assert brief.overview_sentence("2024-12", total) == (
        "2024年1-12月，1166家规上工业企业完成产值4786.1亿元，同比增长1.9%。"
    )
    doubling = row("1", "倍增企业", 33, "4979000", "4415000", 12.77, 10.4, 1.2)
    assert brief.group_sentence(doubling) == (
        "倍增企业（33家）累计实现产值497.9亿元，同比增长12.8%，占规上工业总产值的10.4%，"
        "拉动全区工业增长1.2个百分点。"
    )


def test_a_decline_and_a_suppressed_group_are_worded_as_such():
    falling = row("B", "采矿业", 5, "1000", "1200", -16.67, 2.0, -0.4)
    assert "同比下降16.7%" in brief.group_sentence(
        falling
    ) and "下拉全区工业增长0.4个百分点" in brief.group_sentence(falling)
    hidden = row("D", "电力", 2, "0", "0", None, None, None, suppressed=True)
    assert brief.group_sentence(hidden) == "电力：数据已按统计制度脱敏。"
