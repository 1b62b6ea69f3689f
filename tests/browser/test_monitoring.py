"""Monitoring pages in chromium: an enterprise's own profile with its monthly chart."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from gongxin.core.testing import PASSWORD, USCC_X
from gongxin.enterprises.models import Enterprise
from gongxin.monitoring.models import MonthlyStat, PeriodRelease

pytestmark = pytest.mark.browser


@pytest.fixture
def months(people):
    firm = Enterprise.objects.create(uscc=USCC_X, name="青岛甲机械有限公司", industry_code="3442")
    for month in range(1, 7):
        period = f"2024-{month:02d}"
        MonthlyStat.objects.create(
            enterprise=firm, period=period,
            output=Decimal(1000 * month + 80 * month), output_prior=Decimal(1000 * month),
            revenue=Decimal(1100 * month), revenue_prior=Decimal(1050 * month),
        )  # fmt: skip
        if month <= 5:  # June is not released yet: the enterprise must not see it
            PeriodRelease.objects.create(period=period, released_by=people["analyst"])
    return firm


def test_an_enterprise_sees_its_released_months_as_a_chart_and_a_table(
    page, live_server, people, months, login_page, screenshot, broken_assets
):
    login_page("enterprise_x", PASSWORD)
    page.goto(f"{live_server.url}/enterprises/mine/")
    chart = page.locator('[data-chart="series"]')
    expect(chart.locator("canvas")).to_have_count(1)  # ECharts drew it
    rows = page.locator("table.data").last.locator("tbody tr")
    expect(rows).to_have_count(5)
    expect(rows.first.locator("td").first).to_have_text("2024-05")
    expect(rows.first.locator("td").nth(2)).to_have_text("8.0")  # 5400 / 5000 − 1
    expect(page.get_by_text("2024-06")).to_have_count(0)
    screenshot("enterprise-profile")
    assert broken_assets == []


@pytest.fixture
def demo(transactional_db):
    from django.test import override_settings

    from gongxin.accounts.models import User
    from gongxin.demo.services import build_demo

    with override_settings(GONGXIN_DEMO=True):
        build_demo()
    for username in ("demo_analyst", "demo_leader"):
        user = User.objects.get(username=username)
        user.set_password(PASSWORD)
        user.must_change_password = False
        user.save()


@pytest.mark.parametrize("username", ["demo_analyst", "demo_leader"])
def test_the_dashboard_draws_its_charts_and_states_the_seed_figures(
    page, live_server, demo, login_page, screenshot, broken_assets, username
):
    login_page(username, PASSWORD)
    page.goto(f"{live_server.url}/monitoring/?period=2024-12")
    for chart in ("trend", "scatter", "groups"):
        expect(page.locator(f'[data-chart="{chart}"] canvas')).to_have_count(1)
    expect(page.locator(".stat .n").nth(1)).to_have_text("4786.1")
    expect(page.locator("#official-figures")).to_contain_text("可比价")
    expect(page.get_by_role("heading", name="排名")).to_be_visible()
    expect(page.get_by_text("33家倍增企业累计实现产值497.9亿元", exact=False)).to_be_visible()
    screenshot(f"monitoring-dashboard-{username.removeprefix('demo_')}")
    assert broken_assets == []
