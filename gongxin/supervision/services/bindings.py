"""Targets bound to a data source, so their actual value and status update themselves.

A target is bound either to an official figure (官方发布: an indicator code and a scope of
gongxin.monitoring.models.OfficialFigure, growth at comparable prices) or to the engine
(平台计算: the YoY growth of a measure over the region total, at current prices).

- Rules bind the targets nobody has bound by hand (`bind_targets_by_rule`): growth targets
  of 规上工业增加值 → the official figure of the region; 产值 → engine output; 营业收入 →
  revenue; 利润 → profit; 税收/应交增值税 → tax. Value-added targets are set in comparable
  prices and the bureau cannot reproduce the deflated figure from enterprise data
  (DOMAIN.md "Real vs nominal"), so they bind to the official figure and never fall back
  to the engine's nominal value added.
- `refresh_bound_targets(period)` takes the period's figure of each bound target of that
  year's plans and re-judges it (targets._judge, 序时 curves in core.periods). It runs
  after an official import (monitoring.services.apply_official) and after a period's
  release (monitoring.services.release_period), in their transaction. Engine figures are
  read only once their period is released; official figures are public when published.
- A person with edit rights on targets binds, unbinds or hands a target back to the rules
  (`bind_target`); every change is audited on the item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from gongxin.core import audit
from gongxin.core.errors import ConflictError
from gongxin.core.periods import Period
from gongxin.core.text import normalize_name
from gongxin.supervision.models import ItemTarget
from gongxin.supervision.services.targets import _judge

OFFICIAL, ENGINE = "official", "engine"  # ItemTarget.BindKind
ENGINE_MEASURES = {
    "output": "规上工业总产值",
    "revenue": "规上工业营业收入",
    "profit": "规上工业利润总额",
    "tax": "规上工业应交增值税",
}
BIND_FIELDS = ("bind_kind", "bind_indicator", "bind_scope_kind", "bind_scope_code", "bind_manual")
ACTUAL_FIELDS = ("actual", "actual_period", "status", "explanation")


@dataclass(frozen=True)
class Binding:
    kind: str  # OFFICIAL or ENGINE
    indicator: str  # an OfficialFigure.Indicator code, or a key of ENGINE_MEASURES
    scope_kind: str = "total"
    scope_code: str = ""


@dataclass(frozen=True)
class Reading:
    """A bound source's figure for one period."""

    period: str
    growth: Decimal
    source: str = ""  # the publishing body of an official figure


# The indicator as the extraction wrote it ("规上工业增加值增长"), spaces removed and
# 规模以上 folded to 规上, must be the whole indicator: "倍增企业产值增长" names a subset and
# is not bound to the region's output.
_REGION = r"(?:全区|全市)?"
_INDUSTRY = _REGION + r"(?:规上工业企业|规上工业|规上|工业)?"
_GROWTH = r"(?:同比)?(?:增长|增速)"
RULES: tuple[tuple[re.Pattern[str], Binding], ...] = (
    (re.compile(_REGION + r"规上工业增加值" + _GROWTH), Binding(OFFICIAL, "value_added")),
    (re.compile(_INDUSTRY + r"(?:总产值|产值)" + _GROWTH), Binding(ENGINE, "output")),
    (re.compile(_INDUSTRY + r"(?:营业收入|主营业务收入)" + _GROWTH), Binding(ENGINE, "revenue")),
    (re.compile(_INDUSTRY + r"(?:利润总额|利润)" + _GROWTH), Binding(ENGINE, "profit")),
    (re.compile(_INDUSTRY + r"(?:税收|应交增值税|增值税)" + _GROWTH), Binding(ENGINE, "tax")),
)
GROWTH_UNITS = frozenset({"%"})


def rule_for(target: ItemTarget) -> Binding | None:
    """The binding the rules give a growth target (unit %), or None."""
    if target.unit not in GROWTH_UNITS:
        return None
    name = normalize_name(target.indicator).replace("规模以上", "规上")
    for pattern, binding in RULES:
        if pattern.fullmatch(name):
            return binding
    return None


