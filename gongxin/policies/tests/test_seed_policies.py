"""Seed 002's clauses on data: the YAML cases, the 开门红 list against a hand filter of
the declared figures, purpose limitation, the 小升规 pool and the 帮包 levels."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.test import override_settings
from sqlglot import exp

from gongxin.analytics.testing import code
from gongxin.demo import policies as demo_policies
from gongxin.enterprises.models import Enterprise, EnterpriseFigure, Liaison, ScaleRecord
from gongxin.policies import assignments, cases, services
from gongxin.policies.compiler import compile_clause
from gongxin.policies.feature_table import FeatureTable
from gongxin.policies.models import Clause

pytestmark = pytest.mark.django_db
END_2024 = date(2024, 12, 31)


@pytest.fixture
def library():
    demo_policies.load_policies()


def test_every_demo_clause_has_yaml_cases_and_they_all_pass(library):
    outcomes = cases.run_cases()
    assert [o for o in outcomes if not o.passed] == []
    covered = {o.label.split("：")[0] for o in outcomes}
    clauses = {f"{p['code']}/{c['code']}" for p in demo_policies.POLICIES for c in p["clauses"]}
    assert clauses <= covered


def test_the_kaimenhong_list_is_the_hand_filter_of_the_declared_q1_figures():
    from gongxin.demo.services import build_demo

    with override_settings(GONGXIN_DEMO=True):
        build_demo()
    declared: dict[int, dict[str, D]] = {}
    for f in EnterpriseFigure.objects.filter(period="2024-Q1", provenance="declared"):
        declared.setdefault(f.enterprise_id, {})[f.feature] = f.value
    eligible, near = set(), set()
    for pk, v in declared.items():
        cur, prior = v["q1_output_declared"], v["q1_output_prior_declared"]
        # growth to six decimals, as the catalog defines it: 0.12 declared as 11.99999994
        new, growth = cur - prior, ((cur / prior - 1) * 100).quantize(D("0.000001"))
        new_ok, growth_ok = new > 30000, growth >= 15
        if new_ok and growth_ok:
            eligible.add(pk)
        elif (new_ok or new >= 27000) and (growth_ok or growth >= 12):
            near.add(pk)  # within 10% of 3亿元 and 3 points of 15%
    results = services.match(END_2024, "kmh-2024")
    assert {r.enterprise_id for r in results if r.status == "eligible"} == eligible
    assert {r.enterprise_id for r in results if r.status == "near_miss"} == near
    assert len(eligible) >= 5 and len(near) >= 2  # the demo shows both
    one = next(r for r in results if r.status == "eligible")
    assert one.award is None and one.award_cap == D("100")
    assert [r["source"] for r in one.reasons] == ["declared", "declared"]
    assert one.reasons[0]["text"].endswith("高于3亿元 ✓")


IDENTITY = {"enterprise_id", "uscc", "name"}


def test_a_clause_limited_to_declared_data_never_reads_the_survey(library):
    clause = Clause.objects.get(policy__code="kmh-2024")
    tree = services.checked_criteria(clause, END_2024)
    table = FeatureTable(survey_period="2024-12")
    query, _ = compile_clause(tree, [], services.context_for(clause, END_2024), table)
    assert "monitoring_monthlystat" not in table.attach(query).sql()
    # run beside a clause that reads the survey, it still reads only its declared columns
    survey = {"all": [{"feature": "output_growth_ytd", "op": "ge", "value": "0"}]}
    ctx = services.context_for(clause, END_2024)
    compile_clause(survey, [], ctx, table)
    read = {c.name for c in query.find_all(exp.Column) if c.table == "t"} - IDENTITY
    assert read == {"q1_output_new_declared__2024", "q1_output_growth_declared__2024"}
    assert "monitoring_monthlystat" in table.query().sql()
    clause.criteria = {
        "all": [*clause.criteria["all"], {"feature": "output_growth_ytd", "op": "ge", "value": 0}]
    }
    with pytest.raises(
        services.ServiceError, match="数据来源为统计调查，本条款只允许读取：企业申报"
    ):
        services.checked_criteria(clause, END_2024)


def below_scale(n: int, revenue: str) -> Enterprise:
    firm = Enterprise.objects.create(uscc=code(100 + n), name=f"小微企业{n}", industry_code="3442")
    ScaleRecord.objects.create(enterprise=firm, year=2024, above_scale=False)
    EnterpriseFigure.objects.create(enterprise=firm, feature="revenue_year_admin", period="2023",
                                    value=D(revenue), provenance="admin", source="区税务局")  # fmt: skip
    return firm


def test_the_pool_takes_1_2_times_the_target_ranked_by_revenue(library):
    # 26 firms in [1000, 2000): target 20 × 1.2 = 24 places; 2000 itself and 999 are out
    for n in range(26):
        below_scale(n, str(1000 + n * 30))
    below_scale(90, "2000")
    below_scale(91, "999.99")
    clause = Clause.objects.get(policy__code="xsg-pool-2024")
    chosen = assignments.pool(clause, END_2024)
    assert (chosen.places, chosen.eligible) == (24, 26)
    assert [r.name for r in chosen.members][:2] == ["小微企业25", "小微企业24"]  # 1750, 1720
    assert "小微企业0" not in {r.name for r in chosen.members}  # 1000: eligible, ranked 26th
    assert "小微企业1" not in {r.name for r in chosen.members}  # 1030: 25th


def test_bangbao_levels_become_liaison_records_once(library):
    def expects(n: int, wan: str) -> Enterprise:
        firm = Enterprise.objects.create(
            uscc=code(200 + n), name=f"增量企业{n}", industry_code="3442"
        )
        EnterpriseFigure.objects.create(enterprise=firm, feature="expected_new_output_declared", period="2024",
                                        value=D(wan), provenance="declared", source="摸底表")  # fmt: skip
        return firm

    city, district, edge, small = (
        expects(1, "60000"),
        expects(2, "10000"),
        expects(3, "50000"),
        expects(4, "9999"),
    )
    first = assignments.assign_liaison_levels(None, END_2024, "bangbao-2024")
    levels = dict(Liaison.objects.values_list("enterprise_id", "level"))
    assert levels == {city.pk: "city", district.pk: "district", edge.pk: "city"}
    assert small.pk not in levels and first == {"created": 3, "kept": 0}
    assert assignments.assign_liaison_levels(None, END_2024, "bangbao-2024") == {
        "created": 0,
        "kept": 3,
    }
    assert Liaison.objects.get(enterprise=city).officer_name == assignments.PENDING_OFFICER
