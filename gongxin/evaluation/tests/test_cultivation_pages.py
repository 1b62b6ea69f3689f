"""The 梯度培育 pages on a small database (test_tiers' registry, assessed on 2026-06-30 under
srdi-2026): 甲 (enterprise X) meets every automatic condition, 乙 (enterprise Y) has revenue
1400万元 against 1500, 丙 and 戊 have no data, 丁 holds the title, 己 is inactive."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from gongxin.core.audit import AuditEvent
from gongxin.enterprises.models import Enterprise
from gongxin.evaluation.tests.test_tiers import registry  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
ON = {"on": "2026-06-30"}


def rows_of(response) -> dict[str, str]:
    """enterprise name → its row's status label, from the candidate table."""
    html = response.content.decode()
    table = html[html.index('id="candidates"') :]
    found = {}
    for chunk in table.split("<tr data-status=")[1:]:
        name = chunk.split("</a>")[0].rsplit(">", 1)[1]
        found[name] = chunk.split('class="tier-status')[1].split(">")[1].split("<")[0]
    return found


def test_the_analyst_reads_the_srdi_list_with_statuses_and_gaps(client_for, registry):  # noqa: F811
    response = client_for("analyst").get(reverse("evaluation:cultivation_list", args=["srdi"]), ON)

    assert response.status_code == 200
    assert rows_of(response) == {
        "甲精密机械有限公司": "待人工审核",
        "乙新材料有限公司": "接近条件",
        "丙电子有限公司": "数据不全",
        "戊塑料制品有限公司": "数据不全",
    }  # 丁 holds a provincial title (left out), 己 is inactive
    page = response.content.decode()
    assert "专精特新中小企业认定条件（2026年版）（srdi-2026" in page
    assert "《优质中小企业梯度培育管理办法》" in page
    # 1500 − 1400 = 100万元 short (revenue alone: 乙 has no equity figure)
    assert "上年度营业收入1500万元以上，或近2年新增股权融资2000万元以上" in page
    assert "差100万元" in page


def test_the_status_filter_and_the_holders_option(client_for, registry):  # noqa: F811
    client = client_for("supervisor")
    url = reverse("evaluation:cultivation_list", args=["srdi"])
    assert list(rows_of(client.get(url, {**ON, "status": "near"}))) == ["乙新材料有限公司"]
    assert "丁装备有限公司" in rows_of(client.get(url, {**ON, "holders": "1"}))
    # before 2026-04-01 the 2022 points rules apply and the points column shows
    page = client.get(url, {"on": "2026-03-01"}).content.decode()
    assert "srdi-2022" in page and "得分/合格线" in page


def test_the_detail_names_every_criterion_the_source_of_each_figure_and_manual_items(
    client_for,
    registry,  # noqa: F811
):
    url = reverse("evaluation:cultivation_detail", args=["srdi", registry["yi"].pk])
    page = client_for("leader").get(url, ON).content.decode()
    assert 'data-code="revenue"' in page and 'data-code="platform_score"' in page
    assert "1400万元" in page and "1500万元" in page
    assert "需人工审核" in page and "细分市场地位" in page
    # the platform score is an administrative record, the revenue a declaration, both 测试
    assert "行政记录" in page and "企业申报" in page


def test_enterprise_x_sees_only_its_own_results_and_not_y_s_detail(client_for, registry):  # noqa: F811
    client = client_for("enterprise_x")
    page = client.get(reverse("evaluation:cultivation_mine"), ON).content.decode()
    assert page.count('class="card" id="result-') == 3  # the three tiers
    assert "待人工审核" in page  # 甲's srdi result
    assert "1400万元" not in page and "乙新材料" not in page
    own = reverse("evaluation:cultivation_detail", args=["srdi", registry["jia"].pk])
    other = reverse("evaluation:cultivation_detail", args=["srdi", registry["yi"].pk])
    assert client.get(own, ON).status_code == 200
    assert client.get(other, ON).status_code == 404
    assert client_for("enterprise_y").get(own, ON).status_code == 404


def test_the_export_lists_the_rows_shown_and_is_audited(client_for, registry):  # noqa: F811
    Enterprise.objects.filter(pk=registry["bing"].pk).update(name="=丙电子有限公司")
    url = reverse("evaluation:cultivation_list", args=["srdi"])
    response = client_for("analyst").get(url, {**ON, "export": "xlsx"})

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["序号", "企业名称", "统一社会信用代码", "结论", "得分", "满分",
                       "未满足的条件及差距", "缺少的数据"]  # fmt: skip
    assert [r[1] for r in rows[1:]] == [
        "甲精密机械有限公司",
        "乙新材料有限公司",
        "'=丙电子有限公司",
        "戊塑料制品有限公司",
    ]  # fmt: skip  (a formula-like name stays text)
    assert rows[2][3] == "接近条件"
    assert "差100万元" in rows[2][6]
    assert rows[1][4] is None  # srdi-2026 has no points
    event = AuditEvent.objects.get(action="export.xlsx")
    assert (event.after["scheme"], event.after["rows"]) == ("srdi-2026", 4)


def test_titles_due_for_review_are_listed_with_their_review_result(client_for, registry):  # noqa: F811
    from gongxin.enterprises.models import Honor

    Honor.objects.create(enterprise=registry["jia"], kind="srdi", level="provincial", year=2023)
    page = client_for("analyst").get(reverse("evaluation:cultivation_review"), ON).content
    page = page.decode()
    assert "甲精密机械有限公司" in page and "2023" in page and "srdi-2026" in page
