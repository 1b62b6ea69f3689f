"""Signing in through the real login form, as people do, in chromium."""

from __future__ import annotations

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from gongxin.core.testing import PASSWORD

pytestmark = pytest.mark.browser

BRAND_BLUE = "rgb(31, 78, 156)"  # --brand in gongxin/static/gongxin/css/app.css


def current_code(user) -> str:
    device = TOTPDevice.objects.get(user=user)
    return str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)).zfill(
        device.digits
    )


def test_supervisor_signs_in_and_sees_the_role_cards_and_the_navigation(
    page, live_server, people, login_page, screenshot, broken_assets
):
    expect(page.get_by_role("button", name="登录")).to_be_visible()
    expect(page.locator(".topbar"), "app.css 未加载：页面没有样式").to_have_css(
        "background-color", BRAND_BLUE
    )
    expect(page.locator(".login-title")).to_have_text("产业大数据决策与服务平台")
    screenshot("login")

    login_page("supervisor", PASSWORD)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator(".topbar .role-tag")).to_have_text("督查人员")
    cards = page.locator(".cards .todo-card h2")
    expect(cards.first).to_contain_text("尚无督办计划")  # no plan yet: the card says how to start
    nav = page.get_by_role("navigation", name="主导航")
    expect(nav.get_by_role("link", name="首页")).to_have_class(re.compile(r"\bactive\b"))
    expect(nav.get_by_role("link", name="用户管理")).to_have_count(0)
    screenshot("supervisor-home")
    assert broken_assets == []


def test_system_administrator_signs_in_with_the_totp_code_and_opens_user_administration(
    page, live_server, people, login_page, screenshot, broken_assets
):
    login_page("sysadmin", PASSWORD, current_code(people["sysadmin"]))

    expect(page).to_have_url(f"{live_server.url}/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="用户管理").click()

    expect(page).to_have_url(f"{live_server.url}/accounts/admin/users/")
    expect(page.locator("h1.page-title")).to_have_text("用户管理")
    table = page.locator("#users table.data")
    expect(table.locator("tbody tr")).to_have_count(len(people))
    expect(page.get_by_role("link", name="导出Excel")).to_be_visible()
    expect(page.get_by_role("button", name="查询")).to_be_visible()
    screenshot("user-admin")

    page.get_by_label("角色").select_option(label="督查人员")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody")).to_contain_text("supervisor")
    expect(page).to_have_url(re.compile(r"role=supervisor"))
    assert broken_assets == []


def test_an_administrator_without_the_totp_code_is_refused(page, live_server, people, login_page):
    login_page("sysadmin", PASSWORD)

    expect(page.locator(".form-errors")).to_contain_text("管理员登录须填写正确的动态口令。")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.goto(f"{live_server.url}/accounts/admin/users/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
