"""Playwright (pytest-playwright) driving Debian's chromium against pytest-django's live
server. The browser is never downloaded (`playwright install` is not used): a missing
chromium or CJK font fails the run with what to install, it never skips."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from gongxin.core.testing import make_personas

# Playwright's sync API runs an event loop in the test thread, so Django refuses ORM calls
# there unless told they are safe; they are: the tests and the live server take turns.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(settings.VAR_DIR) / "screenshots"


def _has_cjk_font() -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    found = subprocess.run(  # noqa: S603  (fixed argument list, no shell)
        [fc_list, ":lang=zh", "family"], capture_output=True, text=True, check=False
    )
    return bool(found.stdout.strip())


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail(
            "chromium 未安装：浏览器测试使用 Debian 的 chromium。"
            "请执行 apt-get install chromium fonts-noto-cjk（make test 会自动安装）。",
            pytrace=False,
        )
    if not _has_cjk_font():
        pytest.fail(
            "没有中文字体，截图中的汉字会显示为方框：请执行 apt-get install fonts-noto-cjk。",
            pytrace=False,
        )
    return {**browser_type_launch_args, "executable_path": chromium, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(live_server):
    """The live server, so pages can be opened by path. Defining it here also replaces
    pytest-playwright's fallback fixture, a session-scoped fixture written as an instance
    method, which pytest 9 reports as a PytestRemovedIn10Warning (an error here)."""
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": {"width": 1366, "height": 768},
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
    }


@pytest.fixture
def people(transactional_db):
    """The shared personas, committed so the live server's thread sees them."""
    return make_personas()


@pytest.fixture
def screenshot(page):
    """screenshot("login") saves the whole page as var/screenshots/login.png."""

    def take(name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take


@pytest.fixture
def broken_assets(page):
    """Static files the pages asked for and did not get (an unstyled page still "works")."""
    failed: list[str] = []

    def check(response) -> None:
        if "/static/" in response.url and response.status >= 400:
            failed.append(f"{response.status} {response.url}")

    page.on("response", check)
    return failed


@pytest.fixture
def login_page(page, live_server):
    """Opens the login page; returns a function that fills and submits the real form."""

    def sign_in(username: str, password: str, otp_token: str = "") -> None:
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password)
        if otp_token:
            page.get_by_label("动态口令").fill(otp_token)
        page.get_by_role("button", name="登录").click()

    page.goto(f"{live_server.url}/accounts/login/")
    return sign_in


@pytest.fixture
def second_user(browser, live_server):
    """Signs another user in, in a browser context of their own (separate cookies), and
    returns that page; the contexts close after the test."""
    contexts = []

    def sign_in(username: str, password: str):
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
        contexts.append(context)
        other = context.new_page()
        other.goto(f"{live_server.url}/accounts/login/")
        other.get_by_label("用户名").fill(username)
        other.get_by_label("密码").fill(password)
        other.get_by_role("button", name="登录").click()
        return other

    yield sign_in
    for context in contexts:
        context.close()
