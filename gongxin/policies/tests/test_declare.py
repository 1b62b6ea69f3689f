"""企业在线申报: enterprise X declares the figures the 开门红 clause reads (一季度工业产值 and
上年一季度工业产值, 2024-Q1) from its inbox; the figures are stored as declared by X,
audited, and the policy re-matched at once. X never writes Y's figures, bad numbers are
refused in Chinese with nothing written, and a figure changed since the form was shown
gives a conflict message instead of a silent overwrite."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse

from gongxin.core.errors import ServiceError
from gongxin.core.models import AuditEvent
from gongxin.core.testing import USCC_X, USCC_Y
from gongxin.enterprises import services as enterprise_services
from gongxin.enterprises.models import Enterprise, EnterpriseFigure
from gongxin.policies import declarations, services
from gongxin.policies.models import Clause, Match
from gongxin.policies.tests.test_library import KMH_SOURCE, USCC_Z, kmh_spec

CURRENT, PRIOR = "q1_output_declared", "q1_output_prior_declared"


def kmh_online(actor) -> Clause:
    """The 开门红 clause of seed 002 in a policy still in force (no end date), and firms
    X, Y, Z with nothing declared yet."""
    policy, _ = services.save_policy(
        actor,
        {"code": "kmh-online", "title": "工业经济“开门红”奖励（在线申报）",
         "issuer": "山东省工业和信息化厅", "effective_from": date(2024, 4, 1),
         "effective_to": None, "source_text": KMH_SOURCE},
    )  # fmt: skip
    clause = services.save_clause(actor, policy, kmh_spec())
    Enterprise.objects.create(uscc=USCC_X, name="青岛甲机械有限公司", industry_code="3442")
    Enterprise.objects.create(uscc=USCC_Y, name="青岛乙食品有限公司", industry_code="1311")
    Enterprise.objects.create(uscc=USCC_Z, name="青岛丙纺织有限公司", industry_code="1711")
    return clause


@pytest.fixture
def clause(personas):
    return kmh_online(personas["analyst"])


def form_data(current="100000", prior="60000", *, unit="万元", versions=(0, 0), statement=True):
    data = {
        CURRENT: current, f"{CURRENT}__unit": unit, f"{CURRENT}__version": versions[0],
        PRIOR: prior, f"{PRIOR}__unit": unit, f"{PRIOR}__version": versions[1],
    }  # fmt: skip
    if statement:
        data["statement"] = "on"
    return data


def figures(uscc: str) -> dict[str, EnterpriseFigure]:
    return {
        f.feature: f
        for f in EnterpriseFigure.objects.filter(enterprise__uscc=uscc, provenance="declared")
    }


def declare_url(clause) -> str:
    return reverse("policies:declare", args=[clause.pk])


# --- what the form asks ---------------------------------------------------------------------
def test_the_clause_asks_for_the_base_figures_behind_its_computed_criteria(clause):
    asks = declarations.asks_for(clause, date(2026, 5, 1))
    # 新增产值 = 一季度 − 上年一季度 and 增速 = 一季度 ÷ 上年一季度 − 1: two base figures
    assert [(a.code, a.label, a.unit, a.period) for a in asks] == [
        (CURRENT, "一季度工业产值", "万元", "2024-Q1"),
        (PRIOR, "上年一季度工业产值", "万元", "2024-Q1"),
    ]
    assert asks[0].period_text == "2024年一季度"


def test_the_form_shows_chinese_labels_units_period_and_the_statement(client_for, clause):
    response = client_for("enterprise_x").get(declare_url(clause))
    assert response.status_code == 200
    text = response.content.decode()
    for words in ("一季度工业产值", "上年一季度工业产值", "2024年一季度", "万元", "亿元",
                  "本企业承诺所填数据真实准确", "青岛甲机械有限公司"):  # fmt: skip
        assert words in text


def test_the_form_is_prefilled_with_what_the_enterprise_declared_before(
    client_for, personas, clause
):
    x = Enterprise.objects.get(uscc=USCC_X)
    rows = [
        {"enterprise_id": x.pk, "feature": code, "period": "2024-Q1", "provenance": "declared",
         "value": value, "source": "开门红奖励申报表"}
        for code, value in ((CURRENT, Decimal("52000.5")), (PRIOR, Decimal(50000)))
    ]  # fmt: skip
    with transaction.atomic():  # as the analyst's figures import writes them
        enterprise_services.apply_figures(personas["analyst"], rows, reason="导入")
    form = client_for("enterprise_x").get(declare_url(clause)).context["form"]
    assert form.initial[CURRENT] == "52000.5"
    assert form.initial[PRIOR] == "50000"
    assert form.initial[f"{CURRENT}__version"] == 1


# --- declaring ------------------------------------------------------------------------------
def test_x_declares_its_q1_output_and_the_match_becomes_eligible(client_for, personas, clause):
    client = client_for("enterprise_x")
    response = client.post(declare_url(clause), form_data("100000", "60000"))
    assert response.status_code == 302
    assert response["Location"] == declare_url(clause) + "?submitted=1"

    stored = figures(USCC_X)
    assert {k: (f.value, f.period, f.source) for k, f in stored.items()} == {
        CURRENT: (Decimal("100000.0000"), "2024-Q1", "企业在线申报"),
        PRIOR: (Decimal("60000.0000"), "2024-Q1", "企业在线申报"),
    }
    events = AuditEvent.objects.filter(action="enterprise.figures")
    assert events.count() == 2
    assert {e.actor_username for e in events} == {"enterprise_x"}
    assert all(e.reason.startswith("在线申报：") for e in events)

    match = Match.objects.get(clause=clause, enterprise__uscc=USCC_X)
    assert match.status == Match.Status.ELIGIBLE
    # new = 100000 − 60000 = 40000万元 = 4亿元 > 3亿元; growth = 100000 ÷ 60000 − 1 = 66.7%
    texts = [r["text"] for r in match.reasons]
    assert texts == [
        "一季度新增工业产值（企业申报）4亿元，高于3亿元 ✓",
        "一季度工业产值增速（企业申报）66.7%，不低于15% ✓",
    ]
    assert all(r["source"] == "declared" for r in match.reasons)

    page = client.get(response["Location"]).content.decode()
    assert "申报后的匹配结果" in page
    assert "【符合条件】" in page
    assert "一季度新增工业产值（企业申报）4亿元，高于3亿元 ✓" in page
    assert "申报已保存：新填2项" in page


def test_amounts_in_yi_yuan_are_stored_in_wan_yuan(client_for, clause):
    client_for("enterprise_x").post(declare_url(clause), form_data("10", "6.5", unit="亿元"))
    stored = figures(USCC_X)
    assert stored[CURRENT].value == Decimal("100000.0000")  # 10亿元 = 100000万元
    assert stored[PRIOR].value == Decimal("65000.0000")


def test_a_near_miss_is_shown_with_its_gap(client_for, clause):
    client = client_for("enterprise_y")
    response = client.post(declare_url(clause), form_data("58,000", "29000"))
    page = client.get(response["Location"]).content.decode()
    # new = 58000 − 29000 = 29000万元 = 2.9亿元, 0.1亿元 short of 3亿元 (3.3%, within 10%)
    assert "【接近条件】" in page
    assert "一季度新增工业产值（企业申报）2.9亿元，未高于3亿元，差1000万元 ✗" in page


def test_an_ineligible_result_is_explained_after_submitting(client_for, clause):
    client = client_for("enterprise_x")
    response = client.post(declare_url(clause), form_data("1000", "900"))
    page = client.get(response["Location"]).content.decode()
    # new = 100万元, growth = 1000 ÷ 900 − 1 = 11.1% < 15%
    assert "【不符合】" in page
    assert "一季度工业产值增速（企业申报）11.1%，低于15%，差3.9个百分点 ✗" in page
    assert not Match.objects.filter(clause=clause, enterprise__uscc=USCC_X).exists()


def test_x_cannot_declare_for_y_with_a_crafted_post(client_for, clause):
    y = Enterprise.objects.get(uscc=USCC_Y)
    data = form_data("999999", "1") | {"enterprise": y.pk, "enterprise_id": y.pk, "uscc": USCC_Y}
    client_for("enterprise_x").post(declare_url(clause), data)
    assert figures(USCC_Y) == {}
    assert set(figures(USCC_X)) == {CURRENT, PRIOR}  # written for X, the user's own USCC


def test_only_an_enterprise_user_declares_through_the_service(personas, clause):
    entries = [declarations.Entry(CURRENT, Decimal(1)), declarations.Entry(PRIOR, Decimal(1))]
    for name in ("analyst", "supervisor"):
        with pytest.raises(ServiceError, match="只有企业用户"):
            declarations.declare(personas[name], clause, entries)
    assert not EnterpriseFigure.objects.exists()


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (form_data("一百万", "60000"), ["一季度工业产值应为数字，例如 12345.67。"]),
        (form_data("100000", "-5"), ["上年一季度工业产值不能为负数。"]),
        (form_data("", "60000"), ["请填写一季度工业产值。"]),
        (form_data("NaN", "60000"), ["一季度工业产值应为数字，例如 12345.67。"]),
        (form_data("1e20", "60000"), ["一季度工业产值数值过大，请核对单位。"]),
        (form_data(statement=False), ["请阅读并勾选申报承诺后再提交。"]),
    ],
)
def test_bad_numbers_give_chinese_errors_and_write_nothing(client_for, clause, data, errors):
    response = client_for("enterprise_x").post(declare_url(clause), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert sorted(e for es in form.errors.values() for e in es) == sorted(errors)
    text = response.content.decode()
    for error in errors:
        assert error in text
    assert not EnterpriseFigure.objects.exists()
    assert not AuditEvent.objects.filter(action="enterprise.figures").exists()
    assert not Match.objects.exists()


def test_a_figure_changed_since_the_form_was_shown_is_a_conflict_not_an_overwrite(
    client_for, personas, clause
):
    client = client_for("enterprise_x")
    client.post(declare_url(clause), form_data("100000", "60000"))
    shown = client.get(declare_url(clause)).context["form"].initial  # versions 1 and 1
    assert (shown[f"{CURRENT}__version"], shown[f"{PRIOR}__version"]) == (1, 1)

    # meanwhile a colleague (another session of the same enterprise) corrects the Q1 figure
    x = Enterprise.objects.get(uscc=USCC_X)
    entries = [declarations.Entry(CURRENT, Decimal(110000), 1),
               declarations.Entry(PRIOR, Decimal(60000), 1)]  # fmt: skip
    declarations.declare(personas["enterprise_x"], clause, entries)
    assert figures(USCC_X)[CURRENT].version == 2

    response = client.post(declare_url(clause), form_data("90000", "60000", versions=(1, 1)))
    assert response.status_code == 200
    text = response.content.decode()
    assert "提交未保存" in text
    assert "“一季度工业产值”已于" in text and "更新为110000万元" in text
    assert figures(USCC_X)[CURRENT].value == Decimal("110000.0000")  # not overwritten
    # the form now carries the stored versions: submitting again is a deliberate overwrite
    form = response.context["form"]
    assert form.data[f"{CURRENT}__version"] == "2"
    assert form.errors == {"__all__": [form.non_field_errors()[0]]}  # the conflict only
    again = client.post(declare_url(clause), form_data("90000", "60000", versions=(2, 1)))
    assert again.status_code == 302
    assert figures(USCC_X)[CURRENT].value == Decimal("90000.0000")
    assert x.figures.get(feature=CURRENT).version == 3


def test_a_figure_created_since_the_form_was_shown_is_a_conflict(personas, clause):
    entries = [declarations.Entry(CURRENT, Decimal(1)), declarations.Entry(PRIOR, Decimal(1))]
    declarations.declare(personas["enterprise_x"], clause, entries)
    with pytest.raises(declarations.DeclarationConflict, match="提交未保存"):
        declarations.declare(personas["enterprise_x"], clause, entries)  # still version 0


# --- clauses that take no declaration -------------------------------------------------------
def test_a_clause_no_longer_in_force_takes_no_declaration(client_for, personas, clause):
    services.save_policy(
        personas["analyst"], {"code": "kmh-online", "effective_to": date(2024, 12, 31)}
    )
    client = client_for("enterprise_x")
    page = client.get(declare_url(clause)).content.decode()
    assert "该政策条款不在有效期内，不能在线申报。" in page
    client.post(declare_url(clause), form_data())
    assert not EnterpriseFigure.objects.exists()
    index = client.get(reverse("policies:declare_index")).content.decode()
    assert "目前没有需要企业在线申报数据的现行政策" in index


def test_the_inbox_and_the_index_link_to_the_declaration(client_for, clause):
    client = client_for("enterprise_x")
    client.post(declare_url(clause), form_data())
    inbox = client.get(reverse("policies:inbox")).content.decode()
    assert f'href="{declare_url(clause)}"' in inbox
    assert f'href="{reverse("policies:declare_index")}"' in inbox
    index = client.get(reverse("policies:declare_index")).content.decode()
    assert "工业经济“开门红”奖励（在线申报）" in index
    assert f'href="{declare_url(clause)}"' in index


# --- the analyst's list ---------------------------------------------------------------------
def test_the_analyst_sees_who_declared_what_and_when(client_for, clause):
    client_for("enterprise_x").post(declare_url(clause), form_data("100000", "60000"))
    response = client_for("analyst").get(reverse("policies:clause_declarations", args=[clause.pk]))
    assert response.status_code == 200
    rows = [[c.text for c in row] for row in response.context["table"].rows]
    assert [r[:8] for r in rows] == [
        ["青岛甲机械有限公司", USCC_X, "一季度工业产值", "2024年一季度", "100000", "万元",
         "企业在线申报", 1],
        ["青岛甲机械有限公司", USCC_X, "上年一季度工业产值", "2024年一季度", "60000", "万元",
         "企业在线申报", 1],
    ]  # fmt: skip
    assert rows[0][8] == "enterprise_x（企业用户）"
    export = client_for("analyst").get(
        reverse("policies:clause_declarations", args=[clause.pk]), {"export": "xlsx"}
    )
    assert export.status_code == 200
