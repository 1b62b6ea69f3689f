"""One enterprise's monthly series, for its profile page, its Excel export and the API.

Individual figures are confidential statistics: the rows come through
MonthlyStat.restrict, so the analyst reads every month, an enterprise user reads its own
released months, and every other role reads nothing (they see suppressed aggregates)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from gongxin.accounts.choices import Role
from gongxin.analytics import catalog, formulas
from gongxin.monitoring.models import MonthlyStat

SERIES_MEASURES = ("output", "revenue", "profit", "tax", "energy_tce", "employees")
STATS_ROLES = frozenset({Role.ANALYST, Role.ENTERPRISE})


def may_read_enterprise_stats(user) -> bool:
    return user.is_authenticated and user.is_active and user.role in STATS_ROLES


@dataclass(frozen=True)
class SeriesRow:
    period: str
    values: dict[str, Decimal | None]
    priors: dict[str, Decimal | None]
    revised: bool
    provenance: str

    def yoy(self, measure: str) -> formulas.Result:
        prior = self.priors[measure]
        if prior is None or prior <= 0 or self.values[measure] is None:
            return None  # no rate on a missing or negative base (formulas.yoy)
        return formulas.yoy(self.values[measure], prior)


def monthly_series(user, enterprise) -> list[SeriesRow]:
    """The months this user may read of the enterprise, oldest first."""
    fields = [f for m in SERIES_MEASURES for f in (m, f"{m}_prior")]
    stats = (
        MonthlyStat.objects.restrict(user)
        .filter(enterprise=enterprise)
        .order_by("period")
        .values("period", "revised", "provenance", *fields)
    )
    return [
        SeriesRow(
            period=s["period"],
            values={m: s[m] for m in SERIES_MEASURES},
            priors={m: s[f"{m}_prior"] for m in SERIES_MEASURES},
            revised=s["revised"],
            provenance=s["provenance"],
        )
        for s in stats
    ]


def chart_data(rows: list[SeriesRow]) -> dict:
    """Output YTD against the prior year's same period, and its YoY growth (ECharts)."""
    return {
        "periods": [r.period for r in rows],
        "output": [_float(r.values["output"]) for r in rows],
        "output_prior": [_float(r.priors["output"]) for r in rows],
        "yoy": [_float(r.yoy("output"), 1) for r in rows],
    }


def table_headers() -> list[str]:
    headers = ["统计期"]
    for m in SERIES_MEASURES:
        feature = catalog.get(m)
        headers += [f"{feature.label}({feature.unit})", f"{feature.label}同比(%)"]
    return [*headers, "来源", "修订"]


def table_rows(rows: list[SeriesRow]) -> list[list]:
    """Newest month first, as the page and the Excel file show them."""
    out = []
    for r in reversed(rows):
        line: list = [r.period]
        for m in SERIES_MEASURES:
            yoy = r.yoy(m)
            line += [r.values[m], None if yoy is None else round(yoy, 1)]
        line += [
            catalog.PROVENANCE_LABELS.get(r.provenance, r.provenance),
            "已修订" if r.revised else "",
        ]
        out.append(line)
    return out


def _float(value, digits: int | None = None) -> float | None:
    if value is None:
        return None
    return round(float(value), digits) if digits is not None else float(value)
