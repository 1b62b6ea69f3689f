"""The feature catalog: every enterprise-level quantity pages, policies and evaluation may
use, with its Chinese label, unit, definition, period rule and provenance (DESIGN.md).
Nothing reads a feature it does not list here; later issues add entries."""

from __future__ import annotations

from dataclasses import dataclass


class Provenance:
    SURVEY = "survey"  # 统计调查: statistics use only, unless a legal basis is documented
    ADMIN = "admin"  # 行政记录: tax, power, market-supervision records
    DECLARED = "declared"  # 企业申报: declared by the enterprise for a purpose
    REGISTRY = "registry"  # 企业库: identity attributes kept by the bureau


PROVENANCE_LABELS = {
    Provenance.SURVEY: "统计调查",
    Provenance.ADMIN: "行政记录",
    Provenance.DECLARED: "企业申报",
    Provenance.REGISTRY: "企业库",
}

PERIOD_RULES = {
    "ytd": "1月至本月累计",
    "prior_ytd": "上年同期累计（本年报表所填）",
    "month": "本月",
    "year": "上一完整年度",
    "quarter": "本年一季度（1–3月）",
    "year_plan": "本年度（预计）",
    "static": "当前登记值",
}


@dataclass(frozen=True)
class Feature:
    code: str
    label: str
    unit: str
    definition: str
    period_rule: str
    provenance: str
    kind: str = "number"  # number | category | flag

    def __post_init__(self) -> None:
        if self.period_rule not in PERIOD_RULES:
            raise ValueError(f"{self.code}: unknown period rule {self.period_rule}")
        if self.provenance not in PROVENANCE_LABELS:
            raise ValueError(f"{self.code}: unknown provenance {self.provenance}")


class CatalogError(KeyError):
    def __init__(self, code: str):
        super().__init__(code)
        self.message = f"指标目录中没有“{code}”。"

    def __str__(self) -> str:
        return self.message


_FEATURES = [
    Feature("output", "工业总产值", "万元", "以当年价格计算的工业最终产品和提供的工业性作业价值，规上工业统计月报填报（源单位千元）。", "ytd", Provenance.SURVEY),
    Feature("output_prior", "工业总产值（上年同期）", "万元", "本年报表中企业填报的上年同期累计工业总产值，用于同口径增速。", "prior_ytd", Provenance.SURVEY),
    Feature("revenue", "营业收入", "万元", "企业经营主要业务和其他业务所确认的收入总额，财务状况月报填报。", "ytd", Provenance.SURVEY),
    Feature("revenue_prior", "营业收入（上年同期）", "万元", "本年报表中企业填报的上年同期累计营业收入。", "prior_ytd", Provenance.SURVEY),
    Feature("profit", "利润总额", "万元", "企业在一定会计期间的经营成果，财务状况月报填报。", "ytd", Provenance.SURVEY),
    Feature("tax", "应交增值税", "万元", "财务状况月报中的应交增值税累计。", "ytd", Provenance.SURVEY),
    Feature("energy_tce", "综合能源消费量", "吨标准煤", "企业在报告期内实际消费的各种能源折标准煤合计。", "ytd", Provenance.SURVEY),
    Feature("value_added", "工业增加值", "万元", "企业报送的现价工业增加值（如有）。", "ytd", Provenance.SURVEY),
    Feature("employees", "从业人员平均人数", "人", "报告期内平均拥有的从业人员数。", "ytd", Provenance.SURVEY),
    Feature("industry_code", "国民经济行业（小类）", "", "GB/T 4754-2017 四位小类代码。", "static", Provenance.REGISTRY, "category"),
    Feature("region", "所属镇街/功能区", "", "企业所在的镇街或功能区。", "static", Provenance.REGISTRY, "category"),
    Feature("above_scale", "规模以上工业企业", "", "当年在规上名录中（主营业务收入2000万元及以上）。", "static", Provenance.REGISTRY, "flag"),
    Feature("land_mu", "用地面积", "亩", "企业实际使用的土地面积（含租赁）。", "static", Provenance.REGISTRY),
]  # fmt: skip
CATALOG: dict[str, Feature] = {f.code: f for f in _FEATURES}


def get(code: str) -> Feature:
    try:
        return CATALOG[code]
    except KeyError:
        raise CatalogError(code) from None


def register(feature: Feature) -> Feature:
    """Later apps add their features (evaluation class, declared Q1 output…)."""
    if feature.code in CATALOG and CATALOG[feature.code] != feature:
        raise ValueError(f"feature {feature.code} is already defined differently")
    CATALOG[feature.code] = feature
    return feature
