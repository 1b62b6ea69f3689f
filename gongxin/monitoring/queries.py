"""Reads for the monitoring pages (the engine computes; these only pick periods and rows)."""

from __future__ import annotations

from gongxin.accounts.choices import Role
from gongxin.analytics import runners
from gongxin.core.periods import Period
from gongxin.monitoring.models import MonthlyStat, PeriodRelease


def visible_periods(user) -> list[str]:
    """Periods with data the user may see: all for the analyst, released ones for others."""
    periods = MonthlyStat.objects.values_list("period", flat=True).distinct().order_by("period")
    if user.role != Role.ANALYST:
        periods = periods.filter(period__in=PeriodRelease.objects.values("period"))
    return list(periods)


def year_trend(period: str) -> list[dict]:
    """The year's months up to `period`: total YTD output (万元) and its YoY growth."""
    end = Period.parse(period)
    months = [str(p) for p in Period.range(f"{end.year}-01", end)]
    present = set(
        MonthlyStat.objects.filter(period__in=months).values_list("period", flat=True).distinct()
    )
    trend = []
    for month in months:
        if month not in present:
            continue
        total = runners.indicator_table("size_band", month)[-1]
        trend.append(
            {
                "period": month,
                "ytd": float(total.ytd or 0),
                "yoy": None if total.yoy is None else float(total.yoy),
            }
        )
    return trend


def _band(output) -> str:
    from gongxin.analytics.facts import SIZE_BANDS

    value = output or 0
    return next(key for key, lower, _ in SIZE_BANDS if value >= lower)


def group_members(by: str, group: str, period: str) -> list[dict]:
    """The register's enterprises of one group, with their figures for the period."""
    from gongxin.enterprises.industries import section_of
    from gongxin.enterprises.models import ClusterMembership, Honor, ProgramMembership, ScaleRecord

    year = int(period[:4])
    register = ScaleRecord.objects.filter(year=year, above_scale=True).values("enterprise_id")
    stats = (
        MonthlyStat.objects.filter(period=period, enterprise_id__in=register)
        .select_related("enterprise", "enterprise__region")
        .order_by("-output")
    )
    if by in ("cluster", "chain"):
        stats = stats.filter(
            enterprise_id__in=ClusterMembership.objects.filter(cluster_id=group).values(
                "enterprise_id"
            )
        )
    elif by == "program":
        stats = stats.filter(
            enterprise_id__in=ProgramMembership.objects.filter(program_id=group).values(
                "enterprise_id"
            )
        )
    elif by == "honor":
        stats = stats.filter(
            enterprise_id__in=Honor.objects.filter(kind=group, year__lte=year).values(
                "enterprise_id"
            )
        )
    elif by in ("town", "zone"):
        stats = stats.filter(enterprise__region_id=group)
    rows = []
    for stat in stats:
        code = stat.enterprise.industry_code or ""
        if by == "section" and (section_of(code) if code else "?") != group:
            continue
        if by == "division" and code[:2] != group:
            continue
        if by == "size_band" and _band(stat.output) != group:
            continue
        rows.append(
            {
                "enterprise": stat.enterprise,
                "output": stat.output,
                "output_prior": stat.output_prior,
                "yoy": None
                if not stat.output_prior
                else float((stat.output / stat.output_prior - 1) * 100),
                "revised": stat.revised,
            }
        )
    return rows
