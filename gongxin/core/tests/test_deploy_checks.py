"""`gongxin check --deploy` reports every 等保 setting that falls short of its default."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.checks import run_checks
from django.test import override_settings


def check_ids() -> set[str]:
    return {m.id for m in run_checks(include_deployment_checks=True) if m.id.startswith("gongxin.")}


@override_settings(SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True, GONGXIN_DEMO=False)
def test_the_defaults_pass_the_dengbao_checks():
    assert check_ids() == set()


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"SESSION_IDLE_TIMEOUT": 3600}, "gongxin.W001"),
        ({"SESSION_ABSOLUTE_LIFETIME": 24 * 3600}, "gongxin.W002"),
        ({"AXES_FAILURE_LIMIT": 10}, "gongxin.W003"),
        ({"AXES_LOCKOUT_PARAMETERS": ["ip_address"]}, "gongxin.W003"),
        ({"AXES_COOLOFF_TIME": timedelta(minutes=5)}, "gongxin.W004"),
        ({"PASSWORD_MIN_LENGTH": 6}, "gongxin.E002"),
        ({"AUTH_PASSWORD_VALIDATORS": []}, "gongxin.E002"),
        ({"ADMIN_SECOND_FACTOR_REQUIRED": False}, "gongxin.E003"),
        ({"AUDIT_RETENTION_DAYS": 90}, "gongxin.E004"),
        ({"SESSION_COOKIE_SECURE": False}, "gongxin.W005"),
        ({"GONGXIN_DEMO": True}, "gongxin.E006"),
    ],
)
def test_a_weakened_setting_is_reported(overrides, expected):
    base = {"SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True, "GONGXIN_DEMO": False}
    with override_settings(**{**base, **overrides}):
        assert expected in check_ids()
