"""Importers of yearly enterprise figures: one row per enterprise and year, one column per
catalog feature, each non-empty cell one EnterpriseFigure.

FigureImporter is the shared base (a subclass names its features): the feature's catalog
provenance is the figure's; period = the row's year; a blank cell supplies nothing and leaves
a stored value as it is. Units come from the header ("实缴税金（元）") or, for money, from the
declared 金额单位, as the monthly statistics importer does; values are stored in the catalog
unit (money in 万元), Decimal with 4 places; flags as 1/0.

  evaluation-data       亩产效益评价年度数据 (evaluation/features.py)
  cultivation-data      梯度培育申报数据: the tier features the enterprise declares
  cultivation-records   梯度培育行政记录: the administrative ones (platform score, 特色化
                        score, credit lists, incidents)

The two 梯度培育 importers are split by provenance, not for the mechanics (identical) but
for the source: a row's 数据来源 names where all its values came from, and declarations
(the enterprise's form) and records (部平台, 省级主管部门, 市场监管) come from different
offices at different times; one file mixing them would stamp one source on both.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, ClassVar

from django import forms

from gongxin.analytics import catalog
from gongxin.analytics.catalog import Feature, Provenance
from gongxin.core import audit
from gongxin.core.imports.base import Column, Item, Row, header_key, register
from gongxin.core.imports.values import (
    MONEY_UNITS,
    CellError,
    is_blank,
    parse_decimal,
    quantize,
    to_wan,
)
from gongxin.core.text import normalize_name
from gongxin.enterprises.importers import (
    NAME_COLUMN,
    USCC_COLUMN,
    RegistryListImporter,
    read_uscc,
    read_year,
)
from gongxin.enterprises.models import EnterpriseFigure
from gongxin.enterprises.services import apply_figures
from gongxin.evaluation.features import FLAGS, INPUTS
from gongxin.evaluation.tiers import features as tier_features

MONEY = "万元"
# Written units → factor to the catalog unit (money: values.MONEY_UNITS).
UNITS: dict[str, dict[str, Decimal]] = {
    "亩": {"亩": Decimal(1), "平方米": Decimal("0.0015"), "m2": Decimal("0.0015"),
          "公顷": Decimal(15)},
    "吨标准煤": {"吨标准煤": Decimal(1), "吨标煤": Decimal(1), "tce": Decimal(1)},
    "万千瓦时": {"万千瓦时": Decimal(1), "万kwh": Decimal(1), "万度": Decimal(1),
             "千瓦时": Decimal("0.0001"), "kwh": Decimal("0.0001"), "度": Decimal("0.0001")},
    "吨": {"吨": Decimal(1), "t": Decimal(1)},
    "人": {"人": Decimal(1)},
}  # fmt: skip
# Bracketed words in headers that are not units.
QUALIFIERS = frozenset({"当年价格", "现价", "合计", "是/否"})
MAX_VALUE = Decimal("1e14")  # EnterpriseFigure.value: 18 digits, 4 after the point
SOURCE_MAX = EnterpriseFigure._meta.get_field("source").max_length
FLAG_YES = frozenset({"是", "1", "√", "Y", "YES"})
FLAG_NO = frozenset({"否", "0", "×", "N", "NO"})
YES, NO = Decimal("1.0000"), Decimal("0.0000")  # as stored, so re-imports compare equal
LAND = "land_area_mu"
_PARENS = re.compile(r"\(([^()]*)\)")

# The catalog's label says 上年 for policies, which read the last full year; here the
# year is the row's 年度, so the header drops it.
REVENUE = catalog.get("revenue_year_admin")
_AFTER_TAX = next(i for i, f in enumerate(INPUTS) if f.code == "tax_paid") + 1
NUMBERS: list[Feature] = [*INPUTS[:_AFTER_TAX], REVENUE, *INPUTS[_AFTER_TAX:]]
FEATURES: dict[str, Feature] = {f.code: f for f in (*NUMBERS, *FLAGS)}
ALIASES: dict[str, tuple[str, ...]] = {
    "land_area_mu": ("用地面积", "用地面积（亩）", "占地面积", "评价用地面积"),
    "tax_paid": ("实缴税金", "实缴税收", "税收", "评价税收", "实缴税金合计"),
    "revenue_year_admin": ("营业收入", "销售收入", "主营业务收入"),
    "value_added_year": ("工业增加值", "增加值"),
    "energy_year_tce": ("综合能耗", "能耗", "综合能源消费量"),
    "electricity_year": ("用电量", "年用电量"),
    "emissions_year": ("排放当量", "污染物排放", "污染物排放当量", "主要污染物排放当量"),
    "employees_year": ("职工人数", "平均职工人数", "从业人员", "从业人员平均人数"),
    "rnd_year": ("研发经费", "研发经费支出", "R&D经费", "R&D经费支出", "研发投入"),
    "water_year": ("用水量", "年用水量", "取水量"),
    "eval_exempt": ("暂不评价", "是否暂不评价"),
    "eval_new_firm": ("新投产", "是否新投产", "新投产企业"),
    "eval_under_construction": ("在建", "是否在建", "在建项目"),
    "eval_accident": ("安全环保事故", "事故", "安全环境事故", "发生安全环保事故"),
    "eval_energy_missed": ("未完成节能任务", "节能目标未完成"),
}


def header_of(feature: Feature) -> str:
    return feature.label.removeprefix("上年")


def units_of(feature: Feature) -> dict[str, Decimal]:
    return UNITS.get(feature.unit, {feature.unit: Decimal(1)})


def feature_column(feature: Feature, aliases: dict[str, tuple[str, ...]] | None = None) -> Column:
    """A feature's column: its label or an alias, with any bracketed unit or qualifier."""
    aliases = ALIASES if aliases is None else aliases
    names = (header_of(feature), *aliases.get(feature.code, ()))
    alternatives = "|".join(re.escape(header_key(n)) for n in names)
    if feature.kind == "flag":
        help_text = "是/否"
    elif feature.unit == MONEY:
        help_text = "万元；表头可注明元/千元/亿元"
    else:
        help_text = feature.unit
    return Column(
        feature.code,
        header_of(feature),
        aliases.get(feature.code, ()),
        help=help_text,
        pattern=rf"(?i)(?:{alternatives})(?:\([^()]*\))*",
    )


