"""The catalog features the 梯度培育 rule sets read and the registry lacks.

Stored as EnterpriseFigure rows (a flag is 1/0):
  "year"   a figure of one data year, period "YYYY"; a rule reads the last full year before
           the assessment date and names earlier years with a lag (`tier_revenue@-1`);
  "static" the enterprise's current state (IP held, years in the niche, awards in the last
           three years…), period = the year it was declared or recorded; a rule reads the
           latest period not after the assessment year.
Most come from the enterprise's declaration (企业申报); the platform's 专精特新发展评价 score,
the province's 特色化 score, the credit lists and the incident record are administrative
records (行政记录). None is read from the statistics survey: a tier decision concerns one
enterprise (DOMAIN.md, Statistics Law). The `holds_*` flags are not stored: services derive
them from the enterprise's honors (Honor rows) on the assessment date.

This module stays free of Django so rules.py, which validates rule sets against it, is pure.
"""

from __future__ import annotations

from gongxin.analytics import catalog
from gongxin.analytics.catalog import Feature, Provenance

DECLARED, ADMIN, REGISTRY = Provenance.DECLARED, Provenance.ADMIN, Provenance.REGISTRY

# figures of a data year (period "YYYY"), several years read for growth and two-year tests
YEARLY: list[Feature] = [
    Feature("tier_revenue", "营业收入总额", "万元", "企业年度营业收入总额（主营业务收入与其他业务收入之和），以经审计的财务报表或纳税申报为准。", "year", DECLARED),
    Feature("tier_main_revenue", "主营业务收入", "万元", "企业年度主营业务收入。", "year", DECLARED),
    Feature("tier_rnd_expense", "研发费用总额", "万元", "企业年度研发费用总额（按研发费用加计扣除口径归集）。", "year", DECLARED),
    Feature("tier_debt_ratio", "资产负债率", "%", "年末负债总额 ÷ 资产总额 × 100。", "year", DECLARED),
    Feature("tier_net_profit_margin", "净利润率", "%", "年度净利润 ÷ 营业收入总额 × 100。", "year", DECLARED),
    Feature("tier_rnd_staff_share", "研发人员占比", "%", "年度研发人员数 ÷ 企业职工总数 × 100。", "year", DECLARED),
]  # fmt: skip

