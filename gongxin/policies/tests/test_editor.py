"""The clause editor's pages: a good clause is stored as exactly the tree the form
describes, and audited; a refused one leaves the clause and parameter tables as they were
and says why in Chinese."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from gongxin.core.models import AuditEvent
from gongxin.demo import policies as demo_policies
from gongxin.policies import services
from gongxin.policies.editor_forms import Builder, Row, builder_as_data, tree_to_builder
from gongxin.policies.models import Clause, ClauseParameter, Policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(client_for):
    return client_for("analyst")


@pytest.fixture
def policy(personas):
    found, _ = services.save_policy(
        personas["analyst"],
        {"code": "jishu-2025", "title": "技术改造奖励（2025年）", "issuer": "区工业和信息化局",
         "effective_from": date(2025, 1, 1), "source_text": "对上年营业收入2000万元以上的企业……"},
    )  # fmt: skip
    return found


def snapshot() -> tuple:
    return (
        list(Clause.objects.order_by("pk").values()),
        list(ClauseParameter.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
    )


def form_data(builder: Builder, **fields) -> dict:
    data = {"code": "reward", "title": "营业收入2000万元以上", "mode": "apply", "year": "2025",
            "provenances": ["admin", "registry"], "award_kind": "", **fields}  # fmt: skip
    data.update(builder_as_data(builder))
    return data


def rows(*rows: Row, top: str = "all") -> Builder:
    return Builder(top=top, rows=list(rows))


def new_clause_url(policy) -> str:
    return reverse("policies:editor_clause_new", kwargs={"pk": policy.pk})


def test_a_good_clause_is_stored_as_exactly_the_tree_of_the_form_and_audited(analyst, policy):
    builder = rows(
        Row(feature="revenue_year_admin", op="ge", value="0.2", unit="亿元"),
        Row(feature="industry_code", op="in", values=["C", "39"]),
    )
    builder.groups[1] = "any"
    builder.rows += [
        Row(feature="honors", op="in", values=["srdi"], group=1),
        Row(feature="above_scale", op="eq", flag="true", group=1),
    ]
    response = analyst.post(
        new_clause_url(policy),
        form_data(builder, award_kind="cap", award_cap="50", award_stages="40、60"),
    )
    clause = Clause.objects.get(policy=policy, code="reward")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "policies:editor_clause_edit", kwargs={"pk": policy.pk, "clause_pk": clause.pk}
    )
    assert clause.criteria == {"all": [
        {"feature": "revenue_year_admin", "op": "ge", "value": 0.2, "unit": "亿元"},
        {"feature": "industry_code", "op": "in", "value": ["C", "39"]},
        {"any": [
            {"feature": "honors", "op": "in", "value": ["srdi"]},
            {"feature": "above_scale", "op": "eq", "value": True},
        ]},
    ]}  # fmt: skip
    assert clause.provenances == ["admin", "registry"]
    assert clause.award == {"kind": "cap", "cap": "50", "stages": [40, 60]}
    event = AuditEvent.objects.get(action="policy.clause", object_id=str(clause.pk))
    assert event.actor_username == "analyst"
    assert event.after["criteria"] == clause.criteria


REFUSED = {
    "unknown feature (crafted)": (
        Row(feature="secret_tax_column", op="gt", value="1", unit="万元"),
        ["admin", "registry"],
        "指标“secret_tax_column”不在指标目录中。",
    ),
    "亿元 for a rate": (
        Row(feature="q1_output_growth_declared", op="ge", value="15", unit="亿元"),
        ["declared"],
        "指标“一季度工业产值增速（企业申报）”的单位应为%，不能用“亿元”。",
    ),
    "survey feature, survey not allowed": (
        Row(feature="output_growth_ytd", op="ge", value="15", unit="%"),
        ["declared", "admin", "registry"],
        "指标“本年累计产值增速（统计）”的数据来源为统计调查，本条款只允许读取：行政记录、企业申报、企业库。",
    ),
    "an industry section that does not exist (crafted)": (
        Row(feature="industry_code", op="in", values=["C", "ZZ"]),
        ["registry"],
        "第1个条件（国民经济行业（小类））：取值“ZZ”不在可选范围内。",
    ),
    "a category compared as a number (crafted)": (
        Row(feature="industry_code", op="gt", values=["C"]),
        ["registry"],
        "分类指标“国民经济行业（小类）”只能用“属于”。",
    ),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_refused_clause_shows_why_and_writes_nothing(analyst, policy, case):
    row, provenances, message = REFUSED[case]
    before = snapshot()
    response = analyst.post(new_clause_url(policy), form_data(rows(row), provenances=provenances))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot() == before


def test_an_empty_group_is_refused_and_writes_nothing(analyst, policy):
    builder = rows(Row(feature="revenue_year_admin", op="ge", value="2000", unit="万元"))
    builder.groups[1] = "any"  # the group whose last row was removed
    before = snapshot()
    response = analyst.post(new_clause_url(policy), form_data(builder))
    assert "“满足其一”条件组为空：请至少加入一个条件。" in response.content.decode()
    assert snapshot() == before


def test_a_clause_without_any_criterion_is_refused(analyst, policy):
    before = snapshot()
    response = analyst.post(new_clause_url(policy), form_data(rows()))
    assert "“全部满足”条件组为空" in response.content.decode()
    assert snapshot() == before


def test_a_bad_edit_of_a_stored_clause_leaves_it_and_its_parameters_as_they_were(analyst):
    demo_policies.load_policies()
    clause = Clause.objects.get(policy__code="kmh-2024", code="reward")
    builder = tree_to_builder(clause.criteria)
    builder.rows[1].source, builder.rows[1].value, builder.rows[1].unit = "value", "15", "亿元"
    url = reverse(
        "policies:editor_clause_edit", kwargs={"pk": clause.policy_id, "clause_pk": clause.pk}
    )
    before = snapshot()
    response = analyst.post(url, form_data(
        builder, code="reward", title=clause.title, provenances=["declared"], version=clause.version,
        award_kind="cap", award_cap="100",
        **{"newparam-name": "min_growth", "newparam-value": "12", "newparam-unit": "%",
           "newparam-effective_from": "2024-06-01", "newparam-document": "调整通知"},
    ))  # fmt: skip
    assert "的单位应为%，不能用“亿元”" in response.content.decode()
    assert snapshot() == before


def test_a_parameter_change_is_a_new_dated_row(analyst):
    demo_policies.load_policies()
    clause = Clause.objects.get(policy__code="kmh-2024", code="reward")
    url = reverse(
        "policies:editor_clause_edit", kwargs={"pk": clause.policy_id, "clause_pk": clause.pk}
    )
    data = form_data(
        tree_to_builder(clause.criteria), code="reward", title=clause.title,
        provenances=["declared"], version=clause.version, award_kind="cap", award_cap="100",
        **{"newparam-name": "min_growth", "newparam-value": "12", "newparam-unit": "%",
           "newparam-effective_from": "2024-06-01", "newparam-document": "关于调整开门红奖励门槛的通知"},
    )  # fmt: skip
    audited = AuditEvent.objects.filter(action="policy.parameter").count()
    assert analyst.post(url, data).status_code == 302
    values = ClauseParameter.objects.filter(clause=clause, name="min_growth")
    assert [(p.effective_from, p.value) for p in values.order_by("effective_from")] == [
        (date(2024, 4, 1), 15), (date(2024, 6, 1), 12)
    ]  # fmt: skip
    assert values.get(effective_from=date(2024, 6, 1)).label == "一季度产值增速"
    assert AuditEvent.objects.filter(action="policy.parameter").count() == audited + 1

    before = snapshot()
    response = analyst.post(url, {**data, "version": clause.version})  # the same date again
    assert "变更请填写新的生效日期" in response.content.decode()
    assert snapshot() == before


def test_the_stored_demo_clause_saves_unchanged_without_a_write(analyst):
    demo_policies.load_policies()
    clause = Clause.objects.get(policy__code="xsg-pool-2024", code="pool")
    url = reverse(
        "policies:editor_clause_edit", kwargs={"pk": clause.policy_id, "clause_pk": clause.pk}
    )
    before = snapshot()
    response = analyst.post(url, form_data(
        tree_to_builder(clause.criteria), code="pool", title=clause.title, mode="service",
        year="2024", provenances=["admin", "registry"], version=clause.version,
    ))  # fmt: skip
    assert response.status_code == 302
    assert snapshot() == before


def test_a_stale_version_is_a_conflict(analyst):
    demo_policies.load_policies()
    clause = Clause.objects.get(policy__code="bangbao-2024", code="city")
    url = reverse(
        "policies:editor_clause_edit", kwargs={"pk": clause.policy_id, "clause_pk": clause.pk}
    )
    before = snapshot()
    response = analyst.post(url, form_data(
        tree_to_builder(clause.criteria), code="city", title="改过的名称", provenances=["declared"],
        version=clause.version - 1 if clause.version > 1 else 99,
    ))  # fmt: skip
    assert "该记录已被他人修改" in response.content.decode()
    assert snapshot() == before


def test_an_award_on_a_survey_base_needs_survey_allowed(analyst, policy):
    before = snapshot()
    response = analyst.post(new_clause_url(policy), form_data(
        rows(Row(feature="revenue_year_admin", op="ge", value="2000", unit="万元")),
        award_kind="rate", award_base="output_new_ytd", award_rate="1",
    ))  # fmt: skip
    assert "计算基数的数据来源为统计调查" in response.content.decode()
    assert snapshot() == before


def test_a_crafted_provenance_is_refused(analyst, policy):
    before = snapshot()
    response = analyst.post(new_clause_url(policy), form_data(
        rows(Row(feature="land_mu", op="ge", value="10", unit="亩")), provenances=["everything"],
    ))  # fmt: skip
    assert "选择一个有效的选项" in response.content.decode()
    assert snapshot() == before


def test_a_builder_button_under_htmx_returns_the_builder_with_one_more_row(analyst, policy):
    data = form_data(rows(Row(feature="land_mu", op="ge", value="10", unit="亩")), _action="add:0")
    before = snapshot()
    response = analyst.post(new_clause_url(policy), data, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="criteria-builder"')
    assert 'name="c-1-feature"' in html and 'value="10"' in html
    assert snapshot() == before


def test_choosing_a_rate_feature_offers_only_percent_and_a_category_offers_its_values(
    analyst, policy
):
    builder = rows(
        Row(feature="q1_output_growth_declared", op="ge"), Row(feature="honors", op="in")
    )
    html = analyst.post(
        new_clause_url(policy),
        form_data(builder, _action="refresh"),
        headers={"HX-Request": "true"},
    ).content.decode()
    row0 = html.split('data-row="0"')[1].split('data-row="1"')[0]
    assert '<option value="%"' in row0 and "亿元" not in row0.split("c-0-unit")[1]
    assert "专精特新“小巨人”企业" in html.split('data-row="1"')[1]


def test_the_evaluation_class_is_offered_with_its_classes(analyst, policy):
    builder = rows(Row(feature="evaluation_class", op="in"))
    html = analyst.post(
        new_clause_url(policy),
        form_data(builder, _action="refresh"),
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "亩产效益评价类别" in html and "A类（优先发展）" in html and "D类（限制发展）" in html


def test_new_clause_page_leaves_survey_unchecked_and_explains_why(analyst, policy):
    html = analyst.get(new_clause_url(policy)).content.decode()
    checked = set(re.findall(r'name="provenances" value="(\w+)" id="[^"]+" checked', html))
    assert 'value="survey"' in html and checked == {"declared", "admin", "registry"}
    assert "统计法第二十五条" in html


def test_a_policy_is_created_and_edited_through_the_services(analyst):
    response = analyst.post(reverse("policies:editor_policy_new"), {
        "code": "test-2025", "title": "测试政策", "effective_from": "2025-01-01",
    })  # fmt: skip
    policy = Policy.objects.get(code="test-2025")
    assert response.status_code == 302
    url = reverse("policies:editor_policy_edit", kwargs={"pk": policy.pk})
    response = analyst.post(url, {"code": "changed", "title": "测试政策（修订）",
                                  "effective_from": "2025-01-01", "effective_to": "2024-12-31",
                                  "version": policy.version})  # fmt: skip
    assert "有效期至不能早于施行日期" in response.content.decode()
    response = analyst.post(url, {"title": "测试政策（修订）", "effective_from": "2025-01-01",
                                  "version": policy.version})  # fmt: skip
    policy.refresh_from_db()
    assert (policy.code, policy.title, policy.version) == ("test-2025", "测试政策（修订）", 2)
    assert AuditEvent.objects.filter(action="policy.save", object_id=str(policy.pk)).count() == 2


def test_a_new_value_without_a_unit_keeps_the_parameters_unit(analyst):
    demo_policies.load_policies()
    clause = Clause.objects.get(policy__code="kmh-2024", code="reward")
    url = reverse(
        "policies:editor_clause_edit", kwargs={"pk": clause.policy_id, "clause_pk": clause.pk}
    )
    response = analyst.post(url, form_data(
        tree_to_builder(clause.criteria), code="reward", title=clause.title,
        provenances=["declared"], version=clause.version, award_kind="cap", award_cap="100",
        **{"newparam-name": "min_new_output", "newparam-value": "2.5",
           "newparam-effective_from": "2024-07-01", "newparam-document": "调整通知"},
    ))  # fmt: skip
    assert response.status_code == 302
    found = ClauseParameter.objects.get(
        clause=clause, name="min_new_output", effective_from=date(2024, 7, 1)
    )
    assert (found.value, found.unit) == (2.5, "亿元")
