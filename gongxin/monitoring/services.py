"""Writes of the monthly statistics: imports (with revisions kept) and releases; imports
of the official (published) figures."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import transaction

from gongxin.core import audit
from gongxin.core.dbstats import refresh_statistics
from gongxin.core.errors import ServiceError
from gongxin.core.periods import Period
from gongxin.enterprises.models import Enterprise
from gongxin.monitoring.models import MonthlyStat, OfficialFigure, PeriodRelease, StatRevision


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
        # The engine's figures of the period are now visible: targets bound to them follow.
        _refresh_targets(actor, [period], "发布统计期")
    return release


def is_released(period: str) -> bool:
    return PeriodRelease.objects.filter(period=period).exists()


OFFICIAL_FIELDS = ("scope_name", "growth", "value", "source", "published_on")


def official_by_key(keys: Iterable[tuple[str, str, str, str]]) -> dict[tuple, OfficialFigure]:
    """Existing official figures by (period, scope kind, scope code, indicator)."""
    keys = set(keys)
    rows = OfficialFigure.objects.filter(period__in={k[0] for k in keys})
    found = {(r.period, r.scope_kind, r.scope_code, r.indicator): r for r in rows}
    return {k: v for k, v in found.items() if k in keys}


def apply_official(actor, items, *, reason: str = "") -> None:
    """Create or update official figures (inside the import's transaction), one audit row
    each; then the supervision targets bound to the periods' figures are refreshed in the
    same transaction, so an import and the statuses it implies commit together."""
    changes = []
    periods = set()
    for item in items:
        if item.action == "unchanged":
            continue
        record = item.record
        values = {name: record[name] for name in OFFICIAL_FIELDS}
        if item.obj is None:
            figure = OfficialFigure.objects.create(
                period=record["period"],
                scope_kind=record["scope_kind"],
                scope_code=record["scope_code"],
                indicator=record["indicator"],
                **values,
            )
            changes.append(audit.Change(figure, after=item.after))
        else:
            figure = item.obj
            for name, value in values.items():
                setattr(figure, name, value)
            figure.version += 1
            figure.save()
            changes.append(audit.Change(figure, before=item.before, after=item.after))
        periods.add(figure.period)
    audit.record_many(actor, "stats.official_import", changes, reason=reason)
    _refresh_targets(actor, sorted(periods), "导入官方发布数据")


def _refresh_targets(actor, periods: list[str], why: str) -> None:
    # A plain call (the codebase has no domain signals); imported here because
    # supervision's binding service reads this app's models.
    from gongxin.supervision.services.bindings import refresh_bound_targets

    for period in periods:
        refresh_bound_targets(period, actor=actor, reason=f"{why} {period}")