# the enterprise's current state (period = the year declared or recorded)
STATE: list[Feature] = [
    Feature("tier_ip1_count", "Ⅰ类知识产权数量", "项", "与主导产品相关的有效Ⅰ类知识产权（发明专利（含国防专利）、植物新品种、国家级农作物品种、国家新药、国家一级中药保护品种、集成电路布图设计专有权）数量。", "static", DECLARED),
    Feature("tier_ip1_high_value", "拥有Ⅰ类高价值知识产权", "", "与主导产品相关的有效Ⅰ类知识产权中至少1项属于高价值知识产权（1 是，0 否）。", "static", DECLARED, "flag"),
    Feature("tier_ip1_self_developed", "拥有自主研发Ⅰ类知识产权", "", "与主导产品相关的有效Ⅰ类知识产权中至少1项为企业自主研发取得（非受让、非许可）（1 是，0 否）。", "static", DECLARED, "flag"),
    Feature("tier_ip2_count", "Ⅱ类知识产权数量", "项", "与主导产品相关的有效Ⅱ类知识产权（授权后维持超过2年的实用新型专利或外观设计专利、软件著作权，不含商标）数量。", "static", DECLARED),
    Feature("tier_rnd_institution_level", "研发机构级别", "级", "企业自建或与高校、科研机构联合建立的研发机构的最高级别：4 国家级，3 省级（省部级），2 市级，1 市级以下，0 未建立。", "static", DECLARED),
    Feature("tier_niche_years", "从事特定细分市场年限", "年", "企业从事当前主导产品所在特定细分市场的完整年数。", "static", DECLARED),
    Feature("tier_digital_level", "数字化水平等级", "级", "中小企业数字化水平评测等级（1–4级，未评测填0）。", "static", DECLARED),
    Feature("tier_quality_items", "质量管理项数", "项", "下列各项中具备的项数（0–4）：获得省级以上质量奖荣誉；建立质量管理体系并获得ISO 9001等认证；拥有自主品牌；参与制修订标准。", "static", DECLARED),
    Feature("tier_equity_2y", "近2年新增股权融资总额", "万元", "近2年新增股权融资总额（合格机构投资者的实缴额）。", "static", DECLARED),
    Feature("tier_equity_3y", "近3年新增股权融资总额", "万元", "近3年新增股权融资总额（合格机构投资者的实缴额）。", "static", DECLARED),
    Feature("tier_niche_market_share", "主导产品国内细分市场占有率", "%", "主导产品在全国细分市场的占有率。", "static", DECLARED),
    Feature("tier_niche_global_share", "主导产品全球细分市场占有率", "%", "主导产品在全球细分市场的占有率。", "static", DECLARED),
    Feature("tier_niche_domestic_rank", "主导产品国内细分市场排名", "名", "主导产品在国内细分市场的排名（第1名填1）。", "static", DECLARED),
    Feature("tier_strategic_field", "主导产品属于战略性新兴产业", "", "主导产品属于《战略性新兴产业分类（2018）》所列产品或服务（1 是，0 否）。", "static", DECLARED, "flag"),
    Feature("tier_st_award_3y", "近三年获国家级或省级科技奖励", "", "近三年内获得过国家级或省级科技奖励（1 是，0 否）。", "static", DECLARED, "flag"),
    Feature("tier_st_award_top_3y", "近三年获省级科技奖励（排名前三）或国家级科技奖励（排名前五）", "", "近三年获得省级科技奖励并在获奖单位中排名前三，或获得国家级科技奖励并在获奖单位中排名前五（1 是，0 否）。", "static", DECLARED, "flag"),
    Feature("tier_st_award_provincial_top3", "获省级及以上科技奖励（排名前三）", "", "获得省级及以上科技奖励并在获奖单位中排名前三，时限按所适用文件（1 是，0 否）。", "static", DECLARED, "flag"),
    Feature("tier_st_award_national_top3_3y", "近三年获国家级科技奖励（排名前三）", "", "近三年获得国家级科技奖励并在获奖单位中排名前三（1 是，0 否）。", "static", DECLARED, "flag"),
    Feature("tier_maker_top500_3y", "近三年进入“创客中国”全国500强", "", "近三年进入“创客中国”中小企业创新创业大赛全国500强企业组名单（1 是，0 否）。", "static", DECLARED, "flag"),
    Feature("tier_maker_top50_3y", "近三年进入“创客中国”全国50强", "", "近三年进入“创客中国”中小企业创新创业大赛全国50强企业组名单（1 是，0 否）。", "static", DECLARED, "flag"),
    Feature("tier_innovation_honor", "有效期内的技术创新或知识产权荣誉", "", "有效期内的国家级技术创新示范企业、知识产权优势企业、知识产权示范企业等荣誉（高新技术企业见荣誉资质）（1 是，0 否）。", "static", DECLARED, "flag"),
    Feature("tier_innovative_sme", "有效期内的创新型中小企业", "", "经省级中小企业主管部门公告、在有效期内（三年）的创新型中小企业：以荣誉资质中的称号为准，未登记称号的按企业申报读取（1 是，0 否）。", "static", DECLARED, "flag"),
    Feature("tier_sme_size", "符合中小企业划型标准", "", "符合《中小企业划型标准规定》的中小企业（1 是，0 否）。", "static", DECLARED, "flag"),
    Feature("tier_restricted_products", "主要产品属于限制类或淘汰类", "", "主要产品属于《产业结构调整指导目录》限制类、淘汰类等禁止或限制发展的产品（1 是，0 否）。", "static", DECLARED, "flag"),
    Feature("tier_credit_listed", "列入经营异常名录或严重失信主体名单", "", "企业被列入经营异常名录或严重失信主体名单（市场监管、信用部门名单）（1 是，0 否）。", "static", ADMIN, "flag"),
    Feature("tier_major_incident_3y", "近三年发生重大事故", "", "近三年发生重大安全（含网络安全、数据安全）、质量、环境污染等事故（行业主管部门记录）（1 是，0 否）。", "static", ADMIN, "flag"),
    Feature("tier_platform_score", "专精特新发展评价得分", "分", "工业和信息化部优质中小企业梯度培育平台给出的专精特新发展评价得分：作为输入录入，本平台不计算。", "static", ADMIN),
    Feature("tier_srdi_special_points", "特色化指标得分（省定）", "分", "省级中小企业主管部门自主设定的专精特新特色化指标得分（0–15分）。", "static", ADMIN),
]  # fmt: skip

# derived by services from Honor rows on the assessment date, never stored as figures
HOLDS: list[Feature] = [
    Feature("holds_high_tech", "有效期内的高新技术企业", "", "荣誉资质中有高新技术企业称号且在有效期内（认定当年起3年）。", "static", REGISTRY, "flag"),
    Feature("holds_tech_sme", "当年入库的科技型中小企业", "", "荣誉资质中有评价当年入库的科技型中小企业。", "static", REGISTRY, "flag"),
    Feature("holds_srdi", "有效期内的省级专精特新中小企业", "", "荣誉资质中有省级（或国家级）专精特新中小企业称号且在有效期内（认定当年起3年）。", "static", REGISTRY, "flag"),
]  # fmt: skip

FIGURE_FEATURES: list[Feature] = [*YEARLY, *STATE]
FIGURE_CODES = frozenset(f.code for f in FIGURE_FEATURES)
HOLDS_CODES = frozenset(f.code for f in HOLDS)


def register_all() -> None:
    for feature in (*FIGURE_FEATURES, *HOLDS):
        catalog.register(feature)