def qualifiers_of(column: Column) -> set[str]:
    """The bracketed words of a column's own names ("评价税收", "年度"): not units."""
    return {
        part
        for name in (column.header, *column.aliases)
        for part in _PARENS.findall(header_key(name))
    }


SURVEY_LABELS = "、".join(f"“{header_of(f)}”" for f in NUMBERS if f.provenance == Provenance.SURVEY)
FLAG_LABELS = "、".join(f"“{f.label}”" for f in FLAGS)


class EvaluationImportOptions(forms.Form):
    unit = forms.ChoiceField(
        label="金额单位",
        required=False,
        choices=[("", "按表头")] + [(u, u) for u in MONEY_UNITS],
        help_text="表头未注明单位的金额列按此单位读取，统一折算为万元保存。",
    )


YEAR_COLUMN = Column(
    "year", "年度", ("评价年度", "数据年度", "年份"), required=True, help="如 2024"
)
SOURCE_COLUMN = Column("source", "数据来源", ("出处", "来源", "提供部门"), help="如 区税务局")


class FigureImporter(RegistryListImporter):
    """One row per enterprise and year, one column per feature of `features` (the subclass's
    `columns` are built with figure_columns from the same list). Not registered."""

    features: ClassVar[tuple[Feature, ...]] = ()
    # features whose values may be negative (a loss); every other number is at least 0
    signed: ClassVar[frozenset[str]] = frozenset()
    # feature → (lowest, highest) allowed, either None for open
    bounds: ClassVar[dict[str, tuple[Decimal | None, Decimal | None]]] = {}
    # features counted in whole units (items, years, levels, ranks)
    whole: ClassVar[frozenset[str]] = frozenset()
    # feature → message: a file with this column must fill it in every row
    required_if_present: ClassVar[dict[str, str]] = {}
    options_form = EvaluationImportOptions

    def __init__(self, user=None, options=None):
        super().__init__(user, options)
        self.by_code: dict[str, Feature] = {f.code: f for f in self.features}
        self._units_read = False
        # Per number column in the file: its unit as written (a key of MONEY_UNITS or
        # units_of(feature)); None when a header's unit was refused.
        self._units: dict[str, str] | None = None

    def lock_key(self) -> str:
        # Every figure importer writes EnterpriseFigure rows (the registry's figures import
        # too: 营业收入（税务）).
        return "import:figures"

    # --- Rows -------------------------------------------------------------------------------

    def _units_of(self, row: Row) -> dict[str, str] | None:
        """Once per file: each number column's unit, or errors (on the first data row)
        naming the columns whose unit is missing or unknown."""
        if self._units_read:
            return self._units
        self._units_read = True
        declared = self.options.get("unit") or ""
        units: dict[str, str] = {}
        for column in self.columns:
            feature = self.by_code.get(column.key)
            if feature is None or feature.kind == "flag" or not row.has(column.key):
                continue
            ignored = qualifiers_of(column) | QUALIFIERS
            parts = [
                p for p in _PARENS.findall(header_key(row.headers[column.key])) if p not in ignored
            ]
            written = parts[-1] if parts else ""
            if feature.unit == MONEY:
                unit = written or declared
                if unit in MONEY_UNITS:
                    units[column.key] = unit
                elif written:
                    row.error(
                        column.key,
                        f"表头单位“{written}”无法识别，金额单位应为元、千元、万元或亿元。",
                    )
                else:
                    row.error(
                        column.key,
                        f"表头未注明金额单位：请写作“{row.headers[column.key]}（万元）”等，"
                        "或在导入选项中选择金额单位。",
                    )
            elif not written or written.lower() in units_of(feature):
                units[column.key] = written.lower() or feature.unit
            else:
                known = "、".join(units_of(feature))
                row.error(column.key, f"表头单位“{written}”无法识别，应为{known}。")
        self._units = units if row.ok else None
        return self._units

    def clean(self, row: Row) -> dict[str, Any] | None:
        units = self._units_of(row)
        if units is None:
            return None
        code = read_uscc(row)
        name = self.read_name(row)
        year = read_year(row, "year", "年度", required=True)
        source = row.text("source", max_length=SOURCE_MAX) or self.label
        values: dict[str, Decimal] = {}
        for feature in self.features:
            if feature.kind == "flag":
                value = self._flag(row, feature.code)
            elif feature.code in units:
                value = self._number(row, feature, units[feature.code])
            else:
                continue
            if value is not None:
                values[feature.code] = value
        for key, message in self.required_if_present.items():
            if row.has(key) and key not in values and is_blank(row.raw(key)):
                row.error(key, message)
        # A row that supplies no value writes nothing: it is skipped, not an error.
        if not row.ok or not code or year is None or not values:
            return None
        return {"uscc": code, "name": name, "year": str(year), "source": source, "values": values}

    def _number(self, row: Row, feature: Feature, unit: str) -> Decimal | None:
        try:
            amount = parse_decimal(row.raw(feature.code))
            if amount is None:
                return None
            if amount < 0 and feature.code not in self.signed:
                row.error(feature.code, "不能为负数。")
                return None
            if feature.unit == MONEY:
                value = to_wan(amount, unit)
            else:
                value = quantize(amount * units_of(feature)[unit], 4)
        except CellError as problem:
            row.error(feature.code, problem.message)
            return None
        if abs(value) >= MAX_VALUE:
            row.error(feature.code, f"数值过大，请核对单位（{feature.unit}）。")
            return None
        problem = self.check(feature, value)
        if problem:
            row.error(feature.code, problem)
            return None
        return value

    def check(self, feature: Feature, value: Decimal) -> str:
        """A value's problem in words, or "" (bounds and whole numbers; subclasses add)."""
        if feature.code in self.whole and value != value.to_integral_value():
            return f"应为整数（{feature.unit}）。"
        low, high = self.bounds.get(feature.code, (None, None))
        unit = feature.unit
        if low is not None and high is not None and not low <= value <= high:
            return f"应在{trim_number(low)}到{trim_number(high)}{unit}之间。"
        if low is not None and value < low:
            return f"应不小于{trim_number(low)}{unit}。"
        if high is not None and value > high:
            return f"应不大于{trim_number(high)}{unit}。"
        return ""

    @staticmethod
    def _flag(row: Row, key: str) -> Decimal | None:
        if not row.has(key):
            return None
        written = normalize_name(row.text(key)).upper()
        if not written:
            return None
        if written in FLAG_YES:
            return YES
        if written in FLAG_NO:
            return NO
        row.error(key, f"“{written}”无法识别，请填“是”或“否”。")
        return None

    def key(self, record: dict[str, Any]) -> tuple:
        return (record["uscc"], record["year"])

    def existing(self, keys: list) -> dict[tuple, dict[str, EnterpriseFigure]]:
        """{(uscc, year): {feature: figure}} of this importer's figures already stored."""
        self.load_enterprises({k[0] for k in keys})
        codes = {e.pk: e.uscc for e in self._enterprises.values()}
        figures = EnterpriseFigure.objects.filter(
            enterprise_id__in=codes, feature__in=self.by_code, period__in={k[1] for k in keys}
        )
        found: dict[tuple, dict[str, EnterpriseFigure]] = {}
        for figure in figures:
            if figure.provenance == self.by_code[figure.feature].provenance:
                key = (codes[figure.enterprise_id], figure.period)
                found.setdefault(key, {})[figure.feature] = figure
        return found

    # --- Plan and write ---------------------------------------------------------------------

    def compare(self, item: Item) -> tuple[dict | None, dict]:
        record = item.record
        current: dict[str, EnterpriseFigure] = item.obj or {}
        after: dict[str, Any] = {code: str(v) for code, v in record["values"].items()}
        if item.obj is None:
            return None, {**after, "source": record["source"]}
        before: dict[str, Any] = {
            code: str(current[code].value) if code in current else None for code in after
        }
        # apply_figures rewrites a figure whose source differs even when its value does not.
        stale = {
            f.source for c, f in current.items() if c in after and f.source != record["source"]
        }
        if stale:
            before["source"] = "、".join(sorted(stale))
            after["source"] = record["source"]
        return audit.diff(before, after)

    def describe(self, item: Item) -> str:
        return f"{self.enterprise_name(item)} {item.record['year']}年度"

    def display(self, name: str, value: Any) -> str:
        feature = self.by_code.get(name)
        if feature is None or value is None or value == "":
            return super().display(name, value)
        number = Decimal(value)
        if feature.kind == "flag":
            return "是" if number else "否"
        return f"{number.normalize():f} {feature.unit}".rstrip()

    def write(self, items: list[Item]) -> None:
        rows = [
            {
                "enterprise_id": item.record["enterprise"].pk,
                "feature": code,
                "period": item.record["year"],
                "value": value,
                "provenance": self.by_code[code].provenance,
                "source": item.record["source"],
            }
            for item in items
            for code, value in item.record["values"].items()
        ]
        apply_figures(self.user, rows, reason=self.reason)


