"""梯度培育 in chromium: the analyst opens the 专精特新 candidate list from the nav (statuses,
the gap of the near firm), then enterprise X reads its own results for the three tiers."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from gongxin.core.testing import PASSWORD
from gongxin.evaluation.tests.test_tiers import registry  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser
DOCS = Path(settings.BASE_DIR).parent / "docs" / "screenshots"
ON = "2026-06-30"  # the registry's figures are of data year 2025


def keep(page, name: str) -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=DOCS / f"{name}.png", full_page=True)


def test_the_analyst_reads_the_candidates_and_enterprise_x_its_own_results(
    page,
    people,
    registry,  # noqa: F811
    login_page,
    broken_assets,
    second_user,
):
    login_page("analyst", PASSWORD)
    page.get_by_role("link", name="候选名单").click()
    page.locator("input[name=on]").fill(ON)
    page.get_by_role("button", name="查询").click()
    rows = page.locator("#candidates tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.first).to_contain_text("甲精密机械有限公司")
    expect(rows.first).to_contain_text("待人工审核")
    expect(rows.nth(1)).to_contain_text("差100万元")
    keep(page, "cultivation-candidates")

    other = second_user("enterprise_x", PASSWORD)
    other.get_by_role("link", name="梯度培育自评").click()
    other.goto(f"{other.url}?on={ON}")
    expect(other.locator("#tier-summary .stat")).to_have_count(3)
    expect(other.locator("#result-srdi")).to_contain_text("待人工审核")
    expect(other.locator("body")).not_to_contain_text("乙新材料有限公司")
    keep(other, "cultivation-mine")
    assert broken_assets == []
