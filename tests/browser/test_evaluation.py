"""The 亩产效益 evaluation in chromium: the analyst opens a run on 公示 (class counts,
ECharts charts, the ranked list), then enterprise X reads its report card."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from gongxin.core.testing import PASSWORD
from gongxin.evaluation.tests.test_pages import evaluated_run

pytestmark = pytest.mark.browser
DOCS = Path(settings.BASE_DIR).parent / "docs" / "screenshots"


def keep(page, name: str) -> None:
    """The screenshot in docs/screenshots/, where the user documentation shows it."""
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=DOCS / f"{name}.png", full_page=True)


@pytest.fixture
def run(people):
    return evaluated_run(people["analyst"])


def test_the_analyst_reads_a_run_and_enterprise_x_its_card(
    page, run, login_page, broken_assets, second_user
):
    login_page("analyst", PASSWORD)
    page.get_by_role("link", name="评价方案与结果").click()
    page.get_by_role("link", name="公示中").click()
    expect(page.locator("#class-counts")).to_contain_text("A类（优先发展）")
    for chart in ("chart-overall", "chart-region", "chart-industry"):
        expect(page.locator(f"#{chart} canvas")).to_have_count(1)
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(5)
    expect(rows.first).to_contain_text("青岛甲机械有限公司")
    expect(rows.nth(1)).to_contain_text("最高只能评为C类（按得分本可评为A类）")
    page.wait_for_timeout(600)  # the charts' entry animation
    keep(page, "evaluation-run")

    other = second_user("enterprise_x", PASSWORD)
    other.get_by_role("link", name="我的评价结果").click()
    card = other.locator(".report-card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("B类（支持发展）")
    expect(card).to_contain_text("升为A类约需再得11.67分")
    expect(card).not_to_contain_text("青岛甲机械有限公司")
    keep(other, "evaluation-card")
    assert broken_assets == []


def test_the_analyst_adds_a_restriction_then_copies_the_scheme_to_next_year(
    page, run, login_page, broken_assets
):
    login_page("analyst", PASSWORD)
    page.get_by_role("link", name="评价方案与结果").click()
    page.get_by_role("link", name=run.scheme.name).first.click()
    page.get_by_role("link", name="编辑方案").click()
    blank = page.locator("#restrictions tbody tr.new-row")
    blank.get_by_label("条件").select_option(label="未完成节能目标")
    blank.get_by_label("作用").select_option(label="最高只能评为")
    blank.get_by_label("类别").select_option(label="C类")
    page.locator(".action-row").get_by_role("button", name="保存").click()
    expect(page.locator("body")).to_contain_text("已保存为第2版")
    expect(page.locator("body")).to_contain_text("未完成节能目标：最高只能评为C类")
    # the run on 公示 keeps the rules it was computed with
    assert run.scheme.restrictions == [
        {"flag": "eval_exempt", "effect": "exempt"},
        {"flag": "eval_accident", "effect": "best", "class": "C"},
    ]

    page.get_by_role("link", name="复制为新方案").click()
    page.get_by_role("button", name="复制并编辑").click()  # next year's code, name and year
    expect(page.locator("body")).to_contain_text("（第1版），请按本年度的权重与基准核对修改")
    expect(page.locator("#restrictions tbody tr")).to_have_count(4)  # three kept, a blank row
    keep(page, "evaluation-scheme-editor")
    assert broken_assets == []