def binding_of(target: ItemTarget) -> Binding | None:
    if target.bind_kind not in (OFFICIAL, ENGINE):
        return None
    return Binding(
        target.bind_kind, target.bind_indicator, target.bind_scope_kind or "total",
        target.bind_scope_code,
    )  # fmt: skip


# --- Reading the sources ---------------------------------------------------------------------


class _Readings:
    """The sources' figures, each read once per refresh (the engine runs SQL)."""

    def __init__(self):
        self._engine: dict[tuple[str, str], Reading | None] = {}

    def at(self, binding: Binding, period: str) -> Reading | None:
        if binding.kind == OFFICIAL:
            from gongxin.monitoring.models import OfficialFigure

            figure = OfficialFigure.objects.filter(
                period=period, indicator=binding.indicator,
                scope_kind=binding.scope_kind, scope_code=binding.scope_code,
            ).first()  # fmt: skip
            return None if figure is None else Reading(period, figure.growth, figure.source)
        key = (binding.indicator, period)
        if key not in self._engine:
            self._engine[key] = _engine_reading(binding.indicator, period)
        return self._engine[key]

    def latest(self, binding: Binding, year: int) -> Reading | None:
        """The year's latest figure (official: latest published; engine: latest released)."""
        if binding.kind == OFFICIAL:
            from gongxin.monitoring.official import latest_figure

            figure = latest_figure(
                binding.indicator, binding.scope_kind, binding.scope_code, year=year
            )
            return None if figure is None else Reading(figure.period, figure.growth, figure.source)
        from gongxin.monitoring.models import PeriodRelease

        released = PeriodRelease.objects.filter(period__startswith=f"{year}-")
        latest = released.order_by("-period").values_list("period", flat=True).first()
        return None if latest is None else self.at(binding, latest)


