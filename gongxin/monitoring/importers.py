"""Importer of the monthly statistics (统计月报) per enterprise and period.

Headers vary between forms and years: "工业总产值(当年价格)(千元)本年累计", "上年同期工业总产值",
"营业收入(千元)"… Each measure has a current and a prior-year same-period column; money
units come from the header or the declared unit (元/千元/万元/亿元) and are stored as 万元.
A header unit outside those (e.g. 万美元) is an error naming the column. Blank cells leave
stored values as they are. A month imported again with other figures is a revision: the
old values are kept (StatRevision) and the month is marked revised.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms

from gongxin.accounts.choices import Role
from gongxin.core import uscc
from gongxin.core.imports.base import Column, Importer, Item, Row, register
from gongxin.core.imports.exceptions import ImportRefused
from gongxin.core.imports.values import MONEY_UNITS, CellError, parse_decimal, quantize, to_wan
from gongxin.core.periods import Period
from gongxin.monitoring import official, services
from gongxin.monitoring.models import MEASURES, VALUE_FIELDS, OfficialFigure

NAMES = {
    "output": ("工业总产值", "总产值"),
    "revenue": ("营业收入", "主营业务收入"),
    "profit": ("利润总额",),
    "tax": ("应交增值税", "本年应交增值税"),
    "energy_tce": ("综合能源消费量", "综合能耗"),
    "value_added": ("工业增加值",),
    "employees": ("从业人员平均人数", "从业人员"),
}
LABELS = {
    "output": "工业总产值",
    "revenue": "营业收入",
    "profit": "利润总额",
    "tax": "应交增值税",
    "energy_tce": "综合能源消费量",
    "value_added": "工业增加值",
    "employees": "从业人员平均人数",
}
MONEY = {"output", "revenue", "profit", "tax", "value_added"}
OTHER_UNITS = {"energy_tce": {"吨标准煤", "吨标煤", "tce"}, "employees": {"人"}}
QUALIFIERS = {"当年价格", "现价"}
_PAREN = r"(?:\([^)]*\))?"
_CURRENT = r"(?:本年累计|1-本月累计|本年1-本月累计|本月累计|累计|本年)?"
_PARENS = re.compile(r"\(([^)]*)\)")


def _patterns(measure: str) -> tuple[str, str]:
    names = "|".join(NAMES[measure])
    current = rf"(?:{names}){_PAREN}{_PAREN}{_CURRENT}{_PAREN}"
    prior = (
        rf"(?:上年同期(?:{names}){_PAREN}{_PAREN}(?:累计)?{_PAREN}"
        rf"|(?:{names}){_PAREN}{_PAREN}(?:上年同期累计|上年同期|上年累计){_PAREN})"
    )
    return current, prior


def _columns() -> tuple[Column, ...]:
    columns = [
        Column("uscc", "统一社会信用代码", ("信用代码", "统一代码", "社会信用代码"), required=True),
        Column("name", "企业名称", ("单位详细名称", "单位名称", "企业")),
        Column("period", "统计期", ("期别", "报告期", "统计月份")),
    ]
    for measure in MEASURES:
        current, prior = _patterns(measure)
        columns.append(Column(measure, LABELS[measure], pattern=current))
        columns.append(Column(f"{measure}_prior", f"{LABELS[measure]}（上年同期）", pattern=prior))
    return tuple(columns)


class StatsImportOptions(forms.Form):
    period = forms.CharField(
        label="统计期",
        required=False,
        max_length=7,
        help_text="YYYY-MM；文件有“统计期/期别”列时可不填。",
    )
    unit = forms.ChoiceField(
        label="金额单位",
        required=False,
        choices=[("", "按表头")] + [(u, u) for u in MONEY_UNITS],
        help_text="表头未注明单位时使用（统计月报通常为千元）。",
    )


def header_unit(header: str | None) -> str | None:
    """The unit written in a header's brackets, qualifiers such as 当年价格 left aside."""
    if not header:
        return None
    units = [
        u
        for u in _PARENS.findall(header.replace("（", "(").replace("）", ")"))
        if u not in QUALIFIERS
    ]
    return units[-1] if units else None


