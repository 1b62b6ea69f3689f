"""Group rankings: suppressed cells take no place, ties are broken by name."""

from __future__ import annotations

from decimal import Decimal as D

from gongxin.analytics.runners import IndicatorRow
from gongxin.monitoring.rankings import group_rankings


def row(name, yoy, pull, suppressed=False):
    return IndicatorRow(
        name, name, 5, D(100), D(90), yoy, 10.0, None, pull, 50.0, D(30), suppressed
    )


def test_fastest_slowest_and_pulling_among_visible_cells():
    rows = [
        row("汽车", 3.0, 0.2),
        row("芯屏", 35.0, 1.1),
        row("食品饮料", -2.0, -0.3),
        row("船舶海工", 9.0, 0.9),
        row("小集群", 80.0, 2.0, suppressed=True),
        IndicatorRow("total", "合计", 20, D(400), D(380), 5.3, 100.0, 100.0, 5.3, 60.0, D(30)),
    ]
    ranked = group_rankings(rows, top=3)
    assert [r.name for r in ranked.fastest] == ["芯屏", "船舶海工", "汽车"]
    assert [r.name for r in ranked.slowest] == ["食品饮料", "汽车", "船舶海工"]
    # by the size of the pull, a drag counts as much as a push
    assert [r.name for r in ranked.pulling] == ["芯屏", "船舶海工", "食品饮料"]
    assert "小集群" not in {r.name for r in ranked.fastest + ranked.slowest + ranked.pulling}


def test_ties_are_broken_by_name():
    ranked = group_rankings([row("乙", 5.0, 0.1), row("甲", 5.0, 0.1)], top=2)
    assert [r.name for r in ranked.slowest] == sorted(["乙", "甲"])