def _engine_reading(measure: str, period: str) -> Reading | None:
    """The region's YoY growth of a measure (nominal), once the period is released; none
    when the total would reveal an enterprise (fewer than 3, or one dominant)."""
    from gongxin.analytics import runners
    from gongxin.monitoring.services import is_released

    if measure not in ENGINE_MEASURES or not is_released(period):
        return None
    row = runners.indicator_table("total", period, measure, suppress=True)[0]
    if row.suppressed or row.yoy is None:
        return None
    growth = Decimal(str(row.yoy)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return Reading(period, growth)


# --- Writes ----------------------------------------------------------------------------------


def _apply(target: ItemTarget, reading: Reading) -> tuple[dict, dict] | None:
    """Set the reading as the target's actual value and judge it; the audit diff, or None
    when nothing changed."""
    before = audit.snapshot(target, ACTUAL_FIELDS)
    target.actual, target.actual_period = reading.growth, reading.period
    _judge(target)
    old, new = audit.diff(before, audit.snapshot(target, ACTUAL_FIELDS))
    if not new:
        return None
    target.version += 1
    target.save(update_fields=[*ACTUAL_FIELDS, "version"])
    return old, new


def refresh_bound_targets(period: str, *, actor=None, reason: str = "") -> int:
    """Take `period`'s figure for every bound target of that year's plans and re-judge it;
    a target that already has a later period's figure keeps it. The number changed."""
    period = str(Period.parse(period))
    year = int(period[:4])
    readings = _Readings()
    changes = []
    with transaction.atomic():
        bound = (
            ItemTarget.objects.select_for_update()
            .filter(bind_kind__in=(OFFICIAL, ENGINE), item__plan__year=year)
            .select_related("item")
            .order_by("pk")
        )
        for target in bound:
            binding = binding_of(target)
            if binding is None or (target.actual_period and target.actual_period > period):
                continue
            reading = readings.at(binding, period)
            if reading is None:
                continue
            changed = _apply(target, reading)
            if changed is not None:
                old, new = changed
                changes.append(audit.Change(target.item, old, {**new, "target": target.pk}))
        audit.record_many(actor, "target.refresh", changes, reason=reason or f"数据更新 {period}")
    return len(changes)


def bind_target(
    actor,
    target: ItemTarget,
    binding: Binding | None,
    *,
    manual: bool = True,
    expected_version: int | None = None,
) -> ItemTarget:
    """Bind a target to a source (None: unbind) and take the source's latest figure of the
    plan's year, if there is one. `manual=False` hands the target to the rules."""
    with transaction.atomic():
        target = (
            ItemTarget.objects.select_for_update().select_related("item__plan").get(pk=target.pk)
        )
        if expected_version is not None and target.version != expected_version:
            raise ConflictError()
        before = audit.snapshot(target, BIND_FIELDS)
        target.bind_kind = binding.kind if binding else ""
        target.bind_indicator = binding.indicator if binding else ""
        target.bind_scope_kind = binding.scope_kind if binding else ""
        target.bind_scope_code = binding.scope_code if binding else ""
        target.bind_manual = manual
        old, new = audit.diff(before, audit.snapshot(target, BIND_FIELDS))
        if not new:
            return target
        target.version += 1
        target.save(update_fields=[*BIND_FIELDS, "version"])
        audit.record(actor, "target.bind", target.item, before=old,
                     after={**new, "target": target.pk})  # fmt: skip
        reading = _Readings().latest(binding, target.item.plan.year) if binding else None
        if reading is not None:
            changed = _apply(target, reading)
            if changed is not None:
                audit.record(actor, "target.refresh", target.item, before=changed[0],
                             after={**changed[1], "target": target.pk},
                             reason=f"绑定数据来源 {reading.period}")  # fmt: skip
    return target


def bind_targets_by_rule(actor=None, targets=None) -> int:
    """Bind, by the rules, the targets nobody bound or unbound by hand and that are not
    bound yet; the number bound. Safe to run again."""
    if targets is None:
        targets = ItemTarget.objects.filter(bind_manual=False, bind_kind="")
    count = 0
    for target in targets:
        if target.bind_manual or target.bind_kind:
            continue
        binding = rule_for(target)
        if binding is not None:
            bind_target(actor, target, binding, manual=False)
            count += 1
    return count


# --- Describing ------------------------------------------------------------------------------


def scope_label(binding: Binding) -> str:
    if binding.scope_kind in ("", "total"):
        return "全区"
    if binding.scope_kind in ("section", "division"):
        from gongxin.enterprises import industries

        try:
            return industries.lookup(binding.scope_code).name
        except industries.UnknownIndustry:
            return binding.scope_code
    return binding.scope_code


def indicator_label(binding: Binding) -> str:
    if binding.kind == ENGINE:
        return ENGINE_MEASURES.get(binding.indicator, binding.indicator)
    from gongxin.monitoring.models import OfficialFigure

    values = OfficialFigure.Indicator.values
    if binding.indicator in values:
        return str(OfficialFigure.Indicator(binding.indicator).label)
    return binding.indicator


def describe_binding(target: ItemTarget) -> str:
    """ "数据来源：官方发布 区统计局 2024-12 规上工业增加值 可比价增速" — or, before any
    figure arrived, the source alone with "尚无数据"; "" for an unbound target."""
    binding = binding_of(target)
    if binding is None:
        return ""
    scope = scope_label(binding)
    scope_words = "" if scope == "全区" else f"{scope} "
    name = indicator_label(binding)
    if binding.kind == ENGINE:
        measure = f"全区{name} 同比增速（现价，名义）"
        if not target.actual_period:
            return f"数据来源：平台计算 {measure}，尚无已发布数据"
        return f"数据来源：平台计算 {target.actual_period} {measure}"
    reading = _Readings().at(binding, target.actual_period) if target.actual_period else None
    if reading is None:
        return f"数据来源：官方发布 {scope_words}{name} 可比价增速，尚无数据"
    body = f"{reading.source} " if reading.source else ""
    return f"数据来源：官方发布 {body}{reading.period} {scope_words}{name} 可比价增速"
