"""梯度培育: every YAML case of every rule set (one test each), which set is in force when,
the loader's Chinese errors, and the candidate and review lists on a small database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from stdnum.cn import uscc as stdnum_uscc

from gongxin.core import uscc
from gongxin.core.testing import USCC_X, USCC_Y
from gongxin.enterprises.models import Enterprise, EnterpriseFigure, Honor
from gongxin.evaluation.tiers import cases, results, rules, services
from gongxin.evaluation.tiers.rules import Derived, TierRuleError

CASES = cases.collect()
AS_OF = date(2026, 6, 30)  # data year 2025 (前年 2024); static figures up to period 2026


@pytest.mark.parametrize("case", CASES, ids=[f"{c.scheme}#{i}" for i, c in enumerate(CASES, 1)])
def test_yaml_case(case):
    assert cases.check(case) == [], case.id


def test_every_rule_set_has_a_case_file_and_every_case_file_a_rule_set():
    sets = {s.code for s in rules.load_all()}
    assert sets == {c.scheme for c in CASES}
    assert sets == {p.stem for p in cases.CASES_DIR.glob("*.yaml")}
    assert sets == {p.stem for p in rules.RULES_DIR.glob("*.yaml")}


@pytest.mark.parametrize(
    ("tier", "on", "code"),
    [
        ("innovative", date(2022, 8, 1), "innovative-2022"),
        ("innovative", date(2027, 1, 1), "innovative-2022"),  # until a new standard
        ("srdi", date(2026, 3, 31), "srdi-2022"),
        ("srdi", date(2026, 4, 1), "srdi-2026"),
        ("little_giant", date(2024, 12, 31), "little-giant-2022"),
        ("little_giant", date(2025, 1, 1), "little-giant-2025"),
        ("little_giant", date(2026, 3, 31), "little-giant-2025"),
        ("little_giant", date(2026, 4, 1), "little-giant-2026"),
    ],
)
def test_the_rule_set_in_force_follows_the_documents_dates(tier, on, code):
    assert rules.in_force(tier, on).code == code


def test_before_the_2022_measures_no_rule_set_is_in_force():
    with pytest.raises(TierRuleError, match="2022-07-31没有有效的专精特新中小企业认定规则集"):
        rules.in_force("srdi", date(2022, 7, 31))


def test_every_threshold_is_a_parameter_with_its_reference():
    for rule_set in rules.load_all():
        assert rule_set.document and rule_set.parameters["inclusive"].value is True
        assert all(p.ref for p in rule_set.parameters.values()), rule_set.code


# ---------------------------------------------------------------- the loader


def minimal():
    return {
        "scheme": "test-2026", "tier": "srdi", "name": "测试规则集", "document": "测试文件",
        "valid_from": "2026-04-01",
        "parameters": {
            "inclusive": {"value": True, "ref": "测试：以上含本数"},
            "revenue_min": {"value": 1500, "unit": "万元", "ref": "测试：营业收入1500万元以上"},
            "near_criteria": {"value": 1, "unit": "项", "ref": "平台设定"},
        },
        "conditions": [{"code": "revenue", "label": "营业收入1500万元以上", "value": "tier_revenue",
                        "op": "at_least", "threshold": "revenue_min"}],
        "near": {"criteria": "near_criteria"},
    }  # fmt: skip


def refused(data, message):
    with pytest.raises(TierRuleError) as error:
        rules.parse(data, "测试.yaml")
    assert message in error.value.message, error.value.message


def test_a_minimal_rule_set_loads_and_exactly_1500_meets_at_least_1500():
    rule_set = rules.parse(minimal(), "测试.yaml")
    result = rules.evaluate(rule_set, {"tier_revenue": 1500})
    assert (result.status, result.find("revenue").text) == (
        "qualified", "营业收入总额1500万元，不低于1500万元",
    )  # fmt: skip


def test_with_the_boundary_excluded_exactly_1500_fails_by_nothing():
    data = minimal()
    data["parameters"]["inclusive"]["value"] = False
    result = rules.evaluate(rules.parse(data, "测试.yaml"), {"tier_revenue": 1500})
    assert result.status == "near"
    assert result.find("revenue").gap_text == "恰为1500万元，须高于本数"


def test_an_unknown_feature_is_refused_by_name():
    data = minimal()
    data["conditions"][0]["value"] = "tier_revnue"
    refused(data, "认定条件“revenue”引用的指标“tier_revnue”不在指标目录中")


def test_a_bad_operator_is_refused_with_the_allowed_ones():
    data = minimal()
    data["conditions"][0]["op"] = "gte"
    refused(data, "运算符“gte”无效，应为 at_least、above、at_most、below、ge、gt、le、lt 之一")


def test_a_missing_parameter_is_refused():
    data = minimal()
    data["conditions"][0]["threshold"] = "revenue_minimum"
    refused(data, "引用的参数“revenue_minimum”未定义")


def test_a_parameter_without_its_reference_is_refused():
    data = minimal()
    del data["parameters"]["revenue_min"]["ref"]
    refused(data, "参数“revenue_min”缺少出处（ref）")


def test_a_threshold_in_another_unit_is_refused():
    data = minimal()
    data["parameters"]["revenue_min"]["unit"] = "亿元"
    refused(data, "参数“revenue_min”的单位为“亿元”，应为“万元”")


def test_a_flag_compared_as_a_number_is_refused():
    data = minimal()
    data["conditions"][0]["value"] = "tier_sme_size"
    refused(data, "“符合中小企业划型标准”是是否类指标，应写“is: true”或“is: false”")


def test_an_earlier_year_of_a_current_state_feature_is_refused():
    data = minimal()
    data["conditions"][0].update(value="tier_equity_2y@-1")
    refused(data, "“近2年新增股权融资总额”是当前状态指标，不能取往年值（tier_equity_2y@-1）")


def test_an_unused_parameter_is_refused():
    data = minimal()
    data["parameters"]["debt_max"] = {"value": 80, "unit": "%", "ref": "测试"}
    refused(data, "参数未被任何条件使用：debt_max")


def test_points_that_do_not_add_up_to_the_total_are_refused():
    data = minimal()
    data["parameters"]["points_min"] = {"value": 60, "unit": "分", "ref": "测试"}
    data["parameters"]["near_points"] = {"value": 5, "unit": "分", "ref": "测试"}
    data["near"]["points"] = "near_points"
    data["points"] = {"total": 100, "pass": "points_min", "items": [
        {"code": "p", "label": "评分", "max": 90, "manual": "人工评分"}]}  # fmt: skip
    refused(data, "各评分项满分合计为90分，与总分（total）100不符")


def test_unknown_fields_are_refused_so_typos_do_not_pass_silently():
    data = minimal()
    data["valid_until"] = "2027-01-01"
    refused(data, "未知字段：valid_until")


def test_overlapping_rule_sets_of_one_tier_are_refused(tmp_path: Path):
    source = (rules.RULES_DIR / "srdi-2026.yaml").read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(source, encoding="utf-8")
    later = source.replace("scheme: srdi-2026", "scheme: srdi-2027")
    (tmp_path / "b.yaml").write_text(later.replace("2026-04-01", "2027-01-01"), encoding="utf-8")
    with pytest.raises(TierRuleError, match="“srdi-2026”与“srdi-2027”有效期重叠"):
        rules.load_all(tmp_path)


def test_a_fact_that_is_not_a_number_is_refused():
    with pytest.raises(TierRuleError, match="事实“tier_revenue”的值“一千五百”不是有效数值"):
        rules.evaluate(rules.by_code("srdi-2026"), {"tier_revenue": "一千五百"})


def test_two_year_average_growth_arithmetic_or_compound():
    values = [Decimal("4838.4"), Decimal(4320), Decimal(4000)]  # +8% then +12%
    arithmetic = Derived("g", "平均增长率", "average_growth", ("a", "b", "c"), "%", "arithmetic")
    compound = Derived("g", "复合增长率", "average_growth", ("a", "b", "c"), "%", "geometric")
    # (12% + 8%) ÷ 2 = 10%;  √(4838.4 ÷ 4000) − 1 = √1.2096 − 1 = 9.98%
    assert results.compute(arithmetic, values) == Decimal(10)
    assert results.compute(compound, values).quantize(Decimal("0.01")) == Decimal("9.98")


def test_a_fixture_case_file_needs_no_python(tmp_path: Path):
    (tmp_path / "srdi-2026.yaml").write_text(
        "scheme: srdi-2026\ncases:\n  - name: 无数据\n    expect: {status: incomplete}\n",
        encoding="utf-8",
    )
    [case] = cases.collect(tmp_path)
    assert cases.check(case) == []


# ---------------------------------------------------------------- lists on the database


def make_uscc(org8: str) -> str:
    code17 = "91370211" + org8 + uscc.org_code_check(org8)
    return code17 + stdnum_uscc.calc_check_digit(code17)


def figures(firm, period, provenance="declared", **values):
    for feature, value in values.items():
        EnterpriseFigure.objects.create(
            enterprise=firm, feature=feature, period=period, value=Decimal(str(value)),
            provenance=provenance, source="测试",
        )  # fmt: skip


def srdi_2026_firm(name: str, code: str, *, revenue=3000, innovative=1) -> Enterprise:
    """Meets every automatic srdi-2026 condition with revenue 3000 (as the YAML default)."""
    firm = Enterprise.objects.create(uscc=code, name=name, industry_code="3442")
    figures(firm, "2025", tier_revenue=revenue, tier_main_revenue=revenue * Decimal("0.9"),
            tier_debt_ratio=50, tier_rnd_expense=150)  # fmt: skip
    figures(firm, "2024", tier_revenue=2400, tier_rnd_expense=120)
    figures(firm, "2026", tier_sme_size=1, tier_restricted_products=0, tier_niche_years=5,
            tier_innovative_sme=innovative, tier_equity_2y=0, tier_ip1_count=2,
            tier_st_award_provincial_top3=0, tier_rnd_institution_level=2)  # fmt: skip
    figures(firm, "2026", "admin", tier_credit_listed=0, tier_major_incident_3y=0,
            tier_platform_score=70)  # fmt: skip
    return firm


@pytest.fixture
def registry(db):
    """甲 passes every automatic srdi-2026 test; 乙 has revenue 1400 (100 short); 丙 has no
    data; 丁 holds a provincial srdi title of 2025; 戊 a municipal one (not counted); 己 is
    no longer active."""
    jia = srdi_2026_firm("甲精密机械有限公司", USCC_X)
    yi = srdi_2026_firm("乙新材料有限公司", USCC_Y, revenue=1400)
    bing = Enterprise.objects.create(uscc=make_uscc("MA3C0001"), name="丙电子有限公司")
    ding = Enterprise.objects.create(uscc=make_uscc("MA3C0002"), name="丁装备有限公司")
    Honor.objects.create(enterprise=ding, kind="srdi", level="provincial", year=2025)
    wu = Enterprise.objects.create(uscc=make_uscc("MA3C0003"), name="戊塑料制品有限公司")
    Honor.objects.create(enterprise=wu, kind="srdi", level="municipal", year=2025)
    ji = srdi_2026_firm("己已注销有限公司", make_uscc("MA3C0004"))
    Enterprise.objects.filter(pk=ji.pk).update(is_active=False)
    return {"jia": jia, "yi": yi, "bing": bing, "ding": ding, "wu": wu}


def test_candidates_are_read_in_three_queries_and_listed_best_first(
    registry, django_assert_num_queries
):
    with django_assert_num_queries(3):  # enterprises, figures, honors
        found = services.candidates("srdi", AS_OF)
    names = [c.enterprise.name for c in found]
    assert names[:2] == ["甲精密机械有限公司", "乙新材料有限公司"]
    assert set(names[2:]) == {"丙电子有限公司", "戊塑料制品有限公司"}  # 丁 holds it, 己 inactive
    assert [c.result.status for c in found] == [
        "qualified_pending_manual", "near", "incomplete", "incomplete",
    ]  # fmt: skip
    assert all(c.result.scheme == "srdi-2026" for c in found)


def test_a_near_candidate_shows_what_it_lacks_and_by_how_much(registry):
    yi = next(c for c in services.candidates("srdi", AS_OF) if c.enterprise == registry["yi"])
    assert yi.result.find("revenue").gap_text == "差100万元"
    assert yi.result.to_fix == 1


def test_an_administrative_record_wins_over_the_declaration_and_is_named(registry):
    figures(registry["jia"], "2025", "admin", tier_revenue=3100)
    jia = services.candidates("srdi", AS_OF)[0]
    assert jia.facts["tier_revenue"] == Decimal(3100)
    source = jia.sources["tier_revenue"]
    assert (source.provenance_label, source.period) == ("行政记录", "2025")
    assert jia.sources["tier_revenue@-1"].period == "2024"


def test_a_current_state_figure_reads_the_latest_year_declared(registry):
    figures(registry["jia"], "2024", tier_platform_score=30)  # older, superseded by 2026's 70
    jia = services.candidates("srdi", AS_OF)[0]
    assert jia.facts["tier_platform_score"] == Decimal(70)
    assert jia.sources["tier_platform_score"].period == "2026"


def test_holders_of_the_title_are_left_out_unless_asked_for(registry):
    listed = services.candidates("srdi", AS_OF, include_holders=True)
    ding = next(c for c in listed if c.enterprise == registry["ding"])
    assert ding.holds_title
    assert not any(c.holds_title for c in listed if c.enterprise != registry["ding"])


def test_the_caller_narrows_the_list_with_a_queryset(registry):
    only = Enterprise.objects.filter(pk=registry["yi"].pk)
    assert [c.enterprise for c in services.candidates("srdi", AS_OF, only)] == [registry["yi"]]


def test_before_april_2026_the_2022_points_rules_apply(registry):
    found = services.candidates("srdi", date(2026, 3, 1))
    assert {c.result.scheme for c in found} == {"srdi-2022"}
    assert found[0].result.total is not None


def test_the_tier_1_list_reads_the_declared_innovative_flag_as_the_title(registry):
    # 甲 and 乙 declared tier_innovative_sme = 1: they hold tier 1 already
    listed = services.candidates("innovative", AS_OF)
    assert {c.enterprise.name for c in listed} == {
        "丙电子有限公司",
        "丁装备有限公司",
        "戊塑料制品有限公司",
    }


def test_honors_give_the_holds_flags_for_their_valid_years(registry):
    Honor.objects.create(enterprise=registry["bing"], kind="high_tech", level="national", year=2024)
    Honor.objects.create(enterprise=registry["wu"], kind="high_tech", level="national", year=2023)
    sheet = services.facts_of(rules.in_force("innovative", AS_OF), AS_OF, Enterprise.objects.all())
    assert sheet[registry["bing"].pk][0]["holds_high_tech"] is True  # 2024–2026
    assert sheet[registry["wu"].pk][0]["holds_high_tech"] is False  # 2023–2025, lapsed
    assert sheet[registry["jia"].pk][0]["holds_high_tech"] is False  # none: False, not missing


def test_titles_due_for_review_with_their_result_under_the_rules_now_in_force(
    registry, django_assert_max_num_queries
):
    old = srdi_2026_firm("庚仪器有限公司", make_uscc("MA3C0005"), innovative=0)
    Honor.objects.create(enterprise=old, kind="srdi", level="provincial", year=2023)
    giant = Enterprise.objects.create(uscc=make_uscc("MA3C0006"), name="辛传动有限公司")
    Honor.objects.create(enterprise=giant, kind="little_giant", level="national", year=2022)
    renewed = registry["ding"]
    Honor.objects.create(enterprise=renewed, kind="srdi", level="provincial", year=2022)
    Honor.objects.create(enterprise=registry["wu"], kind="srdi", level="municipal", year=2021)
    with django_assert_max_num_queries(5):  # honors, then figures and honors per tier
        due = services.due_for_review(AS_OF)
    assert [(d.enterprise.name, d.tier, d.years_since) for d in due] == [
        ("辛传动有限公司", "little_giant", 4),
        ("庚仪器有限公司", "srdi", 3),
    ]
    review = due[1].result
    assert (review.scheme, review.mode, review.status) == (
        "srdi-2026", "review", "qualified_pending_manual",
    )  # fmt: skip
    assert review.find("holds_tier1").status == "skipped"  # not a 创新型 firm: not asked in review


def test_a_registered_innovative_title_is_tier_1_for_three_years(registry):
    # 丙 declared nothing but holds a 2024 创新型 title: valid in 2026, so it is no tier-1
    # candidate, and the 专精特新 rules find tier 1 held, from the registry. 戊's title of
    # 2023 lapsed with 2025: it is a candidate again, and its title is due for review.
    Honor.objects.create(
        enterprise=registry["bing"], kind="innovative_sme", level="provincial", year=2024
    )
    Honor.objects.create(
        enterprise=registry["wu"], kind="innovative_sme", level="provincial", year=2023
    )
    names = {c.enterprise.name for c in services.candidates("innovative", AS_OF)}
    assert names == {"丁装备有限公司", "戊塑料制品有限公司"}
    bing = services.candidates("srdi", AS_OF, Enterprise.objects.filter(pk=registry["bing"].pk))[0]
    assert bing.facts["tier_innovative_sme"] is True
    source = bing.sources["tier_innovative_sme"]
    assert (source.provenance_label, source.period, source.source) == ("企业库", "2024", "荣誉资质")
    assert bing.result.find("holds_tier1").status == "met"
    due = [(d.enterprise.name, d.tier, d.years_since) for d in services.due_for_review(AS_OF)]
    assert due == [("戊塑料制品有限公司", "innovative", 3)]


def test_the_yaml_defaults_and_the_database_agree(registry):
    """The srdi-2026 YAML default firm and 甲 on the database are the same firm."""
    default = next(c for c in CASES if c.scheme == "srdi-2026")
    jia = services.candidates("srdi", AS_OF)[0]
    assert set(jia.facts) == set(default.facts)
    for key, value in default.facts.items():
        assert jia.facts[key] == (value if isinstance(value, bool) else Decimal(str(value))), key


def test_a_firm_with_nothing_known_but_one_failure_is_not_near():
    # 小巨人 2026: the firm holds no 专精特新 title (read from honors: a definite "no") and
    # nothing else is known. Reading every missing figure optimistically, it fails one
    # criterion only — but it is not "near": too little is known to say so.
    rule_set = rules.in_force("little_giant", date(2026, 11, 24))
    result = rules.evaluate(rule_set, {"holds_srdi": False})
    assert result.status == "not_qualified"
