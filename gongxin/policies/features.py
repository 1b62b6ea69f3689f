"""The features policy clauses may read, registered in the feature catalog, and where each
comes from. A clause names catalog codes only; the compiler turns a code into SQL through
SOURCES, so nothing a user writes reaches the SQL text.

Sources:
  figure    an EnterpriseFigure row (declared by the enterprise, or an administrative
            record) of the clause's period: "YYYY-Q1" for quarter features, "YYYY" for
            year_plan, "YYYY-1" for year (the last full year);
  survey    a MonthlyStat column of the latest released month (statistics survey);
  diff/yoy  computed from two other features of the same source;
  registry  an enterprise column; honors / above_scale from their tables;
  evaluation_class  the final 亩产效益 class of the last full year (EnterpriseClass).
"""

from __future__ import annotations

from dataclasses import dataclass

from gongxin.analytics import catalog
from gongxin.analytics.catalog import Feature, Provenance

RATE_UNIT = "%"


@dataclass(frozen=True)
class Source:
    kind: str  # figure | survey | diff | yoy | registry | honors | above_scale
    args: tuple[str, ...] = ()


_POLICY_FEATURES: list[tuple[Feature, Source]] = [
    (Feature("q1_output_declared", "一季度工业产值（企业申报）", "万元", "企业为申报政策填报的本年1–3月工业总产值。", "quarter", Provenance.DECLARED), Source("figure")),
    (Feature("q1_output_prior_declared", "上年一季度工业产值（企业申报）", "万元", "企业为申报政策填报的上年1–3月工业总产值。", "quarter", Provenance.DECLARED), Source("figure")),
    (Feature("q1_output_new_declared", "一季度新增工业产值（企业申报）", "万元", "一季度工业产值 − 上年一季度工业产值（企业申报）。", "quarter", Provenance.DECLARED), Source("diff", ("q1_output_declared", "q1_output_prior_declared"))),
    (Feature("q1_output_growth_declared", "一季度工业产值增速（企业申报）", RATE_UNIT, "（一季度工业产值 ÷ 上年一季度工业产值 − 1）× 100（企业申报）。", "quarter", Provenance.DECLARED), Source("yoy", ("q1_output_declared", "q1_output_prior_declared"))),
    (Feature("expected_new_output_declared", "预计年新增产值（企业申报）", "万元", "企业申报的本年度预计新增工业产值。", "year_plan", Provenance.DECLARED), Source("figure")),
    (Feature("revenue_year_admin", "上年营业收入（税务）", "万元", "税务部门提供的企业上一完整年度营业收入（行政记录）。", "year", Provenance.ADMIN), Source("figure")),
    (Feature("output_new_ytd", "本年累计新增产值（统计）", "万元", "统计月报本年累计工业总产值 − 上年同期累计（最新已发布月份）。", "ytd", Provenance.SURVEY), Source("diff", ("output", "output_prior"))),
    (Feature("output_growth_ytd", "本年累计产值增速（统计）", RATE_UNIT, "统计月报本年累计工业总产值同比增速（最新已发布月份）。", "ytd", Provenance.SURVEY), Source("yoy", ("output", "output_prior"))),
    (Feature("honors", "荣誉资质", "", "企业截至本年获得的荣誉资质称号（专精特新、高新技术企业等）。", "static", Provenance.REGISTRY, "category"), Source("honors")),
]  # fmt: skip

SOURCES: dict[str, Source] = {
    "output": Source("survey"),
    "output_prior": Source("survey"),
    "revenue": Source("survey"),
    "revenue_prior": Source("survey"),
    "industry_code": Source("registry", ("industry_code",)),
    "region": Source("registry", ("region_id",)),
    "land_mu": Source("registry", ("land_mu",)),
    "above_scale": Source("above_scale"),
    # the published 亩产效益 class of the year before the clause's year (evaluation app)
    "evaluation_class": Source("evaluation_class"),
}


def register_all() -> None:
    for feature, source in _POLICY_FEATURES:
        catalog.register(feature)
        SOURCES[feature.code] = source


def source_of(code: str) -> Source | None:
    return SOURCES.get(code)


def provenances_read(code: str) -> set[str]:
    """Every provenance a feature reads, following computed features to their inputs."""
    source = SOURCES.get(code)
    if source is not None and source.kind in ("diff", "yoy"):
        return set().union(*(provenances_read(a) for a in source.args))
    return {catalog.get(code).provenance}