@register
class MonthlyStatsImporter(Importer):
    slug = "stats"
    label = "统计月报"
    description = (
        "每行一家企业一个月的本年累计与上年同期累计数据，按统一社会信用代码和统计期识别；"
        "金额统一折算为万元。同一月份再次导入不同数据时作为修订保留历史。"
    )
    formats = ("xlsx", "xls", "csv")
    columns = _columns()
    roles = frozenset({Role.ANALYST})
    options_form = StatsImportOptions

    def __init__(self, user=None, options=None):
        super().__init__(user, options)
        self._units: dict[str, str] | None = None
        self._periods: set[str] = set()

    def lock_key(self) -> str:
        return "import:stats"

    def _resolve_units(self, row: Row) -> bool:
        """Once per file: each value column's unit, or one clear error naming the column."""
        if self._units is not None:
            return bool(self._units) or not any(row.has(f) for f in VALUE_FIELDS)
        self._units = {}
        declared = self.options.get("unit") or ""
        for field in VALUE_FIELDS:
            if not row.has(field):
                continue
            measure = field.removesuffix("_prior")
            written = header_unit(row.headers.get(field))
            if measure in MONEY:
                unit = written or declared
                if unit not in MONEY_UNITS:
                    message = (
                        f"表头单位“{written}”无法识别，金额单位应为元、千元、万元或亿元。"
                        if written
                        else "表头未注明金额单位，请在导入选项中选择（统计月报通常为千元）。"
                    )
                    row.error(field, message)
                    self._units = {}
                    return False
                self._units[field] = unit
            else:
                if written and written not in OTHER_UNITS[measure]:
                    row.error(
                        field,
                        f"表头单位“{written}”无法识别，应为{'、'.join(sorted(OTHER_UNITS[measure]))}。",
                    )
                    self._units = {}
                    return False
                self._units[field] = ""
        return True

    def clean(self, row: Row) -> dict[str, Any] | None:
        if not self._resolve_units(row):
            return None
        code = row.text("uscc", required=True)
        try:
            code = uscc.validate(code) if code else ""
        except uscc.InvalidUSCC as error:
            row.error("uscc", str(error))
        period_text = row.text("period") if row.has("period") else ""
        period_text = period_text or self.options.get("period") or ""
        period = ""
        if not period_text:
            row.error(
                "period" if row.has("period") else "uscc",
                "缺少统计期：请在文件中加“统计期”列或在导入选项中填写。",
            )
        else:
            try:
                period = str(Period.parse(period_text))
            except ValueError:
                row.error("period", f"统计期“{period_text}”无法识别，应写作YYYY-MM。")
        values: dict[str, Decimal | None] = {}
        for field, unit in (self._units or {}).items():
            raw = row.raw(field)
            try:
                amount = parse_decimal(raw)
            except CellError as problem:
                row.error(field, problem.message)
                continue
            if amount is None:
                continue
            if amount < 0 and not field.startswith("profit"):
                row.error(field, "不能为负数。")
                continue
            values[field] = to_wan(amount, unit) if unit else quantize(amount, 4)
        if not row.ok:
            return None
        self._periods.add(period)
        return {"uscc": code, "period": period, "values": values}

    def key(self, record):
        return (record["uscc"], record["period"])

    def existing(self, keys):
        return services.stats_by_key(keys)

    def validate(self, items: list[Item]) -> None:
        known = services.enterprise_ids([i.record["uscc"] for i in items])
        for item in items:
            enterprise = known.get(item.record["uscc"])
            if enterprise is None:
                item.row.error(
                    "uscc",
                    f"企业库中没有统一社会信用代码为“{item.record['uscc']}”的企业，请先导入企业名录。",
                )
            item.record["enterprise_id"] = enterprise

    def compare(self, item: Item):
        after = {k: str(v) for k, v in item.record["values"].items()}
        if item.obj is None:
            return None, after
        before = {
            k: (str(getattr(item.obj, k)) if getattr(item.obj, k) is not None else None)
            for k in after
        }
        changed = {k for k in after if before[k] is None or Decimal(before[k]) != Decimal(after[k])}
        return {k: before[k] for k in changed}, {k: after[k] for k in changed}

    def write(self, items: list[Item]) -> None:
        services.apply_stats(self.user, items, reason=self.reason)

    def describe(self, item: Item) -> str:
        return f"{item.key[0]} {item.key[1]}"

    def field_label(self, name: str) -> str:
        measure = name.removesuffix("_prior")
        return LABELS.get(measure, name) + ("（上年同期）" if name.endswith("_prior") else "")


OFFICIAL_LABELS = {
    "scope_name": "范围",
    "growth": "增速(%)",
    "value": "总量（万元）",
    "source": "发布单位",
    "published_on": "发布日期",
}
# A growth beyond ±1000% is a typing error (an amount in the growth column, say).
MAX_GROWTH = Decimal(1000)


