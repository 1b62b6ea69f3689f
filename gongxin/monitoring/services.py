"""Writes of the monthly statistics: imports (with revisions kept) and releases."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import transaction

from gongxin.core import audit
from gongxin.core.dbstats import refresh_statistics
from gongxin.core.errors import ServiceError
from gongxin.core.periods import Period
from gongxin.enterprises.models import Enterprise
from gongxin.monitoring.models import MonthlyStat, PeriodRelease, StatRevision


def stats_by_key(keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], MonthlyStat]:
    keys = list(keys)
    codes = {k[0] for k in keys}
    periods = {k[1] for k in keys}
    rows = MonthlyStat.objects.filter(
        enterprise__uscc__in=codes, period__in=periods
    ).select_related("enterprise")
    return {(r.enterprise.uscc, r.period): r for r in rows}


def enterprise_ids(codes: Sequence[str]) -> dict[str, int]:
    return dict(Enterprise.objects.filter(uscc__in=set(codes)).values_list("uscc", "pk"))


def apply_stats(actor, items, *, reason: str = "") -> None:
    """Create or revise months (inside the import's transaction); one audit row each."""
    changes = []
    for item in items:
        if item.action == "unchanged":
            continue
        values = {k: Decimal(v) for k, v in item.after.items()}
        if item.obj is None:
            stat = MonthlyStat.objects.create(
                enterprise_id=item.record["enterprise_id"], period=item.record["period"], **values
            )
            changes.append(audit.Change(stat, after=item.after))
            continue
        stat = item.obj
        StatRevision.objects.create(
            stat=stat, before=item.before, after=item.after, revised_by=actor, reason=reason[:255]
        )
        for name, value in values.items():
            setattr(stat, name, value)
        stat.revised = True
        stat.version += 1
        stat.save()
        changes.append(audit.Change(stat, before=item.before, after=item.after))
    audit.record_many(actor, "stats.import", changes, reason=reason)
    if len(changes) > 1000:
        refresh_statistics(MonthlyStat)


def release_period(actor, period: str) -> PeriodRelease:
    """Make a period's figures visible beyond the statistics role."""
    period = str(Period.parse(period))
    with transaction.atomic():
        if not MonthlyStat.objects.filter(period=period).exists():
            raise ServiceError(f"{period} 尚无统计数据，不能发布。")
        release, created = PeriodRelease.objects.get_or_create(
            period=period, defaults={"released_by": actor}
        )
        if not created:
            raise ServiceError(f"{period} 已于 {release.released_at:%Y-%m-%d} 发布。")
        audit.record(actor, "stats.release", release, after={"period": period})
    return release


def is_released(period: str) -> bool:
    return PeriodRelease.objects.filter(period=period).exists()
