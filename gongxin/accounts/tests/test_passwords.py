"""Password rules: complexity, history, reset by an administrator, forced change, expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from gongxin.accounts import services
from gongxin.accounts.models import User
from gongxin.core.models import AuditEvent
from gongxin.core.testing import PASSWORD

CHANGE = reverse("accounts:password_change")


@pytest.mark.parametrize(
    "weak",
    ["Ab1!", "alllowercase", "Lowerandupper", "lower1234567"],
    ids=["too-short", "one-class", "two-classes", "two-classes-digits"],
)
def test_weak_passwords_are_refused(personas, weak):
    with pytest.raises(ValidationError):
        services.change_own_password(personas["supervisor"], PASSWORD, weak)


def test_three_character_classes_are_enough(personas):
    services.change_own_password(personas["supervisor"], PASSWORD, "Gongxin2026plan")
    personas["supervisor"].refresh_from_db()
    assert personas["supervisor"].check_password("Gongxin2026plan")


def test_the_last_five_passwords_cannot_be_reused(personas):
    user = personas["supervisor"]
    current = PASSWORD
    history = [f"Gx-round-{n}-2026" for n in range(5)]
    for new in history:
        services.change_own_password(user, current, new)
        user.refresh_from_db()
        current = new
    with pytest.raises(ValidationError, match="最近5次"):
        services.change_own_password(user, current, history[0])
    services.change_own_password(user, current, PASSWORD)  # six changes ago: allowed again


def test_wrong_old_password_is_refused_on_the_page(client_for, personas):
    client = client_for("supervisor")
    response = client.post(
        CHANGE,
        {"old_password": "nope", "new_password1": "Gx-new-2026!", "new_password2": "Gx-new-2026!"},
    )
    assert "原密码不正确" in response.content.decode()


def test_administrator_reset_forces_a_change_at_next_sign_in(client, client_for, personas):
    admin = client_for("sysadmin")
    target = personas["reporter_a"]
    page = admin.post(reverse("accounts:user_reset_password", args=[target.pk])).content.decode()
    target.refresh_from_db()
    assert target.must_change_password
    temporary = page.split('<code class="secret">')[1].split("</code>")[0]
    assert target.check_password(temporary)
    assert AuditEvent.objects.filter(
        action="user.password_reset", object_id=str(target.pk)
    ).exists()
    admin.logout()

    client.post("/accounts/login/", {"username": "reporter_a", "password": temporary})
    assert client.get(reverse("core:home"))["Location"] == CHANGE
    client.post(
        CHANGE,
        {
            "old_password": temporary,
            "new_password1": "Gx-mine-2026!",
            "new_password2": "Gx-mine-2026!",
        },
    )
    assert client.get(reverse("core:home")).status_code == 200


@override_settings(PASSWORD_MAX_AGE_DAYS=90)
def test_a_password_older_than_ninety_days_must_be_changed(client_for, personas):
    User.objects.filter(pk=personas["analyst"].pk).update(
        password_changed_at=timezone.now() - timedelta(days=91)
    )
    client = client_for("analyst")
    assert client.get(reverse("core:home"))["Location"] == CHANGE
