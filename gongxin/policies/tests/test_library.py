"""The policy library for bureau staff: a policy in words, a clause's match list and its
export (same rows), pushes (audited, scoped), re-running a match as a background job.

`kmh_matches` builds the story the policies tests share: the 开门红 clause of seed 002
(一季度新增产值超过3亿元、增速不低于15% → 最高100万元) and three firms with declared Q1
figures — X eligible, Y a near miss (2.9亿元 is 3.3% under 3亿元), Z far off."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from gongxin.core import jobs
from gongxin.core.errors import ServiceError
from gongxin.core.models import AuditEvent, Job
from gongxin.core.testing import USCC_X, USCC_Y
from gongxin.enterprises.models import Enterprise, EnterpriseFigure
from gongxin.policies import delivery, display, querysets, services
from gongxin.policies.models import Clause, Match, MatchChange, Policy, Push

USCC_Z = "91370211MA3C0010X1"
SEED_002 = "《关于加力实施工业经济稳增长强动能提质增效年度九大行动的意见》（2024年）"
AS_OF = date(2024, 12, 31)
KMH_SOURCE = "对2024年一季度新增工业产值超过3亿元、增速不低于15%的工业企业，符合条件的按规定给予最高100万元奖励。"  # fmt: skip


def kmh_spec() -> services.ClauseSpec:
    return services.ClauseSpec(
        code="reward",
        title="一季度新增产值超3亿元且增速不低于15%",
        mode=Clause.Mode.APPLY,
        year=2024,
        provenances=["declared"],
        criteria={"all": [
            {"feature": "q1_output_new_declared", "op": "gt", "param": "min_new_output"},
            {"feature": "q1_output_growth_declared", "op": "ge", "param": "min_growth"},
        ]},
        award={"kind": "cap", "cap": 100},
        parameters=[
            {"name": "min_new_output", "label": "一季度新增工业产值", "value": 3, "unit": "亿元",
             "effective_from": date(2024, 4, 1), "document": SEED_002},
            {"name": "min_growth", "label": "一季度产值增速", "value": 15, "unit": "%",
             "effective_from": date(2024, 4, 1), "document": SEED_002},
        ],
    )  # fmt: skip


def declare_q1(firm: Enterprise, current: int, prior: int) -> None:
    for feature, value in (("q1_output_declared", current), ("q1_output_prior_declared", prior)):
        EnterpriseFigure.objects.update_or_create(
            enterprise=firm, feature=feature, period="2024-Q1", provenance="declared",
            defaults={"value": Decimal(value), "source": "开门红奖励申报表"},
        )  # fmt: skip


def kmh_matches(actor) -> Clause:
    """The 开门红 policy, X eligible and Y near, matched on 2024-12-31."""
    policy, _ = services.save_policy(
        actor,
        {"code": "kmh-2024", "title": "工业经济“开门红”奖励（2024年）",
         "issuer": "山东省工业和信息化厅", "effective_from": date(2024, 4, 1),
         "effective_to": date(2024, 12, 31), "source_text": KMH_SOURCE},
    )  # fmt: skip
    clause = services.save_clause(actor, policy, kmh_spec())
    x = Enterprise.objects.create(uscc=USCC_X, name="青岛甲机械有限公司", industry_code="3442")
    y = Enterprise.objects.create(uscc=USCC_Y, name="青岛乙食品有限公司", industry_code="1311")
    z = Enterprise.objects.create(uscc=USCC_Z, name="青岛丙纺织有限公司", industry_code="1711")
    declare_q1(x, 100000, 60000)  # new 40000万 = 4亿 > 3亿; growth 66.7% ≥ 15%  → eligible
    declare_q1(y, 58000, 29000)  # new 29000万 = 2.9亿, 3.3% short of 3亿; growth 100% → near
    declare_q1(z, 1000, 900)  # new 100万, growth 11.1%                              → neither
    services.run_match(actor, AS_OF)
    return clause


@pytest.fixture
def clause(personas):
    return kmh_matches(personas["analyst"])


def page_rows(response) -> list[list[str]]:
    """The text of the match table's body cells (the push column left out)."""
    import re

    html = response.content.decode()
    body = html[html.index('<table class="data">') :]
    body = body[body.index("<tbody>") : body.index("</tbody>")]
    rows = []
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)
        rows.append([re.sub(r"<[^>]+>", "", c).strip() for c in cells][:6])
    return rows


# --- the library pages --------------------------------------------------------------------
def test_the_library_lists_the_policy_with_its_clause_and_eligible_counts(client_for, clause):
    response = client_for("leader").get(reverse("policies:library"))
    assert response.status_code == 200
    row = next(r for r in response.context["table"].rows if r[0].text == clause.policy.title)
    assert [c.text for c in row[6:]] == [1, 1, 1]  # 1 clause, X eligible, Y near


