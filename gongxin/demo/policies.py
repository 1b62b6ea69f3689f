"""Seed 002's clauses as demo policies, and the enterprise-declared and administrative
figures they read (synthetic, seeded; the survey panel is never read by them).

开门红 (seed 002 line 87): "对2024年一季度新增工业产值超过3亿元、增速不低于15%的工业企业，
符合条件的按规定给予最高100万元奖励" — reads the Q1 figures enterprises declare when
applying; the seed states only a cap, so the award is shown as 最高100万元, not estimated.

小升规 pool (line 77): "以年度“小升规”数量目标的1.2倍遴选营业收入1000万元至2000万元的优质小微
企业入库" — below-scale enterprises with last year's revenue (tax records) in
[1000, 2000)万元. The seed gives neither the year's target nor the ranking rule: both are
parameters with documented demo values (target 20, so 24 places; ranked by revenue).

帮包 (line 85): "市级帮包服务新增产值5亿元以上企业，区(市)级帮包服务新增产值1亿元以上企业" —
on the expected annual new output the enterprise declares ("预计年新增产值"); 亿元以上
企业逐一明确服务专员. "以上" includes the bound (≥), as Chinese statistical usage does.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from gongxin.policies.models import Clause

SEED_002 = "《关于加力实施工业经济稳增长强动能提质增效年度九大行动的意见》（2024年）"
FIGURES_SEED = 2002

POLICIES = [
    {
        "code": "kmh-2024",
        "title": "工业经济“开门红”奖励（2024年）",
        "issuer": "山东省工业和信息化厅",
        "doc_number": "",
        "effective_from": date(2024, 4, 1),
        "effective_to": date(2024, 12, 31),
        "source_text": "对2024年一季度新增工业产值超过3亿元、增速不低于15%的工业企业，符合条件的按规定给予最高100万元奖励。",
        "clauses": [
            {
                "code": "reward",
                "title": "一季度新增产值超3亿元且增速不低于15%",
                "mode": Clause.Mode.APPLY,
                "year": 2024,
                "provenances": ["declared"],
                "criteria": {"all": [
                    {"feature": "q1_output_new_declared", "op": "gt", "param": "min_new_output"},
                    {"feature": "q1_output_growth_declared", "op": "ge", "param": "min_growth"},
                ]},
                "award": {"kind": "cap", "cap": 100},
                "parameters": [
                    {"name": "min_new_output", "label": "一季度新增工业产值", "value": 3, "unit": "亿元",
                     "effective_from": date(2024, 4, 1), "document": SEED_002},
                    {"name": "min_growth", "label": "一季度产值增速", "value": 15, "unit": "%",
                     "effective_from": date(2024, 4, 1), "document": SEED_002},
                ],
            }
        ],
    },
    {
        "code": "xsg-pool-2024",
        "title": "“小升规”培育库遴选（2024年）",
        "issuer": "区工业和信息化局",
        "doc_number": "",
        "effective_from": date(2024, 1, 1),
        "effective_to": date(2024, 12, 31),
        "source_text": "以年度“小升规”数量目标的1.2倍遴选营业收入1000万元至2000万元的优质小微企业入库。",
        "clauses": [
            {
                "code": "pool",
                "title": "营业收入1000万元至2000万元的规下工业企业",
                "mode": Clause.Mode.SERVICE,
                "year": 2024,
                "provenances": ["admin", "registry"],
                "criteria": {"all": [
                    {"feature": "above_scale", "op": "eq", "value": False},
                    {"feature": "revenue_year_admin", "op": "ge", "param": "revenue_from"},
                    {"feature": "revenue_year_admin", "op": "lt", "param": "revenue_below"},
                ]},
                "award": {},
                "parameters": [
                    {"name": "revenue_from", "label": "营业收入下限（含）", "value": 1000, "unit": "万元",
                     "effective_from": date(2024, 1, 1), "document": SEED_002},
                    {"name": "revenue_below", "label": "营业收入上限（不含）", "value": 2000, "unit": "万元",
                     "effective_from": date(2024, 1, 1), "document": SEED_002},
                    {"name": "target", "label": "年度“小升规”数量目标", "value": 20, "unit": "家",
                     "effective_from": date(2024, 1, 1), "document": "演示值：种子文件未给出区级目标",
                     "note": "入库名额 = 目标 × 1.2，向上取整"},
                    {"name": "multiplier", "label": "入库倍数", "value": "1.2", "unit": "",
                     "effective_from": date(2024, 1, 1), "document": SEED_002},
                    {"name": "ranking", "label": "遴选排序", "value": "revenue_year_admin", "unit": "",
                     "effective_from": date(2024, 1, 1), "document": "演示值：种子文件未给出排序规则，按上年营业收入从高到低"},
                ],
            }
        ],
    },
    {
        "code": "bangbao-2024",
        "title": "市—区—镇街三级帮包服务（2024年）",
        "issuer": "区工业和信息化局",
        "doc_number": "",
        "effective_from": date(2024, 1, 1),
        "effective_to": date(2024, 12, 31),
        "source_text": "对预计年新增产值亿元以上企业逐一明确服务专员，市级帮包服务新增产值5亿元以上企业，区(市)级帮包服务新增产值1亿元以上企业。",
        "clauses": [
            {
                "code": "city",
                "title": "市级帮包：预计年新增产值5亿元以上",
                "mode": Clause.Mode.SERVICE,
                "year": 2024,
                "provenances": ["declared"],
                "criteria": {"all": [
                    {"feature": "expected_new_output_declared", "op": "ge", "param": "city_from"},
                ]},
                "exclusive_group": "bangbao",
                "parameters": [
                    {"name": "city_from", "label": "市级帮包门槛", "value": 5, "unit": "亿元",
                     "effective_from": date(2024, 1, 1), "document": SEED_002},
                    {"name": "liaison_level", "label": "帮包级别", "value": "city", "unit": "",
                     "effective_from": date(2024, 1, 1), "document": SEED_002},
                ],
            },
            {
                "code": "district",
                "title": "区级帮包：预计年新增产值1亿元以上、不足5亿元",
                "mode": Clause.Mode.SERVICE,
                "year": 2024,
                "provenances": ["declared"],
                "criteria": {"all": [
                    {"feature": "expected_new_output_declared", "op": "ge", "param": "district_from"},
                    {"feature": "expected_new_output_declared", "op": "lt", "param": "city_from"},
                ]},
                "exclusive_group": "bangbao",
                "parameters": [
                    {"name": "district_from", "label": "区级帮包门槛", "value": 1, "unit": "亿元",
                     "effective_from": date(2024, 1, 1), "document": SEED_002},
                    {"name": "city_from", "label": "市级帮包门槛", "value": 5, "unit": "亿元",
                     "effective_from": date(2024, 1, 1), "document": SEED_002},
                    {"name": "liaison_level", "label": "帮包级别", "value": "district", "unit": "",
                     "effective_from": date(2024, 1, 1), "document": SEED_002},
                ],
            },
        ],
    },
]  # fmt: skip


def load_policies(actor=None) -> dict:
    """The seed policies (idempotent: an unchanged clause writes nothing)."""
    from gongxin.policies import services

    created = 0
    for spec in POLICIES:
        clauses = spec["clauses"]
        policy, made = services.save_policy(
            actor, {k: v for k, v in spec.items() if k != "clauses"}
        )
        created += int(made)
        for clause in clauses:
            services.save_clause(actor, policy, services.ClauseSpec(**clause))
    return {"policies": len(POLICIES), "created": created}


def declared_figures(firms: list[tuple[int, bool, Decimal]]) -> list[dict]:
    """Synthetic figures for (enterprise id, above scale in 2024, 2024 output 万元):
    Q1 output declared by 40 above-scale firms (some just over or under the 开门红
    thresholds), expected new output declared by 30, last year's revenue from tax records
    for every below-scale firm (a third of them in the 小升规 band)."""
    rng = random.Random(FIGURES_SEED)  # noqa: S311 (synthetic demo data, not security)
    above = sorted((f for f in firms if f[1]), key=lambda f: f[2], reverse=True)
    below = [f for f in firms if not f[1]]
    rows: list[dict] = []
    for pk, _, output in above[:40]:
        prior = (output / 4 * Decimal(str(rng.uniform(0.7, 1.0)))).quantize(Decimal("0.0001"))
        growth = Decimal(str(rng.choice([0.05, 0.12, 0.14, 0.15, 0.16, 0.2, 0.3, 0.45])))
        current = (prior * (1 + growth)).quantize(Decimal("0.0001"))
        rows.append(_figure(pk, "q1_output_declared", "2024-Q1", current, "开门红奖励申报表"))
        rows.append(_figure(pk, "q1_output_prior_declared", "2024-Q1", prior, "开门红奖励申报表"))
    for pk, _, _ in above[10:40]:
        expected = Decimal(rng.choice([3000, 8000, 9500, 10000, 12000, 30000, 49000, 50000, 80000]))
        rows.append(
            _figure(pk, "expected_new_output_declared", "2024", expected, "帮包服务需求摸底表")
        )
    for pk, _, _ in below:
        revenue = Decimal(rng.randrange(300, 3000)) + Decimal(rng.randrange(0, 100)) / 100
        rows.append(
            _figure(pk, "revenue_year_admin", "2023", revenue, "区税务局", provenance="admin")
        )
    return rows


def _figure(
    pk: int, feature: str, period: str, value: Decimal, source: str, provenance: str = "declared"
) -> dict:
    return {"enterprise_id": pk, "feature": feature, "period": period, "value": value,
            "provenance": provenance, "source": source}  # fmt: skip
