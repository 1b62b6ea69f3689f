"""`gongxin demo` and `gongxin demo_totp`: demo data from the seeds, one login per role."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice
from stdnum.cn import uscc

from gongxin.accounts.choices import ADMIN_ROLES, Role, UnitKind
from gongxin.accounts.models import Leader, Unit, UnitAlias, User
from gongxin.accounts.services import resolve_unit
from gongxin.core.errors import ServiceError
from gongxin.core.models import AuditEvent
from gongxin.demo.services import DEMO_USERS, build_demo

pytestmark = pytest.mark.django_db

demo_mode = override_settings(GONGXIN_DEMO=True)


@pytest.fixture(autouse=True)
def _no_panel(request, monkeypatch):
    """The synthetic panel (tested in test_panel.py) takes seconds to build; these stories
    are about units, leaders, logins and the plan, except the one marked `with_panel`."""
    if "with_panel" not in request.keywords:
        monkeypatch.setattr("gongxin.demo.services.load_panel", lambda actor=None: {})


@pytest.mark.with_panel
def test_the_demo_loads_the_calibrated_panel_and_releases_its_months():
    from gongxin.monitoring.models import MonthlyStat, PeriodRelease

    output = run_demo_command()
    assert "演示企业面板（模拟数据，按2024年工作总结校准" in output and "规上企业 1166 家" in output
    assert (
        PeriodRelease.objects.count()
        == MonthlyStat.objects.values("period").distinct().count()
        == 24
    )


def run_demo_command() -> str:
    out = io.StringIO()
    with demo_mode:
        call_command("demo", stdout=out)
    return out.getvalue()


def printed_logins(output: str) -> dict[str, str]:
    return dict(re.findall(r"用户名 (\S+)  密码 (\S+)", output))


def organisation() -> tuple[list, list, list]:
    return (
        list(Unit.objects.order_by("pk").values()),
        list(UnitAlias.objects.order_by("pk").values()),
        list(Leader.objects.order_by("pk").values()),
    )


@demo_mode
def test_units_and_leaders_come_from_the_seed_table():
    build_demo()
    assert Leader.objects.filter(name="隋斌").exists()
    assert Leader.objects.count() == 10
    bureau = Unit.objects.get(name="区工业和信息化局")
    assert bureau.kind == UnitKind.BUREAU
    for written in ["区工信局", "工信局", "新区工信局"]:
        assert resolve_unit(written) == bureau
    assert (
        resolve_unit("发改局")
        == resolve_unit("区发改局")
        == Unit.objects.get(name="区发展和改革局")
    )
    assert resolve_unit("教体局").name == "区教育和体育局"
    assert resolve_unit("品牌发展中心").name == "区新经济发展促进中心"
    assert Unit.objects.get(name="古镇口核心区").kind == UnitKind.ZONE
    assert Unit.objects.get(name="校地融合办").kind == UnitKind.DEPARTMENT
    assert not Unit.objects.filter(name__startswith="各").exists()


@demo_mode
def test_every_demo_change_is_audited_as_the_system():
    build_demo()
    created = AuditEvent.objects.filter(action="unit.create")
    assert created.count() == Unit.objects.count()
    assert set(created.values_list("actor_username", flat=True)) == {"system"}
    assert AuditEvent.objects.filter(action="leader.create").count() == Leader.objects.count()
    assert AuditEvent.objects.filter(action="user.create").count() == len(DEMO_USERS)


@demo_mode
def test_running_the_demo_again_changes_no_unit_or_leader():
    build_demo()
    before = organisation()
    again = build_demo()
    assert (again.units_created, again.aliases_created, again.leaders_created) == (0, 0, 0)
    assert organisation() == before


@demo_mode
def test_there_is_one_demo_login_per_role_bound_as_the_role_needs():
    build_demo()
    users = {spec.username: User.objects.get(username=spec.username) for spec in DEMO_USERS}
    assert {user.role for user in users.values()} == set(Role)
    assert users["demo_leader"].leader.name == "隋斌"
    assert users["demo_reporter"].unit.name == "区工业和信息化局"
    assert users["demo_reporter2"].unit.name == "区发展和改革局"
    assert uscc.is_valid(users["demo_enterprise"].uscc)
    assert not any(user.must_change_password for user in users.values())
    for user in users.values():
        assert TOTPDevice.objects.filter(user=user).exists() == (user.role in ADMIN_ROLES)


def test_the_command_prints_working_logins_and_the_admins_totp_secrets():
    output = run_demo_command()
    logins = printed_logins(output)
    assert set(logins) == {spec.username for spec in DEMO_USERS}
    for username, password in logins.items():
        assert User.objects.get(username=username).check_password(password)
    assert output.count("动态口令密钥") == len(ADMIN_ROLES)
    assert "demo_totp demo_sysadmin" in output


def test_running_the_command_again_gives_fresh_passwords_and_totp_secrets():
    first = run_demo_command()
    second = run_demo_command()
    old, new = printed_logins(first), printed_logins(second)
    assert set(old) == set(new)
    for username in new:
        assert old[username] != new[username]
        user = User.objects.get(username=username)
        assert user.check_password(new[username])
        assert not user.must_change_password
    secrets = re.compile(r"动态口令密钥 (\S+)")
    assert set(secrets.findall(first)).isdisjoint(secrets.findall(second))


def test_a_demo_user_signs_in_through_the_login_form_without_a_forced_password_change(client):
    password = printed_logins(run_demo_command())["demo_supervisor"]
    response = client.post(
        reverse("accounts:login"), {"username": "demo_supervisor", "password": password}
    )
    assert response.status_code == 302
    home = client.get(reverse("core:home"))
    assert home.status_code == 200
    assert "待审核进展" in home.content.decode()


def test_demo_totp_prints_the_code_the_login_accepts():
    run_demo_command()
    out = io.StringIO()
    with demo_mode:
        call_command("demo_totp", "demo_sysadmin", stdout=out)
    code = out.getvalue().strip()
    assert re.fullmatch(r"\d{6}", code)
    assert match_token(User.objects.get(username="demo_sysadmin"), code) is not None


def test_demo_totp_knows_only_administrators():
    run_demo_command()
    with demo_mode, pytest.raises(CommandError, match="没有动态口令设备"):
        call_command("demo_totp", "demo_supervisor", stdout=io.StringIO())


@override_settings(GONGXIN_DEMO=False)
def test_the_demo_commands_refuse_outside_demo_mode():
    with pytest.raises(CommandError, match="GONGXIN_DEMO=1"):
        call_command("demo", stdout=io.StringIO())
    with pytest.raises(CommandError, match="GONGXIN_DEMO=1"):
        call_command("demo_totp", "demo_sysadmin", stdout=io.StringIO())
    with pytest.raises(ServiceError):
        build_demo()
    assert not User.objects.exists()
    assert not Unit.objects.exists()