def trim_number(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


def figure_columns(
    features: tuple[Feature, ...], aliases: dict[str, tuple[str, ...]] | None = None
) -> tuple[Column, ...]:
    """The key columns, one column per feature, then 数据来源."""
    return (
        USCC_COLUMN,
        NAME_COLUMN,
        YEAR_COLUMN,
        *(feature_column(f, aliases or {}) for f in features),
        SOURCE_COLUMN,
    )


@register
class EvaluationDataImporter(FigureImporter):
    slug = "evaluation-data"
    label = "亩产效益评价年度数据"
    description = (
        "每行一家企业一个年度的亩产效益评价数据，按“统一社会信用代码 + 年度”识别，企业须已在企业库中。"
        "每个指标一列，列名为指标名称（如“用地面积（评价口径）”“实缴税金（评价税收）”），"
        "空白单元格表示未提供，不改变已有数据；但文件中有“实缴税金”或“用地面积”列时，每家企业都必须填写"
        "（没有缴税的填0），只更新其他数据时请不带这两列。金额统一折算为万元保存：在表头注明单位"
        "（如“实缴税金（元）”），或在导入选项中选择金额单位；用地面积按亩（表头可注明平方米），"
        f"且不能为0。{FLAG_LABELS}各列填“是”或“否”（也可填 1/0、√）。"
        f"{SURVEY_LABELS}为统计调查数据，此处作为亩产效益综合评价的数据采集导入，仅用于评价；"
        "其余指标为行政记录。"
    )
    features = (*NUMBERS, *FLAGS)
    columns = figure_columns(features, ALIASES)
    # a file that carries these columns (the tax and land departments' data) must fill
    # them for every firm: a blank would silently score the firm's 亩均 indicators 0
    required_if_present = {
        "tax_paid": "不能为空：评价税收是必填项，没有缴税的请填0。",
        LAND: "不能为空：用地面积是亩均指标的分母。",
    }

    def check(self, feature: Feature, value: Decimal) -> str:
        if feature.code == LAND and value == 0:
            return "用地面积不能为0（亩均指标以用地面积为分母）。"
        return super().check(feature, value)


# --- 梯度培育 -----------------------------------------------------------------------------------
TIER_DECLARED = tuple(
    f for f in tier_features.FIGURE_FEATURES if f.provenance == Provenance.DECLARED
)
TIER_RECORDS = tuple(f for f in tier_features.FIGURE_FEATURES if f.provenance == Provenance.ADMIN)
HUNDRED = (Decimal(0), Decimal(100))
TIER_BOUNDS: dict[str, tuple[Decimal | None, Decimal | None]] = {
    "tier_rnd_staff_share": HUNDRED,
    "tier_niche_market_share": HUNDRED,
    "tier_niche_global_share": HUNDRED,
    "tier_net_profit_margin": (Decimal(-1000), HUNDRED[1]),
    "tier_rnd_institution_level": (Decimal(0), Decimal(4)),
    "tier_digital_level": (Decimal(0), Decimal(4)),
    "tier_quality_items": (Decimal(0), Decimal(4)),
    "tier_niche_domestic_rank": (Decimal(1), None),
    "tier_platform_score": HUNDRED,
    "tier_srdi_special_points": (Decimal(0), Decimal(15)),
}
TIER_WHOLE = frozenset({
    "tier_ip1_count", "tier_ip2_count", "tier_rnd_institution_level", "tier_niche_years",
    "tier_digital_level", "tier_quality_items", "tier_niche_domestic_rank",
})  # fmt: skip
TIER_ALIASES: dict[str, tuple[str, ...]] = {
    "tier_revenue": ("营业收入", "营业总收入"),
    "tier_rnd_expense": ("研发费用", "研发费用合计"),
    "tier_niche_years": ("细分市场年限", "从事细分市场年限"),
    "tier_platform_score": ("发展评价得分", "专精特新评价得分", "平台评价得分"),
    "tier_srdi_special_points": ("特色化指标得分", "特色化得分"),
    "tier_credit_listed": ("列入经营异常名录或严重失信名单", "失信或经营异常"),
    "tier_major_incident_3y": ("重大事故", "近三年重大事故"),
}
_YEAR_NOTE = (
    "按“统一社会信用代码 + 年度”识别，企业须已在企业库中。“年度”是数据年度：营业收入、研发费用等"
    "年度数据按该年度保存，知识产权、年限、获奖等当前情况按填报或记录的年度保存（评价时取不晚于评价"
    "年度的最近一次）。每个指标一列，列名为指标名称；空白单元格表示未提供，不改变已有数据。"
)


@register
class CultivationDataImporter(FigureImporter):
    slug = "cultivation-data"
    label = "梯度培育申报数据"
    description = (
        "每行一家企业一个年度的优质中小企业梯度培育申报数据（企业申报），" + _YEAR_NOTE
        + "金额统一折算为万元保存：在表头注明单位（如“研发费用总额（元）”），或在导入选项中选择金额单位；"
        "比例填百分数（如 3.5 表示3.5%），净利润率可为负数。是否类各列填“是”或“否”（也可填 1/0、√）。"
        "行政记录（发展评价得分、特色化指标得分、失信名单、重大事故）请用“梯度培育行政记录”导入。"
    )  # fmt: skip
    features = TIER_DECLARED
    columns = figure_columns(features, TIER_ALIASES)
    signed = frozenset({"tier_net_profit_margin"})
    bounds = TIER_BOUNDS
    whole = TIER_WHOLE


@register
class CultivationRecordsImporter(FigureImporter):
    slug = "cultivation-records"
    label = "梯度培育行政记录"
    description = (
        "每行一家企业一个年度的梯度培育行政记录：专精特新发展评价得分（工业和信息化部梯度培育平台）、"
        "特色化指标得分（省级主管部门）、列入经营异常名录或严重失信主体名单（市场监管、信用部门）、"
        "近三年发生重大事故（行业主管部门）。" + _YEAR_NOTE
        + "“数据来源”写明提供部门。同一数据既有行政记录又有企业申报时，评价以行政记录为准。"
    )  # fmt: skip
    features = TIER_RECORDS
    columns = figure_columns(features, TIER_ALIASES)
    bounds = TIER_BOUNDS
    options_form = None