def test_the_policy_page_states_the_criteria_in_words_with_their_parameters(client_for, clause):
    response = client_for("supervisor").get(
        reverse("policies:policy_detail", args=[clause.policy_id])
    )
    text = response.content.decode()
    assert "一季度新增工业产值（企业申报）高于3亿元" in text
    assert "一季度工业产值增速（企业申报）不低于15%" in text
    assert "最高100万元" in text
    assert KMH_SOURCE in text
    assert SEED_002 in text  # each dated parameter names its document
    assert "重新匹配" not in text  # the analyst's button


def test_the_match_list_shows_status_award_and_explanations(client_for, clause):
    response = client_for("analyst").get(reverse("policies:clause_matches", args=[clause.pk]))
    rows = page_rows(response)
    assert [r[:4] for r in rows] == [
        ["青岛甲机械有限公司", USCC_X, "符合条件", "最高100万元"],
        ["青岛乙食品有限公司", USCC_Y, "接近条件", "最高100万元"],
    ]
    assert "一季度新增工业产值（企业申报）4亿元，高于3亿元 ✓" in rows[0][4]
    assert "2.9亿元，未高于3亿元，差1000万元 ✗" in rows[1][4]
    filtered = client_for("analyst").get(
        reverse("policies:clause_matches", args=[clause.pk]), {"status": "near_miss"}
    )
    assert [r[0] for r in page_rows(filtered)] == ["青岛乙食品有限公司"]


@pytest.mark.parametrize("status", ["", "eligible", "near_miss"])
def test_the_export_holds_the_same_rows_as_the_page(client_for, clause, status):
    client = client_for("supervisor")
    url = reverse("policies:clause_matches", args=[clause.pk])
    page = page_rows(client.get(url, {"status": status}))
    response = client.get(url, {"status": status, "export": "xlsx"})
    assert response.status_code == 200
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    rows = sheet.get_sheet_by_index(0).to_python()
    assert rows[0] == ["企业名称", "统一社会信用代码", "结果", "奖补（测算或上限）", "逐项说明", "最近推送"]  # fmt: skip
    assert [[str(v) for v in r] for r in rows[1:]] == page
    assert AuditEvent.objects.filter(action="export.xlsx", actor_username="supervisor").exists()


def test_the_leader_reads_the_list_without_push_buttons(client_for, clause):
    text = client_for("leader").get(reverse("policies:clause_matches", args=[clause.pk]))
    assert "推送给全部符合条件的企业" not in text.content.decode()
    text = client_for("supervisor").get(reverse("policies:clause_matches", args=[clause.pk]))
    assert "推送给全部符合条件的企业" in text.content.decode()


