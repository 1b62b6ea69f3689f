"""An enterprise's monthly figures on its profile, in its Excel export and through the API:
the analyst reads every month, the enterprise its own released months, nobody else any."""

from __future__ import annotations

import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from gongxin.core.audit import AuditEvent
from gongxin.core.testing import USCC_X, USCC_Y, login_as
from gongxin.enterprises.models import Enterprise
from gongxin.monitoring.models import MonthlyStat, PeriodRelease


@pytest.fixture
def firms(db, personas):
    x = Enterprise.objects.create(uscc=USCC_X, name="青岛甲机械有限公司", industry_code="3442")
    y = Enterprise.objects.create(uscc=USCC_Y, name="青岛乙食品有限公司", industry_code="1311")
    # X: 2024-02 released, 2024-03 not yet; Y: 2024-02 released (a figure X must never see)
    MonthlyStat.objects.create(
        enterprise=x, period="2024-02", output=D("1150"), output_prior=D("1000")
    )
    MonthlyStat.objects.create(
        enterprise=x, period="2024-03", output=D("1733"), output_prior=D("1500")
    )
    MonthlyStat.objects.create(
        enterprise=y, period="2024-02", output=D("98765"), output_prior=D("90000")
    )
    PeriodRelease.objects.create(period="2024-02", released_by=personas["analyst"])
    return x, y


def page(client, user, url):
    client.logout()
    login_as(client, user)
    return client.get(url)


def test_the_enterprise_sees_its_released_months_with_growth(client, personas, firms):
    x, _ = firms
    html = page(client, personas["enterprise_x"], reverse("enterprises:mine")).content.decode()
    assert "2024-02" in html and "1150" in html
    assert "15.0" in html  # 1150 / 1000 − 1 = 15.0%
    assert "2024-03" not in html and "1733" not in html  # not released yet
    assert "98765" not in html
    assert 'id="enterprise-series"' in html


def test_the_analyst_sees_unreleased_months_too(client, personas, firms):
    x, _ = firms
    html = page(
        client, personas["analyst"], reverse("enterprises:detail", args=[x.pk])
    ).content.decode()
    assert "1733" in html and "15.5" in html  # 1733 / 1500 − 1 = 15.53%


@pytest.mark.parametrize("persona", ["supervisor", "leader"])
def test_bureau_readers_see_the_profile_without_figures(client, personas, firms, persona):
    x, _ = firms
    html = page(
        client, personas[persona], reverse("enterprises:detail", args=[x.pk])
    ).content.decode()
    assert "青岛甲机械有限公司" in html
    assert "1150" not in html and "1733" not in html and "enterprise-series" not in html
    assert "统计调查保密资料" in html


def test_another_enterprise_gets_nothing_of_x(client, personas, firms):
    x, _ = firms
    y_user = personas["enterprise_y"]
    assert page(client, y_user, reverse("enterprises:detail", args=[x.pk])).status_code == 404
    assert (
        page(
            client, y_user, reverse("enterprises:detail", args=[x.pk]) + "?export=xlsx"
        ).status_code
        == 404
    )
    assert (
        page(client, y_user, reverse("enterprises-api:enterprise-stats", args=[x.pk])).status_code
        == 404
    )
    listed = page(client, y_user, reverse("enterprises-api:monthly-stat-list")).json()["results"]
    assert [(r["uscc"], r["period"], r["output"]) for r in listed] == [
        (USCC_Y, "2024-02", "98765.0000")
    ]
    stat = MonthlyStat.objects.get(enterprise=x, period="2024-02")
    assert (
        page(
            client, y_user, reverse("enterprises-api:monthly-stat-detail", args=[stat.pk])
        ).status_code
        == 404
    )


def test_the_api_gives_the_enterprise_its_released_months(client, personas, firms):
    x, _ = firms
    got = page(
        client, personas["enterprise_x"], reverse("enterprises-api:enterprise-stats", args=[x.pk])
    ).json()
    assert [(r["period"], r["output"], r["output_prior"]) for r in got] == [
        ("2024-02", "1150.0000", "1000.0000")
    ]
    listed = page(
        client,
        personas["analyst"],
        reverse("enterprises-api:monthly-stat-list") + "?period=2024-03",
    )
    assert [r["output"] for r in listed.json()["results"]] == ["1733.0000"]


def test_the_export_holds_the_same_rows_as_the_page_and_is_audited(client, personas, firms):
    response = page(client, personas["enterprise_x"], reverse("enterprises:mine") + "?export=xlsx")
    assert response.status_code == 200
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert rows[0][0] == "青岛甲机械有限公司月度统计数据"
    assert rows[1][:3] == ["统计期", "工业总产值(万元)", "工业总产值同比(%)"]
    assert [r[:3] for r in rows[2:]] == [["2024-02", 1150.0, 15.0]]
    event = AuditEvent.objects.filter(action="export.xlsx").latest("id")
    assert event.actor_id == personas["enterprise_x"].pk and "青岛甲机械" in event.object_repr


def test_the_liaison_phone_is_for_bureau_readers_not_the_enterprise(client, personas, firms):
    from gongxin.enterprises.models import Liaison

    x, _ = firms
    Liaison.objects.create(enterprise=x, officer_name="王包联", level="district", year=2024,
                           title="区工信局", phone="13812345678")  # fmt: skip
    url = reverse("enterprises:detail", args=[x.pk])
    assert "13812345678" in page(client, personas["leader"], url).content.decode()
    own = page(client, personas["enterprise_x"], reverse("enterprises:mine")).content.decode()
    assert "王包联" in own and "13812345678" not in own
