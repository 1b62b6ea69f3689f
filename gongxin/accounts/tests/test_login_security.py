"""等保 sign-in rules: lockout by username, session timeouts, the administrators' TOTP."""

from __future__ import annotations

import time

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongxin.accounts import middleware
from gongxin.accounts.models import User
from gongxin.core.models import AuditEvent
from gongxin.core.testing import PASSWORD, login_as

LOGIN = "/accounts/login/"


def post_login(client, username, password, ip="10.0.0.1", token=""):
    return client.post(
        LOGIN, {"username": username, "password": password, "otp_token": token}, REMOTE_ADDR=ip
    )


def signed_in_as(client) -> str | None:
    response = client.get("/api/me/")
    return response.json()["username"] if response.status_code == 200 else None


def current_code(user) -> str:
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key):06d}"


def test_correct_password_signs_in_and_is_audited(client, personas):
    response = post_login(client, "supervisor", PASSWORD)
    assert response.status_code == 302
    assert signed_in_as(client) == "supervisor"
    assert AuditEvent.objects.filter(action="auth.login", actor_username="supervisor").count() == 1


def test_failed_login_is_audited_with_the_username_tried(client, personas):
    response = post_login(client, "supervisor", "wrong")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.actor_username == "supervisor"
    assert event.ip == "10.0.0.1"


def test_five_failures_from_different_addresses_lock_the_username(client, personas):
    for attempt in range(5):
        post_login(client, "supervisor", "wrong", ip=f"10.0.{attempt}.9")
    response = post_login(client, "supervisor", PASSWORD, ip="10.9.9.9")
    assert response.status_code == 403
    assert "账号已被锁定" in response.content.decode()
    assert signed_in_as(client) is None


def test_four_failures_do_not_lock(client, personas):
    for _ in range(4):
        post_login(client, "supervisor", "wrong")
    assert post_login(client, "supervisor", PASSWORD).status_code == 302


def test_failures_of_colleagues_behind_one_address_do_not_lock_another_user(client, personas):
    for _ in range(5):
        post_login(client, "analyst", "wrong", ip="10.1.1.1")
    response = post_login(client, "supervisor", PASSWORD, ip="10.1.1.1")
    assert response.status_code == 302
    assert signed_in_as(client) == "supervisor"


def test_security_administrator_unlocks_a_locked_user(client, client_for, personas):
    for _ in range(5):
        post_login(client, "supervisor", "wrong")
    admin = client_for("secadmin")
    page = admin.get(reverse("accounts:lockout_list")).content.decode()
    assert "supervisor" in page
    admin.post(reverse("accounts:user_unlock", args=[personas["supervisor"].pk]))
    assert AuditEvent.objects.filter(
        action="user.unlock", object_repr__contains="supervisor"
    ).exists()
    admin.logout()
    assert post_login(client, "supervisor", PASSWORD).status_code == 302


@override_settings(SESSION_IDLE_TIMEOUT=30 * 60)
def test_idle_session_ends_after_thirty_minutes(client, personas):
    post_login(client, "supervisor", PASSWORD)
    session = client.session
    session[middleware.LAST_SEEN] = time.time() - 31 * 60
    session.save()
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert signed_in_as(client) is None
    logout = AuditEvent.objects.get(action="auth.logout")
    assert "30分钟未操作" in logout.reason


def test_activity_within_the_idle_limit_keeps_the_session(client, personas):
    post_login(client, "supervisor", PASSWORD)
    session = client.session
    session[middleware.LAST_SEEN] = time.time() - 29 * 60
    session.save()
    assert client.get(reverse("core:home")).status_code == 200


@override_settings(SESSION_ABSOLUTE_LIFETIME=8 * 3600)
def test_a_busy_session_still_ends_at_its_absolute_lifetime(client, personas):
    post_login(client, "supervisor", PASSWORD)
    session = client.session
    session[middleware.LOGIN_AT] = time.time() - 8 * 3600 - 60
    session.save()
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert signed_in_as(client) is None


@pytest.mark.parametrize("admin", ["sysadmin", "secadmin", "auditadmin"])
def test_administrator_cannot_sign_in_without_the_second_factor(client, personas, admin):
    response = post_login(client, admin, PASSWORD)
    assert response.status_code == 200
    assert "动态口令" in response.content.decode()
    assert signed_in_as(client) is None
    assert client.get(reverse("core:home")).status_code == 302
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.actor_username == admin


def test_administrator_with_a_wrong_code_is_refused_and_it_counts_for_the_lockout(client, personas):
    user = personas["sysadmin"]
    wrong = f"{(int(current_code(user)) + 1) % 1_000_000:06d}"
    for _ in range(5):
        post_login(client, "sysadmin", PASSWORD, token=wrong)
    response = post_login(client, "sysadmin", PASSWORD, token=current_code(user))
    assert response.status_code == 403
    assert "账号已被锁定" in response.content.decode()


def test_administrator_with_the_current_code_signs_in(client, personas):
    user = personas["sysadmin"]
    response = post_login(client, "sysadmin", PASSWORD, token=current_code(user))
    assert response.status_code == 302
    assert client.get(reverse("accounts:user_list")).status_code == 200


def test_an_administrator_session_without_the_second_factor_is_ended(client, personas):
    client.force_login(personas["sysadmin"])  # password only, no TOTP verification
    response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


@pytest.mark.parametrize("admin", ["sysadmin", "secadmin", "auditadmin"])
def test_administrators_have_no_access_to_business_data(client, personas, admin):
    login_as(client, personas[admin])
    assert client.get("/api/me/").status_code == 403
    assert client.get("/api/units/").status_code == 403
    home = client.get(reverse("core:home")).content.decode()
    assert "待审核进展" not in home and "我分管的事项" not in home


def test_there_is_no_superuser_path(db):
    with pytest.raises(PermissionError):
        User.objects.create_superuser("root", "", "Xx-12345678")
    assert not User.objects.filter(is_superuser=True).exists()


def test_logout_is_audited(client, personas):
    post_login(client, "supervisor", PASSWORD)
    client.post(reverse("accounts:logout"))
    assert signed_in_as(client) is None
    assert AuditEvent.objects.filter(action="auth.logout", actor_username="supervisor").exists()
