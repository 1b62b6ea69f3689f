from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from gongxin.accounts.models import User
from gongxin.core.models import AuditEvent


def test_the_first_system_administrator_is_created_from_the_command_line(db):
    out = io.StringIO()
    call_command(
        "create_admin", "root-sys", "--role", "sysadmin", "--password", "Gx-root-2026!", stdout=out
    )
    user = User.objects.get(username="root-sys")
    assert user.role == "sysadmin" and not user.is_superuser and not user.must_change_password
    assert "动态口令密钥" in out.getvalue()
    assert user.totpdevice_set.filter(confirmed=True).count() == 1
    assert AuditEvent.objects.filter(action="user.create", actor_username="system").exists()


def test_a_weak_password_is_refused_by_the_command(db):
    with pytest.raises(CommandError, match="密码"):
        call_command("create_admin", "root-sys", "--role", "sysadmin", "--password", "short")
    assert not User.objects.exists()


def test_business_roles_cannot_be_created_as_administrators(db):
    with pytest.raises(CommandError):
        call_command("create_admin", "x", "--role", "supervisor", "--password", "Gx-root-2026!")
