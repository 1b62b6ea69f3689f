"""Policies in chromium: an enterprise opens its 政策推荐 inbox and reads why it qualifies."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from gongxin.core.testing import PASSWORD, USCC_X
from gongxin.policies import delivery
from gongxin.policies.models import Match
from gongxin.policies.tests.test_library import kmh_matches

pytestmark = pytest.mark.browser


@pytest.fixture
def matched(people):
    clause = kmh_matches(people["analyst"])
    match = Match.objects.get(clause=clause, enterprise__uscc=USCC_X)
    delivery.push_match(people["supervisor"], match, "inbox", "请于5月底前提交申报材料。")
    return match


def test_an_enterprise_reads_the_explanation_of_its_matched_policy(
    page, live_server, matched, login_page, screenshot, broken_assets
):
    login_page("enterprise_x", PASSWORD)
    expect(page.get_by_text("可享受的政策 1 项")).to_be_visible()
    page.get_by_role("link", name="政策推荐").click()
    item = page.locator(f"#match-{matched.pk}")
    expect(item).to_contain_text("工业经济“开门红”奖励（2024年）")
    expect(item).to_contain_text("【符合条件】")
    expect(item.locator("ul.reasons li").first).to_have_text(
        "一季度新增工业产值（企业申报）4亿元，高于3亿元 ✓"
    )
    expect(item).to_contain_text("最高100万元")
    expect(item).to_contain_text("请于5月底前提交申报材料。")
    expect(page.get_by_text("青岛乙食品有限公司")).to_have_count(0)
    screenshot("policy-inbox")
    assert broken_assets == []
    matched.pushes.get().refresh_from_db()
    assert matched.pushes.get().read_at is not None
