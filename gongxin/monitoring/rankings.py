"""Rankings for the dashboard: the groups growing fastest and slowest and the ones pulling
total growth most, among the cells the viewer may see; for the statistics role also the
enterprises that added or lost the most (individual figures)."""

from __future__ import annotations

from dataclasses import dataclass

from gongxin.analytics.runners import IndicatorRow


@dataclass(frozen=True)
class Rankings:
    fastest: list[IndicatorRow]
    slowest: list[IndicatorRow]
    pulling: list[IndicatorRow]


def group_rankings(rows: list[IndicatorRow], top: int = 5) -> Rankings:
    """Suppressed cells take no place: ranking them would hint at their values."""
    ranked = [r for r in rows if r.group != "total" and not r.suppressed and r.yoy is not None]
    by_growth = sorted(ranked, key=lambda r: (r.yoy, r.name), reverse=True)
    slowest = sorted(ranked, key=lambda r: (r.yoy, r.name))[:top]
    pulling = sorted(
        (r for r in ranked if r.pull_points is not None),
        key=lambda r: (abs(r.pull_points or 0), r.name),
        reverse=True,
    )
    return Rankings(fastest=by_growth[:top], slowest=slowest, pulling=pulling[:top])
