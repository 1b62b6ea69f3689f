"""Early warnings over the enterprises of the year's register (DOMAIN.md; issue 4):
- a YTD output decline beyond a threshold (default −10%);
- the YTD growth rate falling for three consecutive months;
- an annualised revenue trend below the above-scale threshold (2000万元).
Individual enterprises are named only to the statistics role."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from gongxin.core.periods import Period

KIND_LABELS = {
    "decline": "累计产值同比下降较多",
    "falling": "增速连续3个月回落",
    "below_scale": "营收趋势低于规上标准",
}


@dataclass(frozen=True)
class EarlyWarning:
    enterprise_id: int
    name: str
    kind: str
    detail: str

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


def _yoy(cur, prior) -> Decimal | None:
    if cur is None or not prior:
        return None
    return (Decimal(cur) / Decimal(prior) - 1) * 100


def early_warnings(period: str) -> list[EarlyWarning]:
    from gongxin.enterprises.models import ScaleRecord
    from gongxin.monitoring.models import MonthlyStat

    end = Period.parse(period)
    months = [str(end.shift(-k)) for k in range(3, -1, -1) if end.shift(-k).year == end.year]
    register = ScaleRecord.objects.filter(year=end.year, above_scale=True).values("enterprise_id")
    rows = (MonthlyStat.objects.filter(period__in=months, enterprise_id__in=register)
            .select_related("enterprise").order_by("enterprise_id", "period"))  # fmt: skip
    series: dict[int, dict[str, MonthlyStat]] = defaultdict(dict)
    for stat in rows:
        series[stat.enterprise_id][stat.period] = stat
    threshold = Decimal(str(getattr(settings, "WARNING_DECLINE_PERCENT", -10)))
    scale = Decimal(str(getattr(settings, "ABOVE_SCALE_REVENUE_WAN", 2000)))
    found: list[EarlyWarning] = []
    for enterprise_id, by_month in series.items():
        current = by_month.get(str(end))
        if current is None:
            continue
        name = current.enterprise.name
        growth = _yoy(current.output, current.output_prior)
        if growth is not None and growth < threshold:
            found.append(
                EarlyWarning(enterprise_id, name, "decline", f"累计产值同比下降{abs(growth):.1f}%")
            )
        rates = [
            _yoy(by_month[m].output, by_month[m].output_prior) if m in by_month else None
            for m in months
        ]
        if (
            len(rates) == 4
            and None not in rates
            and all(a > b for a, b in zip(rates, rates[1:], strict=False))
        ):
            found.append(EarlyWarning(enterprise_id, name, "falling",
                                 f"增速由{rates[0]:.1f}%回落至{rates[-1]:.1f}%"))  # fmt: skip
        if current.revenue is not None:
            annual = Decimal(current.revenue) / end.month * 12
            if annual < scale:
                found.append(EarlyWarning(enterprise_id, name, "below_scale",
                                     f"按1-{end.month}月营收推算全年约{annual:.0f}万元"))  # fmt: skip
    return found
