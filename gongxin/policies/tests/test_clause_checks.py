"""Acceptance 5: a clause with an unknown field, a wrong unit or an empty group is refused
with a clear error and the stored policies stay as they were; matching is idempotent and
keeps who was eligible when."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from gongxin.analytics.testing import code
from gongxin.core.errors import ServiceError
from gongxin.core.models import AuditEvent
from gongxin.demo import policies as demo_policies
from gongxin.enterprises.models import Enterprise, EnterpriseFigure
from gongxin.policies import services
from gongxin.policies.models import Clause, ClauseParameter, Match, MatchChange, Policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def library():
    demo_policies.load_policies()
    return Policy.objects.get(code="kmh-2024")


def stored() -> list:
    return [
        list(Clause.objects.order_by("pk").values_list("code", "criteria", "award", "version")),
        list(ClauseParameter.objects.order_by("pk").values_list("name", "value", "unit")),
    ]


def spec(criteria, **extra) -> services.ClauseSpec:
    fields = {"code": "reward", "title": "一季度新增产值超3亿元", "provenances": ["declared"],
              "criteria": criteria, "year": 2024, **extra}  # fmt: skip
    return services.ClauseSpec(**fields)


@pytest.mark.parametrize(
    ("criteria", "message"),
    [
        (
            {"all": [{"feature": "q1_profit_magic", "op": "gt", "value": 1}]},
            "指标“q1_profit_magic”不在指标目录中。",
        ),
        (
            {
                "all": [
                    {
                        "feature": "q1_output_growth_declared",
                        "op": "ge",
                        "value": 15,
                        "unit": "亿元",
                    }
                ]
            },
            "指标“一季度工业产值增速（企业申报）”的单位应为%，不能用“亿元”。",
        ),
        (
            {"all": [{"feature": "q1_output_new_declared", "op": "gt", "value": 3, "unit": "%"}]},
            "指标“一季度新增工业产值（企业申报）”的单位应为万元（或元、千元、亿元），不能用“%”。",
        ),
        ({"all": []}, "“全部满足”条件组为空：请至少加入一个条件。"),
        ({"all": [{"any": []}]}, "“满足其一”条件组为空：请至少加入一个条件。"),
        (
            {"all": [{"feature": "industry_code", "op": "gt", "value": 3}]},
            "分类指标“国民经济行业（小类）”只能用“属于”。",
        ),
        (
            {"all": [{"feature": "q1_output_new_declared", "op": "matches", "value": 3}]},
            "比较方式“matches”无效",
        ),
        (
            {"all": [{"feature": "q1_output_new_declared", "op": "gt", "value": "三亿"}]},
            "阈值“三亿”不是数字",
        ),
        (
            {"all": [{"feature": "industry_code", "op": "in", "value": ["ZZ"]}]},
            "行业代码“ZZ”格式不正确",
        ),
        (
            {"all": [{"feature": "honors", "op": "in", "value": ["nobel"]}]},
            "取值“nobel”不是已知的荣誉资质",
        ),
    ],
)
def test_a_bad_clause_is_refused_and_nothing_changes(library, criteria, message):
    before = stored()
    events = AuditEvent.objects.count()
    with pytest.raises(ServiceError) as refused:
        services.save_clause(None, library, spec(criteria))
    assert message in str(refused.value)
    assert str(refused.value).startswith("条款“一季度新增产值超3亿元”：")
    assert stored() == before and AuditEvent.objects.count() == events


def test_amounts_are_stored_in_the_features_unit(library):
    clause = services.save_clause(None, library, spec(
        {"all": [{"feature": "q1_output_new_declared", "op": "gt", "value": 3, "unit": "亿元"}]}
    ))  # fmt: skip
    tree = services.checked_criteria(clause, date(2024, 6, 1))
    assert tree == {
        "all": [{"feature": "q1_output_new_declared", "op": "gt", "value": "30000", "unit": "万元"}]
    }


def test_rematching_is_idempotent_and_keeps_who_was_eligible_when(library):
    firm = Enterprise.objects.create(uscc=code(1), name="甲机械", industry_code="3442")

    def declare(current: str) -> None:
        EnterpriseFigure.objects.update_or_create(
            enterprise=firm, feature="q1_output_declared", period="2024-Q1", provenance="declared",
            defaults={"value": D(current), "source": "申报表"},
        )  # fmt: skip

    declare("240000")
    EnterpriseFigure.objects.create(enterprise=firm, feature="q1_output_prior_declared", period="2024-Q1",
                                    value=D("200000"), provenance="declared", source="申报表")  # fmt: skip
    first = services.run_match(None, date(2024, 6, 1), "kmh-2024")
    assert first is not None and Match.objects.get(enterprise=firm).status == "eligible"
    assert services.run_match(None, date(2024, 6, 1), "kmh-2024") is None  # nothing changed
    declare("205000")  # corrected: +0.5亿元, 2.5%
    services.run_match(None, date(2024, 6, 1), "kmh-2024")
    assert Match.objects.get(enterprise=firm).status == "ineligible"
    history = list(
        MatchChange.objects.filter(match__enterprise=firm).values_list("before", "after")
    )
    assert history == [("", "eligible"), ("eligible", "ineligible")]


def test_an_award_based_on_a_source_the_clause_may_not_read_is_refused(library):
    before = stored()
    bad = spec(
        {"all": [{"feature": "q1_output_new_declared", "op": "gt", "value": 3, "unit": "亿元"}]},
        award={"kind": "rate", "base": "output_new_ytd", "rate": 1, "cap": 100},
    )
    with pytest.raises(ServiceError, match="奖补基数的数据来源为统计调查，本条款未允许读取"):
        services.save_clause(None, library, bad)
    assert stored() == before


def test_a_stale_edit_is_refused(library):
    from gongxin.core.errors import ConflictError

    clause = Clause.objects.get(policy=library, code="reward")
    with pytest.raises(ConflictError):
        services.save_clause(
            None, library, spec(clause.criteria), expected_version=clause.version - 1
        )


def test_a_higher_rate_applies_to_the_sub_group_it_names(library):
    from gongxin.enterprises.models import Honor

    rule = {"kind": "rate", "base": "q1_output_new_declared", "rate": 1, "cap": 500,
            "higher": [{"when": {"all": [{"feature": "honors", "op": "in", "value": ["high_tech"]}]}, "rate": 1.5}]}  # fmt: skip
    services.save_clause(None, library, spec(
        {"all": [{"feature": "q1_output_new_declared", "op": "gt", "value": 3, "unit": "亿元"}]}, award=rule
    ))  # fmt: skip
    for n, honored in ((1, True), (2, False)):
        firm = Enterprise.objects.create(uscc=code(n), name=f"企业{n}", industry_code="3442")
        for feature, value in (
            ("q1_output_declared", "240000"),
            ("q1_output_prior_declared", "200000"),
        ):
            EnterpriseFigure.objects.create(enterprise=firm, feature=feature, period="2024-Q1",
                                            value=D(value), provenance="declared", source="申报表")  # fmt: skip
        if honored:
            Honor.objects.create(enterprise=firm, kind="high_tech", level="national", year=2023)
    results = {r.name: r for r in services.match(date(2024, 6, 1), "kmh-2024")}
    # new output 40000万元: 1.5% = 600 → capped at 500 for the high-tech firm; 1% = 400 otherwise
    assert (results["企业1"].award, results["企业2"].award) == (D("500"), D("400"))
