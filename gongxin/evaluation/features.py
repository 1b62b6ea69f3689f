"""The catalog features of the 亩产效益 evaluation: the annual inputs (kept as
EnterpriseFigure rows of period "YYYY", the data year, each with its provenance), the
ratio indicators computed from them (DOMAIN.md formulas), and the flags that exempt or
restrict a firm. Schemes name these codes only.

Provenance follows the department that supplies each input in the usual collection
(DOMAIN.md: 企业填报, 部门核实, 企业确认): tax, land, energy, power, emissions and
employees are administrative records; value added and R&D spending come from the
statistics survey, so a scheme that reads them must cite its legal basis.
"""

from __future__ import annotations

from dataclasses import dataclass

from gongxin.analytics import catalog
from gongxin.analytics.catalog import Feature, Provenance

ADMIN, SURVEY = Provenance.ADMIN, Provenance.SURVEY

# the inputs, imported once a year (period = the data year)
INPUTS: list[Feature] = [
    Feature("land_area_mu", "用地面积（评价口径）", "亩", "企业实际使用的土地面积，含租赁用地，按不动产登记或租赁合同核定。", "year", ADMIN),
    Feature("tax_paid", "实缴税金（评价税收）", "万元", "企业年度实际缴纳的税收合计（增值税、企业所得税等，不含个人所得税），税务部门提供。", "year", ADMIN),
    Feature("value_added_year", "工业增加值（年度）", "万元", "企业年度现价工业增加值，统计部门提供。", "year", SURVEY),
    Feature("energy_year_tce", "综合能耗（年度）", "吨标准煤", "企业年度综合能源消费量，发改（能源）部门或统计部门核定。", "year", ADMIN),
    Feature("electricity_year", "用电量（年度）", "万千瓦时", "企业年度用电量，供电部门提供。", "year", ADMIN),
    Feature("emissions_year", "主要污染物排放当量（年度）", "吨", "化学需氧量、氨氮、二氧化硫、氮氧化物等主要污染物排放当量合计，生态环境部门提供。", "year", ADMIN),
    Feature("employees_year", "年平均职工人数", "人", "企业年度平均参保职工人数，人社部门提供。", "year", ADMIN),
    Feature("rnd_year", "研发经费支出（年度）", "万元", "企业年度研究与试验发展经费支出，统计部门提供。", "year", SURVEY),
    Feature("water_year", "用水量（年度）", "吨", "企业年度取用水量，水务部门提供。", "year", ADMIN),
]  # fmt: skip

# flags (1 = yes) for exemptions and restrictions, supplied by the departments concerned
FLAGS: list[Feature] = [
    Feature("eval_exempt", "暂不评价（公用事业等）", "", "供水、供电、供气等公用事业企业，及经认定暂不参加评价的企业。", "year", ADMIN, "flag"),
    Feature("eval_new_firm", "新投产企业", "", "评价年度内新投产（不满一个完整年度）的企业。", "year", ADMIN, "flag"),
    Feature("eval_under_construction", "在建企业", "", "主体项目尚在建设、未全面投产的企业。", "year", ADMIN, "flag"),
    Feature("eval_accident", "发生较大及以上安全、环境事故", "", "评价年度内发生较大及以上安全生产或环境污染事故。", "year", ADMIN, "flag"),
    Feature("eval_energy_missed", "未完成节能目标", "", "评价年度未完成能耗“双控”或节能目标任务。", "year", ADMIN, "flag"),
]  # fmt: skip


@dataclass(frozen=True)
class Ratio:
    """An indicator = numerator ÷ denominator × scale, over inputs of the same year."""

    numerator: str
    denominator: str
    scale: int = 1


INDICATORS: list[tuple[Feature, Ratio]] = [
    (Feature("mu_tax", "亩均税收", "万元/亩", "实缴税金 ÷ 用地面积。", "year", ADMIN), Ratio("tax_paid", "land_area_mu")),
    (Feature("mu_value_added", "亩均增加值", "万元/亩", "工业增加值 ÷ 用地面积。", "year", SURVEY), Ratio("value_added_year", "land_area_mu")),
    (Feature("mu_revenue", "亩均营业收入", "万元/亩", "营业收入（税务）÷ 用地面积。", "year", ADMIN), Ratio("revenue_year_admin", "land_area_mu")),
    (Feature("energy_value_added", "单位能耗增加值", "万元/吨标准煤", "工业增加值 ÷ 综合能耗。", "year", SURVEY), Ratio("value_added_year", "energy_year_tce")),
    (Feature("energy_revenue", "单位能耗营业收入", "万元/吨标准煤", "营业收入（税务）÷ 综合能耗。", "year", ADMIN), Ratio("revenue_year_admin", "energy_year_tce")),
    (Feature("electricity_tax", "单位电耗税收", "万元/万千瓦时", "实缴税金 ÷ 用电量。", "year", ADMIN), Ratio("tax_paid", "electricity_year")),
    (Feature("emission_value_added", "单位排放增加值", "万元/吨", "工业增加值 ÷ 主要污染物排放当量。", "year", SURVEY), Ratio("value_added_year", "emissions_year")),
    (Feature("emission_revenue", "单位排放营业收入", "万元/吨", "营业收入（税务）÷ 主要污染物排放当量。", "year", ADMIN), Ratio("revenue_year_admin", "emissions_year")),
    (Feature("water_revenue", "单位用水营业收入", "万元/吨", "营业收入（税务）÷ 用水量。", "year", ADMIN), Ratio("revenue_year_admin", "water_year")),
    (Feature("labour_productivity", "全员劳动生产率", "万元/人", "工业增加值 ÷ 年平均职工人数。", "year", SURVEY), Ratio("value_added_year", "employees_year")),
    (Feature("rnd_intensity", "研发经费投入强度", "%", "研发经费支出 ÷ 营业收入（税务）× 100。", "year", SURVEY), Ratio("rnd_year", "revenue_year_admin", 100)),
]  # fmt: skip

RATIOS: dict[str, Ratio] = {feature.code: ratio for feature, ratio in INDICATORS}

CLASS_FEATURE = Feature(
    "evaluation_class", "亩产效益评价类别", "",
    "上一年度亩产效益综合评价的最终类别（A 优先发展、B 支持发展、C 提升发展、D 限制发展、T 暂不评价）。",
    "year", Provenance.REGISTRY, "category",
)  # fmt: skip


def register_all() -> None:
    for feature in (*INPUTS, *FLAGS, *(f for f, _ in INDICATORS), CLASS_FEATURE):
        catalog.register(feature)


def inputs_of(code: str) -> list[str]:
    """The input codes an indicator reads (an input reads itself)."""
    ratio = RATIOS.get(code)
    return [ratio.numerator, ratio.denominator] if ratio else [code]


def provenances_of(code: str) -> set[str]:
    return {catalog.get(c).provenance for c in inputs_of(code)}