# --- pushes -------------------------------------------------------------------------------
def test_a_push_is_recorded_and_audited(client_for, personas, clause):
    match = Match.objects.get(clause=clause, enterprise__uscc=USCC_Y)
    response = client_for("supervisor").post(
        reverse("policies:match_push", args=[match.pk]),
        {"channel": "phone", "note": "电话告知差距", "back": "status=near_miss"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?status=near_miss")
    push = Push.objects.get(match=match)
    assert (push.channel, push.note, push.pushed_by) == ("phone", "电话告知差距", personas["supervisor"])  # fmt: skip
    event = AuditEvent.objects.get(action="policy.push", object_id=str(push.pk))
    assert event.actor_username == "supervisor"
    assert event.after["enterprise"] == USCC_Y and event.after["channel"] == "phone"


def test_the_bulk_push_reaches_every_eligible_firm_once_per_channel(client_for, clause):
    client = client_for("analyst")
    url = reverse("policies:clause_push", args=[clause.pk])
    client.post(url, {"channel": "inbox"})
    pushed = Push.objects.all()
    assert [p.match.enterprise.uscc for p in pushed] == [USCC_X]  # the near miss is not pushed
    client.post(url, {"channel": "inbox"})  # again: nothing new
    assert Push.objects.count() == 1
    client.post(url, {"channel": "visit", "note": "上门讲解"})
    assert Push.objects.count() == 2
    assert AuditEvent.objects.filter(action="policy.push").count() == 2


def test_a_leader_or_an_enterprise_cannot_push_through_the_service(personas, clause):
    match = Match.objects.get(clause=clause, enterprise__uscc=USCC_X)
    for who in ("leader", "enterprise_x", "reporter_a"):
        with pytest.raises(ServiceError):
            delivery.push_match(personas[who], match)
        with pytest.raises(ServiceError):
            delivery.push_clause(personas[who], clause)
    assert not Push.objects.exists()
    assert not AuditEvent.objects.filter(action="policy.push").exists()


def test_an_ineligible_match_is_not_pushed(personas, clause):
    match = Match.objects.get(clause=clause, enterprise__uscc=USCC_X)
    Match.objects.filter(pk=match.pk).update(status=Match.Status.INELIGIBLE)
    with pytest.raises(ServiceError):
        delivery.push_match(personas["analyst"], match)
    assert not Push.objects.exists()


# --- re-running the match -----------------------------------------------------------------
def test_the_analyst_reruns_a_policy_match_in_the_background(client_for, personas, clause):
    firm = Enterprise.objects.get(uscc=USCC_Y)
    declare_q1(firm, 62000, 29000)  # corrected: new 33000万 = 3.3亿 → eligible now
    response = client_for("analyst").post(
        reverse("policies:policy_rematch", args=[clause.policy_id])
    )
    assert response.status_code == 302
    assert jobs.run_pending() == 1
    job = Job.objects.get()
    assert job.status == "done", job.error
    assert job.params["as_of"] == "2024-12-31"  # the policy ended: its last day in force
    assert response["Location"] == reverse("core:job_detail", args=[job.pk])
    match = Match.objects.get(clause=clause, enterprise=firm)
    assert match.status == Match.Status.ELIGIBLE
    assert list(match.history.values_list("before", "after")) == [
        ("", "near_miss"),
        ("near_miss", "eligible"),
    ]
    assert MatchChange.objects.filter(run__started_by=personas["analyst"]).count() == 3


def test_a_policy_not_yet_in_force_is_not_matched(personas):
    policy = Policy(code="future", title="未来政策", effective_from=date(2999, 1, 1))
    with pytest.raises(ServiceError):
        delivery.match_date(policy, date(2026, 1, 1))
    assert delivery.match_date(
        Policy(effective_from=date(2024, 1, 1), effective_to=date(2024, 12, 31)), date(2026, 1, 1)
    ) == date(2024, 12, 31)


# --- scope --------------------------------------------------------------------------------
def test_match_scope_by_role(personas, clause):
    def seen(who):
        return sorted(querysets.matches(personas[who]).values_list("enterprise__uscc", flat=True))

    for who in ("analyst", "supervisor", "leader"):
        assert seen(who) == sorted([USCC_X, USCC_Y])
    assert seen("enterprise_x") == [USCC_X]
    assert seen("enterprise_y") == [USCC_Y]
    for who in ("reporter_a", "reporter_b", "sysadmin", "secadmin", "auditadmin"):
        assert seen(who) == []
    assert querysets.matches(personas["leader"], "push").count() == 0
    assert querysets.matches(personas["supervisor"], "push").count() == 2


# --- words --------------------------------------------------------------------------------
def test_describe_criteria_names_features_operators_and_parameters():
    tree = {"all": [
        {"feature": "q1_output_new_declared", "op": "gt", "param": "min_new_output"},
        {"any": [
            {"feature": "honors", "op": "in", "value": ["srdi", "high_tech"]},
            {"feature": "above_scale", "op": "eq", "value": False},
        ]},
        {"feature": "revenue_year_admin", "op": "lt", "value": 2000, "unit": "万元"},
        {"feature": "no_such_code", "op": "ge", "value": 1},
    ]}  # fmt: skip
    found = display.describe_criteria(
        tree,
        lambda name: (3, "亿元") if name == "min_new_output" else None,
        {"honors": {"srdi": "专精特新中小企业", "high_tech": "高新技术企业"}},
    )
    assert found["group"] == "同时满足以下全部条件"
    texts = [item.get("text") for item in found["items"]]
    assert texts[0] == "一季度新增工业产值（企业申报）高于3亿元（参数 min_new_output）"
    assert texts[2] == "上年营业收入（税务）低于2000万元"
    assert texts[3] == "未知指标“no_such_code”不低于1"
    inner = found["items"][1]
    assert inner["group"] == "满足以下条件之一"
    assert [i["text"] for i in inner["items"]] == [
        "荣誉资质属于专精特新中小企业、高新技术企业",
        "规模以上工业企业：否",
    ]
    unresolved = display.describe_criteria({"feature": "q1_output_new_declared", "op": "gt", "param": "p"})  # fmt: skip
    assert unresolved == {"text": "一季度新增工业产值（企业申报）高于参数“p”（未设定）"}
    assert display.describe_criteria({}) == {"text": "（未设定资格条件）"}


def test_award_words():
    assert display.describe_award({"kind": "cap", "cap": "100"}) == "最高100万元（未设定测算公式）"
    assert display.describe_award({}) == "无资金奖补（服务事项）"
    assert (
        display.describe_award({"kind": "rate", "base": "q1_output_new_declared", "rate": "1",
                                "cap": "100", "stages": [40, 60]})
        == "按一季度新增工业产值（企业申报）的1%计算，最高100万元；分期拨付40%、60%"
    )  # fmt: skip
    assert display.award_text(Decimal("35.5000"), Decimal("100")) == "测算35.5万元（上限100万元）"
    assert display.award_text(None, Decimal("100.0000")) == "最高100万元"
    assert display.award_text(None, None) == ""


def test_survey_figures_are_withheld_from_readers_outside_the_statistics_role():
    reasons = [
        {"feature": "output_growth_ytd", "source": "survey", "passed": True,
         "text": "本年累计产值增速（统计）18.2%，不低于15% ✓"},
        {"feature": "q1_output_declared", "source": "declared", "passed": False, "text": "申报 ✗"},
    ]  # fmt: skip
    assert display.reasons_text(reasons) == "本年累计产值增速（统计）18.2%，不低于15% ✓；申报 ✗"
    hidden = display.reason_lines(reasons, show_survey=False)
    assert "18.2" not in hidden[0]["text"] and hidden[0]["text"].endswith("✓")
    assert hidden[1]["text"] == "申报 ✗"
