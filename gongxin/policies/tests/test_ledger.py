"""The 免申即享 path end to end: match → batch → review with amounts → grants → payments
in two stages → the 兑现 totals by policy and year equal the ledger, worked by hand.

The world (amounts in 万元, figures declared by the enterprises for 2024 Q1):

    enterprise   Q1 2024   Q1 2023   new (increment)   1% of new, capped at 100
    甲            12000      9000        3000              30
    乙            30000     15000       15000             150 → 100
    丙             5000      4500         500             not eligible (new ≤ 1000)
    丁             8000      6500        1500              15
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from gongxin.analytics.testing import code
from gongxin.core.errors import ConflictError, ServiceError
from gongxin.core.models import AuditEvent
from gongxin.enterprises.models import Enterprise, EnterpriseFigure
from gongxin.policies import ledger, services
from gongxin.policies import ledger_querysets as scopes
from gongxin.policies.models import Clause, Grant, GrantBatch, Match, Payment

pytestmark = pytest.mark.django_db
AS_OF = date(2024, 6, 30)
APPROVED_ON = date(2024, 7, 1)
RATE_AWARD = {
    "kind": "rate",
    "base": "q1_output_new_declared",
    "rate": 1,
    "cap": 100,
    "stages": [40, 60],
}
FIRMS = {"甲": (12000, 9000), "乙": (30000, 15000), "丙": (5000, 4500), "丁": (8000, 6500)}


def firm(n: int, name: str, current, prior, uscc: str | None = None) -> Enterprise:
    enterprise = Enterprise.objects.create(
        uscc=uscc or code(500 + n), name=f"青岛{name}制造有限公司", industry_code="3442"
    )
    for feature, value in (("q1_output_declared", current), ("q1_output_prior_declared", prior)):
        EnterpriseFigure.objects.create(
            enterprise=enterprise, feature=feature, period="2024-Q1", value=D(value),
            provenance="declared", source="申报表",
        )  # fmt: skip
    return enterprise


def policy(code_: str = "xjzz-2024", title: str = "先进制造业发展资金（2024年）"):
    found, _ = services.save_policy(
        None,
        {"code": code_, "title": title, "issuer": "区工业和信息化局",
         "effective_from": date(2024, 1, 1), "effective_to": date(2025, 12, 31)},
    )  # fmt: skip
    return found


def clause(
    pol, code_: str = "q1", *, mode=Clause.Mode.AUTO_GRANT, award=None, above=1000, group=""
) -> Clause:
    return services.save_clause(
        None,
        pol,
        services.ClauseSpec(
            code=code_, title=f"一季度新增产值超过{above}万元（{code_}）", mode=mode, year=2024,
            provenances=["declared"],
            criteria={"all": [{"feature": "q1_output_new_declared", "op": "gt", "value": above,
                               "unit": "万元"}]},
            award=RATE_AWARD if award is None else award, exclusive_group=group,
        ),
    )  # fmt: skip


def ledger_world(uscc: dict[str, str] | None = None):
    """The four firms, the rate clause, and the match run; returns (clause, firms by name)."""
    uscc = uscc or {}
    firms = {
        name: firm(n, name, *figures, uscc=uscc.get(name))
        for n, (name, figures) in enumerate(FIRMS.items())
    }
    rate_clause = clause(policy())
    services.run_match(None, AS_OF)
    return rate_clause, firms


def counts() -> tuple[int, ...]:
    return (
        Grant.objects.count(),
        Payment.objects.count(),
        GrantBatch.objects.count(),
        AuditEvent.objects.count(),
        *GrantBatch.objects.values_list("version", flat=True).order_by("pk"),
    )


@pytest.fixture
def world(personas):
    return ledger_world()


def test_the_whole_path_totals_equal_the_ledger_worked_by_hand(world, personas, client_for):
    rate_clause, f = world
    analyst = personas["analyst"]
    eligible = Match.objects.filter(clause=rate_clause, status="eligible")
    assert {m.enterprise.name[2] for m in eligible} == {"甲", "乙", "丁"}

    batch = ledger.propose_batch(analyst, rate_clause)
    lines = ledger.batch_lines(rate_clause, batch=batch)
    assert {x.enterprise.name[2]: x.amount for x in lines.included} == {
        "甲": D("30"),  # 1% × 3000
        "乙": D("100"),  # 1% × 15000 = 150, capped at 100
        "丁": D("15"),  # 1% × 1500
    }
    # The reviewer keeps 甲 and 乙 at the estimate and lowers 丁 to 12.5.
    grants = ledger.approve_batch(
        analyst,
        batch,
        {f["甲"].pk: "30", f["乙"].pk: "100", f["丁"].pk: "12.5"},
        batch.version,
        approved_on=APPROVED_ON,
    )
    assert len(grants) == 3
    batch.refresh_from_db()
    assert batch.status == GrantBatch.Status.APPROVED and batch.approved_by == analyst
    grant = {g.enterprise.name[2]: g for g in grants}

    # 甲: 40% of 30 = 12, then the rest 18; 乙: 40% of 100 = 40 so far; 丁: nothing yet.
    ledger.record_payment(analyst, grant["甲"], "12", date(2024, 8, 1), 1)
    ledger.record_payment(analyst, grant["甲"], "18", date(2025, 1, 15), 2)
    ledger.record_payment(analyst, grant["乙"], "40", date(2024, 8, 1), 1)

    # A second policy, an apply-mode clause granted by hand in 2025 to 甲 (50, paid 50).
    apply_clause = clause(
        policy("kmh-2025", "工业经济“开门红”奖励（2025年）"),
        "reward",
        mode=Clause.Mode.APPLY,
        award={"kind": "cap", "cap": 100},
    )
    by_hand = ledger.grant_by_hand(analyst, apply_clause, f["甲"], "50", date(2025, 4, 1))
    ledger.record_payment(analyst, by_hand, "50", date(2025, 5, 1))

    totals = ledger.totals()
    by_key = {(r.policy, r.year): r for r in totals.rows}
    # 2024 先进制造业: approved 30 + 100 + 12.5 = 142.5; paid 12 + 18 + 40 = 70 (the 2025
    # instalment counts under the grant's year); 3 firms granted, 2 paid.
    first = by_key["xjzz-2024", 2024]
    assert (first.approved, first.paid, first.outstanding) == (D("142.5"), D("70"), D("72.5"))
    assert (first.enterprises, first.paid_enterprises) == (3, 2)
    second = by_key["kmh-2025", 2025]
    assert (second.approved, second.paid, second.enterprises) == (D("50"), D("50"), 1)
    # Overall: 192.5 approved, 120 paid; 甲 counted once → 3 firms, 2 of them paid.
    overall = totals.overall
    assert (overall.approved, overall.paid) == (D("192.5"), D("120"))
    assert (overall.enterprises, overall.paid_enterprises) == (3, 2)
    assert overall.sentence == "兑现资金120万元、惠及企业2家（核定193万元，3家）"
    assert ledger.totals(2024).overall.sentence == (
        "2024年兑现资金70万元、惠及企业2家（核定143万元，3家）"
    )

    # The totals equal the ledger's own sums (the page's rows and its export's rows).
    assert sum(g.approved_amount for g in Grant.objects.all()) == overall.approved
    assert sum(p.amount for p in Payment.objects.all()) == overall.paid
    page = client_for("leader").get(reverse("policies:ledger"), {"year": "2024"})
    assert page.status_code == 200
    rows = list(page.context["table"].rows)
    assert len(rows) == 3
    assert sum(D(str(r[6].text)) for r in rows) == first.approved  # 核定金额(万元)
    assert sum(D(str(r[7].text)) for r in rows) == first.paid  # 已拨付(万元)
    assert sum(D(str(r[8].text)) for r in rows) == first.outstanding  # 未拨付(万元)
    assert "2024年兑现资金70万元、惠及企业2家" in page.content.decode()

    # ... and the home page card shows the same figures, by policy and year.
    home = client_for("leader").get(reverse("core:home")).content.decode()
    assert "惠企政策兑现" in home
    assert "累计兑现资金120万元、惠及企业2家（核定193万元，3家）" in home
    assert "先进制造业发展资金（2024年）（2024年）：核定142.5万元、已拨付70万元、3家" in home
    assert "工业经济“开门红”奖励（2025年）（2025年）：核定50万元、已拨付50万元、1家" in home

    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("policy.batch.propose") == 1
    assert actions.count("policy.batch.approve") == 1
    assert actions.count("policy.grant.create") == 4
    assert actions.count("policy.payment.create") == 4


def test_payments_follow_the_stages_and_never_exceed_the_approved_amount(world, personas):
    rate_clause, f = world
    analyst = personas["analyst"]
    batch = ledger.propose_batch(analyst, rate_clause)
    grants = ledger.approve_batch(
        analyst, batch, {f["甲"].pk: "30"}, batch.version, approved_on=APPROVED_ON
    )
    grant = grants[0]
    before = counts()
    refusals = [
        ("13", date(2024, 8, 1), 1, "应为12万元"),  # stage 1 is 40% of 30
        ("12", date(2024, 8, 1), 2, "应拨付第1期"),  # stages in order
        ("31", date(2024, 8, 1), 1, "超过未拨付金额30万元"),  # never more than approved
        ("12", date(2024, 6, 1), 1, "不能早于核定日期"),
        ("0", date(2024, 8, 1), 1, "应大于0"),
    ]
    for amount, paid_on, stage, message in refusals:
        with pytest.raises(ServiceError, match=message):
            ledger.record_payment(analyst, grant, amount, paid_on, stage)
        assert counts() == before
    ledger.record_payment(analyst, grant, "12", date(2024, 8, 1), 1)
    with pytest.raises(ServiceError, match="应为18万元"):
        ledger.record_payment(analyst, grant, "17", date(2024, 9, 1), 2)
    ledger.record_payment(analyst, grant, "18", date(2024, 9, 1), 2)
    before = counts()
    with pytest.raises(ServiceError, match="已全部拨付"):
        ledger.record_payment(analyst, grant, "1", date(2024, 9, 2))
    assert counts() == before
    assert [p.stage for p in grant.payments.all()] == [1, 2]


def test_a_grant_without_stages_is_paid_in_any_instalments_up_to_the_approved_amount(
    world, personas
):
    _, f = world
    analyst = personas["analyst"]
    apply_clause = clause(
        policy("kmh-2025", "开门红"), "reward", mode=Clause.Mode.APPLY,
        award={"kind": "cap", "cap": 100},
    )  # fmt: skip
    grant = ledger.grant_by_hand(analyst, apply_clause, f["丙"], "50", date(2024, 7, 1))
    ledger.record_payment(analyst, grant, "20", date(2024, 8, 1))
    before = counts()
    with pytest.raises(ServiceError, match="超过未拨付金额30万元"):
        ledger.record_payment(analyst, grant, "30.0001", date(2024, 8, 2))
    assert counts() == before
    ledger.record_payment(analyst, grant, "30", date(2024, 8, 2))
    assert [p.stage for p in grant.payments.all()] == [1, 2]


def test_refusals_of_a_batch_leave_the_database_unchanged(world, personas):
    rate_clause, f = world
    analyst = personas["analyst"]
    batch = ledger.propose_batch(analyst, rate_clause)
    with pytest.raises(ServiceError, match="已有待审核的批次"):
        ledger.propose_batch(analyst, rate_clause)
    before = counts()
    with pytest.raises(ConflictError, match="已被他人修改"):
        ledger.approve_batch(analyst, batch, {f["甲"].pk: "30"}, batch.version - 1)
    with pytest.raises(ServiceError, match="超过上限100万元"):
        ledger.approve_batch(analyst, batch, {f["甲"].pk: "30", f["乙"].pk: "150"}, batch.version)
    with pytest.raises(ServiceError, match="当前不符合条件"):
        ledger.approve_batch(analyst, batch, {f["丙"].pk: "5"}, batch.version)
    with pytest.raises(ServiceError, match="至少纳入一家企业"):
        ledger.approve_batch(analyst, batch, {}, batch.version)
    assert counts() == before

    # 甲 alone now; 乙 and 丁 stay eligible for the next batch.
    ledger.approve_batch(analyst, batch, {f["甲"].pk: "30"}, batch.version)
    with pytest.raises(ServiceError, match="不能再审核"):
        ledger.approve_batch(analyst, batch, {f["乙"].pk: "100"}, batch.version + 1)
    second = ledger.propose_batch(analyst, rate_clause)
    lines = ledger.batch_lines(rate_clause, batch=second)
    assert {x.enterprise.name[2] for x in lines.included} == {"乙", "丁"}
    today = timezone.localdate()
    assert [x.reason for x in lines.excluded] == [f"已于{today:%Y-%m-%d}核定30万元，不重复兑现"]
    before = counts()
    with pytest.raises(ServiceError, match="已有本条款的兑现记录"):
        ledger.approve_batch(analyst, second, {f["甲"].pk: "30"}, second.version)
    assert counts() == before

    ledger.cancel_batch(analyst, second, second.version, "数据待核实")
    second.refresh_from_db()
    assert second.status == GrantBatch.Status.CANCELLED
    before = counts()
    with pytest.raises(ServiceError, match="已撤销"):
        ledger.cancel_batch(analyst, second, second.version, "")
    assert counts() == before


def test_only_auto_grant_clauses_make_batches_and_only_apply_clauses_are_granted_by_hand(
    world, personas
):
    rate_clause, f = world
    analyst = personas["analyst"]
    apply_clause = clause(policy("kmh-2025", "开门红"), "reward", mode=Clause.Mode.APPLY)
    before = counts()
    with pytest.raises(ServiceError, match="不是免申即享条款"):
        ledger.propose_batch(analyst, apply_clause)
    with pytest.raises(ServiceError, match="只有申请兑现条款可以手工登记"):
        ledger.grant_by_hand(analyst, rate_clause, f["甲"], "30", date(2024, 7, 1))
    assert counts() == before
    ledger.grant_by_hand(analyst, apply_clause, f["甲"], "30", date(2024, 7, 1))
    before = counts()
    with pytest.raises(ServiceError, match="已有本条款的兑现记录"):
        ledger.grant_by_hand(analyst, apply_clause, f["甲"], "20", date(2024, 7, 2))
    with pytest.raises(ServiceError, match="超过本条款上限100万元"):
        ledger.grant_by_hand(analyst, apply_clause, f["乙"], "101", date(2024, 7, 2))
    assert counts() == before


def test_a_cap_only_rule_needs_the_reviewer_to_enter_each_amount(personas):
    f = {name: firm(n, name, *figures) for n, (name, figures) in enumerate(FIRMS.items())}
    capped = clause(policy(), award={"kind": "cap", "cap": 100})
    services.run_match(None, AS_OF)
    analyst = personas["analyst"]
    batch = ledger.propose_batch(analyst, capped)
    lines = ledger.batch_lines(capped, batch=batch)
    assert [x.amount for x in lines.included] == [None, None, None]
    before = counts()
    with pytest.raises(ServiceError, match="请填写.*的核定金额"):
        ledger.approve_batch(analyst, batch, {f["甲"].pk: ""}, batch.version)
    assert counts() == before
    grants = ledger.approve_batch(analyst, batch, {f["甲"].pk: "80"}, batch.version)
    assert grants[0].approved_amount == D("80")


def test_jiugao_bu_chongfu_one_grant_per_enterprise_in_an_exclusive_group(personas):
    """Two clauses of one group: tier 1 pays 1% of the increment (cap 100), tier 2 a fixed
    50 when the increment is over 2000. 甲: tier 1 30 < tier 2 50 → tier 2. 乙: tier 1 100
    > tier 2 50 → tier 1. 丁 (1500) reaches tier 1 only."""
    f = {name: firm(n, name, *figures) for n, (name, figures) in enumerate(FIRMS.items())}
    pol = policy()
    tier1 = clause(pol, "tier1", group="xjzz")
    tier2 = clause(pol, "tier2", award={"kind": "fixed", "amount": 50}, above=2000, group="xjzz")
    services.run_match(None, AS_OF)
    analyst = personas["analyst"]

    second = ledger.propose_batch(analyst, tier2)
    assert {x.enterprise.name[2] for x in ledger.batch_lines(tier2).included} == {"甲", "乙"}
    first = ledger.propose_batch(analyst, tier1)
    lines1 = ledger.batch_lines(tier1, batch=first)
    assert {x.enterprise.name[2] for x in lines1.included} == {"乙", "丁"}
    assert [x.match.enterprise.name[2] for x in lines1.excluded] == ["甲"]
    assert "就高不重复" in lines1.excluded[0].reason
    lines2 = ledger.batch_lines(tier2, batch=second)
    assert [x.enterprise.name[2] for x in lines2.included] == ["甲"]
    assert [x.match.enterprise.name[2] for x in lines2.excluded] == ["乙"]

    before = counts()
    with pytest.raises(ServiceError, match="就高不重复"):
        ledger.approve_batch(analyst, first, {f["甲"].pk: "30"}, first.version)
    assert counts() == before
    ledger.approve_batch(analyst, first, {f["乙"].pk: "100", f["丁"].pk: "15"}, first.version)
    ledger.approve_batch(analyst, second, {f["甲"].pk: "50"}, second.version)
    granted = {
        (g.enterprise.name[2], g.clause.code, g.approved_amount) for g in Grant.objects.all()
    }
    assert granted == {
        ("甲", "tier2", D("50")),
        ("乙", "tier1", D("100")),
        ("丁", "tier1", D("15")),
    }
    # Nothing is left to propose in either clause: every enterprise has its one grant.
    for c in (tier1, tier2):
        with pytest.raises(ServiceError, match="没有可纳入批次"):
            ledger.propose_batch(analyst, c)


def test_an_existing_grant_in_the_group_blocks_a_grant_by_hand(personas):
    f = {name: firm(n, name, *figures) for n, (name, figures) in enumerate(FIRMS.items())}
    pol = policy()
    apply1 = clause(pol, "a1", mode=Clause.Mode.APPLY, award={"kind": "cap", "cap": 100}, group="g")
    apply2 = clause(pol, "a2", mode=Clause.Mode.APPLY, award={"kind": "cap", "cap": 100}, group="g")
    analyst = personas["analyst"]
    ledger.grant_by_hand(analyst, apply1, f["甲"], "30", date(2024, 7, 1))
    before = counts()
    with pytest.raises(ServiceError, match="就高不重复"):
        ledger.grant_by_hand(analyst, apply2, f["甲"], "60", date(2024, 7, 1))
    assert counts() == before


def test_an_enterprise_reads_only_its_own_grants(personas, client_for):
    from gongxin.core.testing import USCC_X, USCC_Y

    rate_clause, f = ledger_world({"甲": USCC_X, "乙": USCC_Y})
    analyst = personas["analyst"]
    batch = ledger.propose_batch(analyst, rate_clause)
    grants = ledger.approve_batch(
        analyst, batch, {f["甲"].pk: "30", f["乙"].pk: "100"}, batch.version
    )
    ledger.record_payment(analyst, grants[0], "12", timezone.localdate(), 1)
    x = personas["enterprise_x"]
    assert [g.enterprise_id for g in scopes.grants(x)] == [f["甲"].pk]
    assert [p.grant.enterprise_id for p in scopes.payments(x)] == [f["甲"].pk]
    assert not scopes.batches(x).exists()
    for name in ("reporter_a", "sysadmin", "auditadmin"):
        assert not scopes.grants(personas[name]).exists()
    page = client_for("enterprise_x").get(reverse("policies:ledger_mine")).content.decode()
    assert "先进制造业发展资金" in page and "12.00" in page
    assert f["乙"].name not in page


def test_review_through_the_pages(world, personas, client_for):
    rate_clause, f = world
    client = client_for("analyst")
    response = client.post(reverse("policies:batch_propose"), {"clause": rate_clause.pk})
    batch = GrantBatch.objects.get()
    assert response.url == reverse("policies:batch_detail", args=[batch.pk])
    page = client.get(response.url).content.decode()
    assert f["甲"].name in page and 'name="amount_' in page
    response = client.post(
        reverse("policies:batch_approve", args=[batch.pk]),
        {"version": batch.version, f"include_{f['甲'].pk}": "1", f"amount_{f['甲'].pk}": "30",
         f"include_{f['乙'].pk}": "1", f"amount_{f['乙'].pk}": "100", f"amount_{f['丁'].pk}": "15",
         "note": "经局务会审定"},
    )  # fmt: skip
    assert Grant.objects.count() == 2  # 丁 was not ticked
    grant = Grant.objects.get(enterprise=f["甲"])
    response = client.post(
        reverse("policies:payment_new", args=[grant.pk]),
        {"stage": 1, "amount": "12", "paid_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302 and Payment.objects.get().amount == D("12")
    response = client.post(
        reverse("policies:payment_new", args=[grant.pk]),
        {"stage": 2, "amount": "17", "paid_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200 and "应为18万元" in response.content.decode()
    export = client.get(reverse("policies:ledger"), {"export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
