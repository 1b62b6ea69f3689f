"""The system administrator's pages: users, roles, units, aliases, exports."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from gongxin.accounts import services
from gongxin.accounts.choices import Role, UnitKind
from gongxin.accounts.models import Unit, UnitAlias, User
from gongxin.core.errors import ServiceError
from gongxin.core.models import AuditEvent


def new_user(**fields):
    data = {
        "username": "zhangsan",
        "name": "张三",
        "role": Role.REPORTER,
        "password": "Gx-first-2026!",
        "is_active": "on",
    }
    data.update(fields)
    return data


def test_creating_a_reporter_requires_a_unit(client_for):
    page = client_for("sysadmin").post(reverse("accounts:user_create"), new_user())
    assert "责任单位填报人须指定所在单位" in page.content.decode()
    assert not User.objects.filter(username="zhangsan").exists()


def test_a_new_reporter_is_audited_and_must_change_the_initial_password(client_for, personas):
    client_for("sysadmin").post(reverse("accounts:user_create"), new_user(unit=personas.unit_a.pk))
    user = User.objects.get(username="zhangsan")
    assert user.unit == personas.unit_a
    assert user.must_change_password
    event = AuditEvent.objects.get(action="user.create")
    assert event.after["role"] == "reporter" and "password" not in event.after


def test_a_weak_initial_password_is_refused_in_chinese(client_for, personas):
    page = client_for("sysadmin").post(
        reverse("accounts:user_create"), new_user(unit=personas.unit_a.pk, password="abc")
    )
    assert "密码须至少包含" in page.content.decode()


def test_a_new_administrator_gets_a_totp_secret_shown_once(client_for):
    page = client_for("sysadmin").post(
        reverse("accounts:user_create"), new_user(role=Role.AUDITADMIN)
    )
    text = page.content.decode()
    assert "身份验证器" in text and "otpauth://totp/" in text
    assert User.objects.get(username="zhangsan").totpdevice_set.count() == 1


def test_a_stale_edit_gets_a_conflict_message_not_an_overwrite(client_for, personas):
    target = personas["reporter_a"]
    client = client_for("sysadmin")
    form = {
        "username": target.username,
        "name": "新名字",
        "role": Role.REPORTER,
        "unit": personas.unit_a.pk,
        "is_active": "on",
        "version": target.version,
    }
    services.update_user(personas["sysadmin"], target, name="别人先改了")
    page = client.post(reverse("accounts:user_edit", args=[target.pk]), form)
    assert "已被他人修改" in page.content.decode()
    target.refresh_from_db()
    assert target.name == "别人先改了"


def test_a_role_change_is_audited_as_such(client_for, personas):
    target = personas["analyst"]
    client_for("sysadmin").post(
        reverse("accounts:user_edit", args=[target.pk]),
        {
            "username": target.username,
            "name": target.name,
            "role": Role.SUPERVISOR,
            "is_active": "on",
            "version": target.version,
        },
    )
    event = AuditEvent.objects.get(action="user.role_change")
    assert event.before == {"role": "analyst"} and event.after == {"role": "supervisor"}


def test_an_alias_added_through_htmx_resolves_to_the_unit(client_for, personas):
    client = client_for("sysadmin")
    fragment = client.post(
        reverse("accounts:alias_add", args=[personas.unit_a.pk]),
        {"alias": "区工信局"},
        headers={"HX-Request": "true"},
    )
    assert "区工信局" in fragment.content.decode() and "<html" not in fragment.content.decode()
    assert services.resolve_unit("区 工信局") == personas.unit_a
    again = client.post(
        reverse("accounts:alias_add", args=[personas.unit_b.pk]),
        {"alias": "区工信局"},
        headers={"HX-Request": "true"},
    )
    assert "已指向“区工业和信息化局”" in again.content.decode()
    assert UnitAlias.objects.count() == 1


def test_a_unit_cannot_be_its_own_ancestor(personas):
    child = services.create_unit(
        None, name="区工信局办公室", kind=UnitKind.BUREAU_DEPT, parent=personas.unit_a
    )
    with pytest.raises(ServiceError, match="上级单位不能是本单位或其下级单位"):
        services.update_unit(None, personas.unit_a, parent=child)
    assert Unit.objects.get(pk=personas.unit_a.pk).parent is None


def test_the_user_list_filters_and_exports_what_it_shows(client_for, personas):
    User.objects.filter(pk=personas["reporter_b"].pk).update(name='=HYPERLINK("http://x")')
    client = client_for("sysadmin")
    page = client.get(reverse("accounts:user_list"), {"role": Role.REPORTER}).content.decode()
    assert ">reporter_a</a>" in page and ">supervisor</a>" not in page
    export = client.get(reverse("accounts:user_list"), {"role": Role.REPORTER, "export": "xlsx"})
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(export.content)).get_sheet_by_index(0).to_python()
    )
    assert rows[0][:3] == ["用户名", "姓名", "角色"]
    assert sorted(r[0] for r in rows[1:]) == ["reporter_a", "reporter_b"]
    names = {r[0]: r[1] for r in rows[1:]}
    assert names["reporter_b"].startswith("'=")  # not a live formula


def test_an_enterprise_user_is_bound_to_a_valid_credit_code(client_for):
    client = client_for("sysadmin")
    page = client.post(
        reverse("accounts:user_create"), new_user(role=Role.ENTERPRISE, uscc="91370211264123450D")
    )
    assert "校验位错误" in page.content.decode()
    client.post(
        reverse("accounts:user_create"), new_user(role=Role.ENTERPRISE, uscc="91370211264123450c")
    )
    assert User.objects.get(username="zhangsan").uscc == "91370211264123450C"
