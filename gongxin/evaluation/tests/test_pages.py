"""The evaluation pages as their users rely on them: the run page ranks the firms with
their classes, the publication list, an enterprise's own report card (and nobody else's),
an objection from the card reaching the bureau, and 公布 writing the classes.

A small database, hand-worked numbers (the same arithmetic as test_services.py):
    firm   实缴税金  用地  用电   亩均税收  单位电耗税收
    甲     100      10    20     10        5
    X       50      10    50      5        1
    丙      30       5    10      6        3      (较大安全事故: at best C)
    Y        0      10    10      0        0
    水务   500      10    10      —        —      (暂不评价: T)
Benchmarks (甲+X+丙+Y): 亩均税收 180 ÷ 35 = 5.142857 (stored 5.1429), 电耗 180 ÷ 90 = 2.
Scores = value ÷ benchmark × weight (60, 40):
    甲 116.6667 + 100 = 216.6667 → A;  丙 70 + 60 = 130 → A by score, C by the veto;
    X 58.3333 + 20 = 78.3333 → B;      Y 0 → D.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal as D

import openpyxl
import pytest
from django.urls import reverse

from gongxin.accounts.choices import UnitKind
from gongxin.accounts.models import Unit
from gongxin.analytics.testing import code
from gongxin.core.testing import USCC_X, USCC_Y
from gongxin.enterprises.models import Enterprise, EnterpriseFigure, ScaleRecord
from gongxin.evaluation import services
from gongxin.evaluation.models import EnterpriseClass, Objection, Run

pytestmark = pytest.mark.django_db

# name, uscc, town, industry, 实缴税金, 用地, 用电, flags
FIRMS = [
    ("青岛甲机械有限公司", code(3), "灵山卫街道", "3442", 100, 10, 20, {}),
    ("青岛企业X制造有限公司", USCC_X, "灵山卫街道", "3442", 50, 10, 50, {}),
    ("青岛丙食品有限公司", code(4), "王台镇", "1311", 30, 5, 10, {"eval_accident": 1}),
    ("青岛企业Y纺织有限公司", USCC_Y, "王台镇", "1711", 0, 10, 10, {}),
    ("青岛水务有限公司", code(5), "王台镇", "4610", 500, 10, 10, {"eval_exempt": 1}),
]


def build_firms() -> dict[str, Enterprise]:
    out = {}
    for name, uscc, town, industry, tax, land, power, flags in FIRMS:
        region, _ = Unit.objects.get_or_create(name=town, defaults={"kind": UnitKind.TOWN})
        firm = Enterprise.objects.create(
            uscc=uscc, name=name, industry_code=industry, region=region
        )
        ScaleRecord.objects.create(enterprise=firm, year=2024, above_scale=True)
        for feature, value in (("tax_paid", tax), ("land_area_mu", land),
                               ("electricity_year", power), *flags.items()):  # fmt: skip
            EnterpriseFigure.objects.create(enterprise=firm, feature=feature, period="2024",
                                            value=D(value), provenance="admin")  # fmt: skip
        out[uscc] = firm
    return out


def spec(**changes) -> services.SchemeSpec:
    values = dict(
        code="page-2024", name="2024年度规上工业企业亩产效益评价（测试）", year=2024,
        population="above_scale",
        indicators=[{"feature": "mu_tax", "weight": 60}, {"feature": "electricity_tax", "weight": 40}],
        classes={"method": "thresholds", "thresholds": {"A": 90, "B": 60, "C": 30}},
        restrictions=[{"flag": "eval_exempt", "effect": "exempt"},
                      {"flag": "eval_accident", "effect": "best", "class": "C"}],
        adjustments=[], legal_basis="《关于开展工业企业亩产效益综合评价的通知》（测试）",
    )  # fmt: skip
    return services.SchemeSpec(**{**values, **changes})


def evaluated_run(analyst, until: date = date(2099, 12, 31)) -> Run:
    """The firms, the scheme, a run put on 公示 until `until`."""
    build_firms()
    scheme = services.save_scheme(analyst, spec())
    run, _ = services.run_evaluation(analyst, scheme)
    return services.publish_notice(analyst, run, until, today=date(2025, 3, 1))


def names_in_order(html: str, names: list[str]) -> list[str]:
    return sorted(names, key=html.index)


def test_the_run_page_ranks_the_firms_with_their_classes(client_for, personas):
    run = evaluated_run(personas["analyst"])
    html = (
        client_for("leader").get(reverse("evaluation:run_detail", args=[run.pk])).content.decode()
    )
    ranked = [
        "青岛甲机械有限公司",
        "青岛丙食品有限公司",
        "青岛企业X制造有限公司",
        "青岛企业Y纺织有限公司",
    ]
    assert names_in_order(html, ranked + ["青岛水务有限公司"]) == ranked + ["青岛水务有限公司"]
    assert "216.67" in html and "78.33" in html
    assert "发生较大及以上安全、环境事故，最高只能评为C类（按得分本可评为A类）" in html
    # counts A 1 (甲), B 1 (X), C 1 (丙), D 1 (Y), T 1 (水务)
    assert html.count('<div class="n">1</div>') >= 5
    assert "导出公示/公布名单" not in html  # the leader reads; the analyst publishes
    only_b = client_for("analyst").get(
        reverse("evaluation:run_detail", args=[run.pk]), {"klass": "B"}
    )
    body = only_b.content.decode()
    assert "青岛企业X制造有限公司" in body and "青岛甲机械有限公司" not in body.split("企业排名")[1]


def test_the_publication_list_ranks_the_firms_and_lists_t_firms_apart(client_for, personas):
    run = evaluated_run(personas["analyst"])
    response = client_for("analyst").get(
        reverse("evaluation:run_detail", args=[run.pk]), {"export": "xlsx"}
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["排名", "企业名称", "统一社会信用代码", "镇街", "行业", "综合得分", "类别"]
    assert rows[1] == [
        1,
        "青岛甲机械有限公司",
        code(3),
        "灵山卫街道",
        "通用设备制造业",
        216.6667,
        "A类（优先发展）",
    ]
    assert [r[1] for r in rows[1:5]] == ["青岛甲机械有限公司", "青岛丙食品有限公司", "青岛企业X制造有限公司", "青岛企业Y纺织有限公司"]  # fmt: skip
    assert rows[2][6] == "C类（提升发展）"
    assert rows[6][0] == "暂不评价（T类）企业"
    assert rows[8][1:3] == ["青岛水务有限公司", code(5)] and rows[8][6] == "T类（暂不评价）"
    assert client_for("leader").get(reverse("evaluation:run_detail", args=[run.pk]), {"export": "xlsx"}).status_code == 403  # fmt: skip


def test_enterprise_x_reads_only_its_own_card_with_values_and_the_lift(client_for, personas):
    run = evaluated_run(personas["analyst"])
    html = client_for("enterprise_x").get(reverse("evaluation:card")).content.decode()
    assert "青岛企业X制造有限公司" in html and USCC_X in html
    for other in ("青岛甲机械有限公司", "青岛丙食品有限公司", "青岛企业Y纺织有限公司", USCC_Y):
        assert other not in html
    assert "B类（支持发展）" in html and "第3名 / 共4家" in html
    # 亩均税收 5 vs benchmark 5.1429 → 58.3333 of 60 points
    assert "亩均税收" in html and "5.14" in html and "58.33" in html and "行政记录" in html
    assert "综合得分78.33分，达到B类得分线60分，评为B类" in html
    # to A: 90 − 78.3333 = 11.6667 points; 亩均税收 alone: 11.6667 × 5.1429 ÷ 60 = 1.0000;
    # 电耗税收 alone: 11.6667 × 2 ÷ 40 = 0.5833
    assert "升为A类约需再得11.67分（A类得分线90分，本企业78.33分）" in html
    assert "亩均税收：单靠此项需提高1万元/亩，即由5提高到6万元/亩" in html
    assert "单位电耗税收：单靠此项需提高0.58万元/万千瓦时" in html
    assert "数据使用依据" in html and "提交异议" in html
    x_result = run.results.get(enterprise__uscc=USCC_X)
    assert (
        client_for("enterprise_x")
        .get(reverse("evaluation:result_detail", args=[run.pk, x_result.pk]))
        .status_code
        == 200
    )


def test_enterprise_y_cannot_open_x_s_result(client_for, personas):
    run = evaluated_run(personas["analyst"])
    x_result = run.results.get(enterprise__uscc=USCC_X)
    url = reverse("evaluation:result_detail", args=[run.pk, x_result.pk])
    assert client_for("enterprise_y").get(url).status_code == 404
    assert client_for("supervisor").get(url).status_code == 200


def test_a_draft_is_not_shown_to_the_enterprise(client_for, personas):
    build_firms()
    scheme = services.save_scheme(personas["analyst"], spec())
    services.run_evaluation(personas["analyst"], scheme)
    html = client_for("enterprise_x").get(reverse("evaluation:card")).content.decode()
    assert "暂无已公示或公布" in html


def test_an_objection_from_the_card_reaches_the_run_page(client_for, personas):
    run = evaluated_run(personas["analyst"])
    x_result = run.results.get(enterprise__uscc=USCC_X)
    response = client_for("enterprise_x").post(
        reverse("evaluation:objection_new", args=[run.pk, x_result.pk]),
        {"text": "2024年实缴税金漏报20万元", "evidence": "完税证明2份"},
    )
    assert response.status_code == 302 and response.url == reverse("evaluation:card")
    assert Objection.objects.get().result == x_result
    html = (
        client_for("analyst").get(reverse("evaluation:run_detail", args=[run.pk])).content.decode()
    )
    assert "2024年实缴税金漏报20万元" in html and "待处理1项" in html
    # accepted with a correction of the tax figure the scheme reads
    objection = Objection.objects.get()
    client_for("analyst").post(
        reverse("evaluation:objection_resolve", args=[objection.pk]),
        {f"o{objection.pk}-decision": "accept", f"o{objection.pk}-resolution": "核实完税证明",
         f"o{objection.pk}-feature": "tax_paid", f"o{objection.pk}-value": "70"},
    )  # fmt: skip
    objection.refresh_from_db()
    assert objection.status == Objection.Status.ACCEPTED
    assert EnterpriseFigure.objects.get(enterprise__uscc=USCC_X, feature="tax_paid").value == D(70)


def test_finalize_from_the_page_writes_the_classes(client_for, personas):
    run = evaluated_run(personas["analyst"], until=date(2025, 3, 7))
    client = client_for("analyst")
    response = client.post(reverse("evaluation:run_finalize", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == Run.Status.FINAL
    classes = dict(EnterpriseClass.objects.values_list("enterprise__uscc", "klass"))
    assert classes == {code(3): "A", USCC_X: "B", code(4): "C", USCC_Y: "D", code(5): "T"}
    home = client.get(reverse("core:home")).content.decode()
    assert "2024年度规模以上工业企业：A类1家、B类1家、C类1家、D类1家、T类1家" in home


def test_last_year_s_classes_give_the_movement_table(client_for, personas):
    run = evaluated_run(personas["analyst"])
    x, y = Enterprise.objects.get(uscc=USCC_X), Enterprise.objects.get(uscc=USCC_Y)
    EnterpriseClass.objects.create(enterprise=x, year=2023, klass="C", run=run)
    EnterpriseClass.objects.create(enterprise=y, year=2023, klass="D", run=run)
    html = (
        client_for("analyst").get(reverse("evaluation:run_detail", args=[run.pk])).content.decode()
    )
    assert "与2023年度类别比较" in html and "上年未参评" in html


def test_the_run_button_says_when_nothing_changed(client_for, personas):
    build_firms()
    scheme = services.save_scheme(personas["analyst"], spec())
    client = client_for("analyst")
    first = client.post(reverse("evaluation:scheme_run", args=[scheme.pk]), follow=True)
    assert "计算完成：4家企业参评" in first.content.decode()
    again = client.post(reverse("evaluation:scheme_run", args=[scheme.pk]), follow=True)
    assert "数据与方案未变，结果与上次相同" in again.content.decode()


def test_the_scheme_page_shows_unset_weights_and_the_editor_refuses_bad_rules(client_for, personas):
    analyst = personas["analyst"]
    scheme = services.save_scheme(analyst, spec(indicators=[{"feature": "mu_tax", "weight": None},
                                                           {"feature": "electricity_tax", "weight": 40}]))  # fmt: skip
    client = client_for("analyst")
    html = client.get(reverse("evaluation:scheme_detail", args=[scheme.pk])).content.decode()
    assert "待设定" in html and "行政记录" in html and "按得分线：A类≥90分" in html
    form = {
        "ind-TOTAL_FORMS": "2", "ind-INITIAL_FORMS": "2",
        "ind-0-feature": "mu_tax", "ind-0-weight": "-5", "ind-0-direction": "higher",
        "ind-0-benchmark": "mean", "ind-0-scoring": "ratio", "ind-0-missing": "zero",
        "ind-1-feature": "electricity_tax", "ind-1-weight": "40", "ind-1-direction": "higher",
        "ind-1-benchmark": "mean", "ind-1-scoring": "ratio", "ind-1-missing": "zero",
        "version": "1", "method": "thresholds", "line_a": "90", "line_b": "60", "line_c": "30",
    }  # fmt: skip
    url = reverse("evaluation:scheme_edit", args=[scheme.pk])
    refused = client.post(url, form)
    assert refused.status_code == 200 and "权重应大于0" in refused.content.decode()
    scheme.refresh_from_db()
    assert scheme.indicators[0]["weight"] is None
    saved = client.post(url, {**form, "ind-0-weight": "60"})
    assert saved.status_code == 302
    scheme.refresh_from_db()
    assert scheme.indicators[0]["weight"] == "60"
    stale = client.post(
        url, {**form, "ind-0-weight": "50", "version": "0"}
    )  # edited from an old page
    assert "已被他人修改（现为第1版）" in stale.content.decode()


def test_enterprise_home_shows_its_class(client_for, personas):
    evaluated_run(personas["analyst"])
    home = client_for("enterprise_x").get(reverse("core:home")).content.decode()
    assert (
        "我的亩产效益评价" in home and "2024年度（公示中）：B类（支持发展），第3名 / 共4家" in home
    )


def test_survey_derived_values_are_shown_to_the_analyst_and_the_firm_not_the_leader(
    client_for, personas
):
    firms = build_firms()
    for firm, value in zip(firms.values(), (200, 100, 60, 10, 0), strict=True):
        EnterpriseFigure.objects.create(enterprise=firm, feature="value_added_year", period="2024",
                                        value=D(value), provenance="survey")  # fmt: skip
    indicators = [{"feature": "mu_tax", "weight": 60}, {"feature": "mu_value_added", "weight": 40}]
    scheme = services.save_scheme(personas["analyst"], spec(indicators=indicators))
    run, _ = services.run_evaluation(personas["analyst"], scheme)
    services.publish_notice(personas["analyst"], run, date(2099, 1, 1), today=date(2025, 3, 1))
    url = reverse(
        "evaluation:result_detail", args=[run.pk, run.results.get(enterprise__uscc=USCC_X).pk]
    )

    def value_cell(persona: str) -> str:
        html = client_for(persona).get(url).content.decode()
        row = html.split('data-feature="mu_value_added"')[1].split("</tr>")[0]
        return row.split('<td class="num">')[1].split("<")[0].strip()

    # X: 亩均增加值 100 ÷ 10 = 10 万元/亩 (统计调查)
    assert value_cell("analyst") == "10" and value_cell("enterprise_x") == "10"
    assert value_cell("leader") == "不予显示"


def test_the_class_distribution_is_also_given_by_cluster(client_for, personas):
    from gongxin.enterprises.models import Cluster, ClusterMembership

    run = evaluated_run(personas["analyst"])
    cluster = Cluster.objects.create(name="高端装备集群")
    for uscc in (code(3), USCC_X, USCC_Y):  # 甲 A, X B, Y D
        ClusterMembership.objects.create(
            cluster=cluster, enterprise=Enterprise.objects.get(uscc=uscc)
        )
    html = (
        client_for("analyst").get(reverse("evaluation:run_detail", args=[run.pk])).content.decode()
    )
    assert "按产业集群" in html
    from gongxin.evaluation.display import chart_data

    by_cluster = chart_data(run)["by_cluster"]
    assert by_cluster["categories"] == ["高端装备集群"]
    assert {s["name"]: s["data"] for s in by_cluster["series"]} == {
        "A类（优先发展）": [1], "B类（支持发展）": [1], "D类（限制发展）": [1]}  # fmt: skip


def test_the_share_reason_says_which_firms_the_shares_count():
    from types import SimpleNamespace

    from gongxin.evaluation.display import reason_text

    result = SimpleNamespace(score=D("55.33"), klass="D",
                             reason={"rule": "share", "position": 1002, "of": 1048})  # fmt: skip
    assert reason_text(result) == (
        "综合得分55.33分，在按比例分类的1048家企业（不含被否决的企业）中排第1002位，按排名比例评为D类"
    )