@register
class OfficialFiguresImporter(Importer):
    """Published growth rates (官方发布, 可比价) of the region and its industries."""

    slug = "official"
    label = "官方发布数据"
    description = (
        "统计部门发布的全区及分行业增速（可比价），每行一个统计期、范围和指标，"
        "如“2024-06 全区 规上工业增加值 6.2”。按统计期、范围和指标识别，与平台按现价计算的"
        "名义增速分开保存和展示；导入后绑定到这些数据的量化目标自动更新完成值和判定。"
    )
    formats = ("xlsx", "xls", "csv")
    columns = (
        Column("period", "统计期", ("期别", "报告期", "统计月份", "时间"), required=True,
               help="YYYY-MM，本年累计（如 2024-06 或 2024年1-6月）"),
        Column("scope", "范围", ("范围/行业", "行业", "地区", "分组", "行业名称"), required=True,
               help="全区；门类或大类（C、39、制造业）；或产业名称（五大传统优势产业）"),
        Column("indicator", "指标", ("指标名称",), required=True),
        Column("growth", "增速(%)", ("增速", "增长(%)", "同比增长(%)", "同比增速(%)",
                                     "可比价增速(%)", "比上年同期增长(%)", "增长率(%)"),
               required=True),
        Column("value", "总量(亿元)", pattern=r"(?:总量|数值|本年累计|累计)(?:\([^)]*\))?"),
        Column("source", "发布单位", ("来源", "数据来源", "发布机关")),
        Column("published_on", "发布日期", ("发布时间",)),
    )  # fmt: skip
    roles = frozenset({Role.ANALYST})

    @classmethod
    def key_column(cls) -> str | None:
        return "indicator"

    def lock_key(self) -> str:
        return "import:official"

    def clean(self, row: Row) -> dict[str, Any] | None:
        period_text = row.text("period", required=True)
        period = ""
        if period_text:
            try:
                period = str(Period.parse(period_text))
            except ValueError:
                row.error("period", f"统计期“{period_text}”无法识别，应写作YYYY-MM（本年累计）。")
        scope = ("", "", "")
        scope_text = row.text("scope", required=True)
        if scope_text:
            try:
                scope = official.parse_scope(scope_text)
            except official.UnknownScope as error:
                row.error("scope", error.message)
        indicator = ""
        indicator_text = row.text("indicator", required=True)
        if indicator_text:
            indicator = official.indicator_code(indicator_text) or ""
            if not indicator:
                row.error(
                    "indicator",
                    f"指标“{indicator_text}”无法识别，应为：{official.indicator_choices_text()}。",
                )
        growth = self._growth(row)
        value = self._value(row)
        source = row.text("source", max_length=60) if row.has("source") else ""
        published_on = row.date("published_on") if row.has("published_on") else None
        if not row.ok:
            return None
        kind, code, name = scope
        return {
            "period": period, "scope_kind": str(kind), "scope_code": code, "scope_name": name,
            "indicator": indicator, "growth": growth, "value": value, "source": source,
            "published_on": published_on,
        }  # fmt: skip

    def _growth(self, row: Row) -> Decimal | None:
        raw = row.raw("growth")
        if isinstance(raw, str) and raw.strip().endswith(("%", "％")):
            raw = raw.strip()[:-1]
        try:
            growth = parse_decimal(raw, 2)
        except CellError as problem:
            row.error("growth", problem.message)
            return None
        if growth is None:
            row.error("growth", f"“{row.headers.get('growth')}”不能为空。")
        elif abs(growth) > MAX_GROWTH:
            row.error("growth", f"增速 {growth}% 超出合理范围，请核对（单位为%）。")
        return growth

    def _value(self, row: Row) -> Decimal | None:
        if not row.has("value"):
            return None
        try:
            amount = parse_decimal(row.raw("value"))
        except CellError as problem:
            row.error("value", problem.message)
            return None
        if amount is None:
            return None
        unit = header_unit(row.headers.get("value"))
        if unit not in MONEY_UNITS:
            row.error(
                "value",
                f"表头单位“{unit}”无法识别，金额单位应为元、千元、万元或亿元。"
                if unit
                else "表头未注明金额单位，请写作“总量(亿元)”。",
            )
            return None
        return to_wan(amount, unit)

    def key(self, record):
        return (record["period"], record["scope_kind"], record["scope_code"], record["indicator"])

    def existing(self, keys):
        return services.official_by_key(keys)

    def compare(self, item: Item):
        after = {name: _json(item.record[name]) for name in OFFICIAL_LABELS}
        if item.obj is None:
            return None, after
        before = {name: _json(getattr(item.obj, name)) for name in OFFICIAL_LABELS}
        changed = [name for name in after if not _same(before[name], after[name])]
        return {k: before[k] for k in changed}, {k: after[k] for k in changed}

    def write(self, items: list[Item]) -> None:
        services.apply_official(self.user, items, reason=self.reason)

    def describe(self, item: Item) -> str:
        record = item.record
        label = OfficialFigure.Indicator(record["indicator"]).label
        return f"{record['period']} {record['scope_name']} {label}"

    def field_label(self, name: str) -> str:
        return OFFICIAL_LABELS.get(name, name)


def _json(value: Any) -> str | None:
    if value is None or value == "":
        return None if value is None else ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _same(before: str | None, after: str | None) -> bool:
    """Equal as stored: 6.2 and 6.20 are the same growth."""
    if before is None or after is None:
        return before == after
    try:
        return Decimal(before) == Decimal(after)
    except ArithmeticError:
        return before == after


__all__ = ["ImportRefused", "MonthlyStatsImporter", "OfficialFiguresImporter"]
