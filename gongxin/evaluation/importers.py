"""Importer of the annual data of the 亩产效益 evaluation (亩产效益评价年度数据).

One row per enterprise and data year, one column per catalog input or flag. Each
non-empty cell becomes one EnterpriseFigure (feature, period = the year, provenance = the
feature's catalog provenance); a blank cell supplies nothing and leaves a stored value as
it is. Units come from the header ("实缴税金（元）") or, for money, from the declared
金额单位, as the monthly statistics importer does; values are stored in the catalog unit
(money in 万元), Decimal with 4 places.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms

from gongxin.analytics import catalog
from gongxin.analytics.catalog import Feature, Provenance
from gongxin.core import audit
from gongxin.core.imports.base import Column, Item, Row, header_key, register
from gongxin.core.imports.values import MONEY_UNITS, CellError, parse_decimal, quantize, to_wan
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


def feature_column(feature: Feature) -> Column:
    """A feature's column: its label or an alias, with any bracketed unit or qualifier."""
    names = (header_of(feature), *ALIASES.get(feature.code, ()))
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
        ALIASES.get(feature.code, ()),
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


@register
class EvaluationDataImporter(RegistryListImporter):
    slug = "evaluation-data"
    label = "亩产效益评价年度数据"
    description = (
        "每行一家企业一个年度的亩产效益评价数据，按“统一社会信用代码 + 年度”识别，企业须已在企业库中。"
        "每个指标一列，列名为指标名称（如“用地面积（评价口径）”“实缴税金（评价税收）”），"
        "空白单元格表示未提供，不改变已有数据。金额统一折算为万元保存：在表头注明单位"
        "（如“实缴税金（元）”），或在导入选项中选择金额单位；用地面积按亩（表头可注明平方米），"
        f"且不能为0。{FLAG_LABELS}各列填“是”或“否”（也可填 1/0、√）。"
        f"{SURVEY_LABELS}为统计调查数据，此处作为亩产效益综合评价的数据采集导入，仅用于评价；"
        "其余指标为行政记录。"
    )
    options_form = EvaluationImportOptions
    columns = (
        USCC_COLUMN,
        NAME_COLUMN,
        Column("year", "年度", ("评价年度", "数据年度", "年份"), required=True, help="如 2024"),
        *(feature_column(f) for f in (*NUMBERS, *FLAGS)),
        Column("source", "数据来源", ("出处", "来源", "提供部门"), help="如 区税务局"),
    )

    def __init__(self, user=None, options=None):
        super().__init__(user, options)
        self._units_read = False
        # Per number column in the file: its unit as written (a key of MONEY_UNITS or
        # units_of(feature)); None when a header's unit was refused.
        self._units: dict[str, str] | None = None

    def lock_key(self) -> str:
        # The figures import writes the same EnterpriseFigure rows (营业收入（税务）).
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
            feature = FEATURES.get(column.key)
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
        for feature in NUMBERS:
            if feature.code in units:
                value = self._number(row, feature, units[feature.code])
                if value is not None:
                    values[feature.code] = value
        for feature in FLAGS:
            value = self._flag(row, feature.code)
            if value is not None:
                values[feature.code] = value
        # A row that supplies no value writes nothing: it is skipped, not an error.
        if not row.ok or not code or year is None or not values:
            return None
        return {"uscc": code, "name": name, "year": str(year), "source": source, "values": values}

    @staticmethod
    def _number(row: Row, feature: Feature, unit: str) -> Decimal | None:
        try:
            amount = parse_decimal(row.raw(feature.code))
            if amount is None:
                return None
            if amount < 0:
                row.error(feature.code, "不能为负数。")
                return None
            if feature.unit == MONEY:
                value = to_wan(amount, unit)
            else:
                value = quantize(amount * units_of(feature)[unit], 4)
        except CellError as problem:
            row.error(feature.code, problem.message)
            return None
        if value >= MAX_VALUE:
            row.error(feature.code, f"数值过大，请核对单位（{feature.unit}）。")
            return None
        if feature.code == LAND and value == 0:
            row.error(feature.code, "用地面积不能为0（亩均指标以用地面积为分母）。")
            return None
        return value

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
        """{(uscc, year): {feature: figure}} of the evaluation's figures already stored."""
        self.load_enterprises({k[0] for k in keys})
        codes = {e.pk: e.uscc for e in self._enterprises.values()}
        figures = EnterpriseFigure.objects.filter(
            enterprise_id__in=codes, feature__in=FEATURES, period__in={k[1] for k in keys}
        )
        found: dict[tuple, dict[str, EnterpriseFigure]] = {}
        for figure in figures:
            if figure.provenance == FEATURES[figure.feature].provenance:
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
        feature = FEATURES.get(name)
        if feature is None or value is None or value == "":
            return super().display(name, value)
        number = Decimal(value)
        if feature.kind == "flag":
            return "是" if number else "否"
        return f"{number.normalize():f} {feature.unit}"

    def write(self, items: list[Item]) -> None:
        rows = [
            {
                "enterprise_id": item.record["enterprise"].pk,
                "feature": code,
                "period": item.record["year"],
                "value": value,
                "provenance": FEATURES[code].provenance,
                "source": item.record["source"],
            }
            for item in items
            for code, value in item.record["values"].items()
        ]
        apply_figures(self.user, rows, reason=self.reason)
