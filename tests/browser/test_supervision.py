"""The month of supervision in chromium: a unit reporter acknowledges and reports with an
attachment, the leader writes an instruction, the supervisor marks the item 欠进度; the
overview's counts and lights change; the 通报 and the monthly table download."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

import gongxin.demo
from gongxin.accounts import services as accounts
from gongxin.core.imports import services as imports
from gongxin.core.testing import PASSWORD
from gongxin.supervision.models import Evidence, Instruction, Item, ProgressReport

pytestmark = pytest.mark.browser

SEED = next((Path(gongxin.demo.__file__).parent / "seeds").glob("003_*.txt"))


@pytest.fixture
def plan(people):
    # The personas' units are named in full; the seed writes 区工信局 and 发改局.
    accounts.add_alias(None, people.unit_a, "区工信局")
    accounts.add_alias(None, people.unit_a, "工信局")
    accounts.add_alias(None, people.unit_b, "发改局")
    result = imports.run_import(
        "supervision", SEED.name, SEED.read_text(encoding="utf-8").encode(), commit=True
    )
    assert result["errors"] == []
    return Item.objects.get(seq=1).plan


def sign_out(page):
    page.get_by_role("button", name="退出").click()


def stat(page, label: str):
    return page.locator(".stat", has_text=label).locator(".n")


def test_a_month_of_supervision(page, live_server, plan, login_page, screenshot, tmp_path):
    item = Item.objects.get(seq=1)
    # --- the unit reporter of 区工业和信息化局 acknowledges and reports, with evidence
    login_page("reporter_a", PASSWORD)
    expect(page.locator(".todo-card", has_text="待签收事项").locator(".badge")).not_to_have_text(
        "0"
    )
    page.goto(f"{live_server.url}/supervision/items/{item.pk}/?period=2021-04")
    page.get_by_role("button", name="签收").click()
    expect(page.locator(".messages")).to_contain_text("已签收第1项")
    page.get_by_role("link", name="报送2021年4月进展").click()
    evidence = tmp_path / "座谈会纪要.txt"
    evidence.write_text("新区科技座谈会纪要", encoding="utf-8")
    page.get_by_label("推进情况").fill(
        "欠进度。1.科技座谈会推迟至5月召开。\n2.政策文件正在征求意见。"
    )
    page.get_by_label("佐证材料").set_input_files(str(evidence))
    screenshot("supervision-progress-form")
    page.get_by_role("button", name="报送", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("推进情况已报送")
    expect(page.locator(".report").first).to_contain_text("科技座谈会推迟至5月召开")
    expect(page.get_by_role("link", name="座谈会纪要.txt")).to_be_visible()
    report = ProgressReport.objects.get(item=item, period="2021-04")
    assert report.claimed_status == "behind" and Evidence.objects.filter(report=report).count() == 1
    sign_out(page)

    # --- the leader writes an instruction
    login_page("leader", PASSWORD)
    page.goto(f"{live_server.url}/supervision/items/{item.pk}/?period=2021-04")
    page.get_by_label("批示内容").fill("请加快推进，5月底前召开座谈会。")
    page.get_by_role("button", name="发送批示").click()
    expect(page.locator(".instruction")).to_contain_text("5月底前召开座谈会")
    assert Instruction.objects.filter(item=item).count() == 1
    sign_out(page)

    # --- the supervisor reviews: 欠进度; the overview changes
    login_page("supervisor", PASSWORD)
    overview = f"{live_server.url}/supervision/plans/{plan.pk}/?period=2021-04"
    page.goto(overview)
    expect(stat(page, "欠进度")).to_have_text("1")  # the unit's own claim, as a suggestion
    expect(stat(page, "黄灯")).to_have_text("1")
    page.goto(f"{live_server.url}/supervision/items/{item.pk}/?period=2021-04")
    page.get_by_label("审核状态").select_option(label="欠进度")
    page.get_by_label("审核意见").fill("座谈会未按期召开")
    page.get_by_role("button", name="保存审核结果").click()
    expect(page.locator(".kv")).to_contain_text("欠进度")
    page.goto(overview)
    expect(stat(page, "欠进度")).to_have_text("1")
    expect(stat(page, "黄灯")).to_have_text("1")
    expect(stat(page, "达进度")).to_have_text("26")
    screenshot("supervision-overview")

    with page.expect_download() as bulletin:
        page.get_by_role("link", name="生成通报").click()
    assert bulletin.value.suggested_filename.endswith("推进情况通报.docx")
    with page.expect_download() as table:
        page.get_by_role("link", name="推进情况表（Excel）").click()
    assert table.value.suggested_filename.endswith(".xlsx")
