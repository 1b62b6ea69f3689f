"""Named test personas, one per role, shared by every app's tests (STYLE.md)."""

from __future__ import annotations

from dataclasses import dataclass

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongxin.accounts.choices import ADMIN_ROLES, Role
from gongxin.accounts.models import Leader, Unit, User

PASSWORD = "Gx-test-2026!"  # noqa: S105  (test personas only)
USCC_X = "91370211264123450C"
USCC_Y = "91370211163578907W"


@dataclass(frozen=True)
class PersonaSpec:
    username: str
    name: str
    role: str


SPECS = {
    "supervisor": PersonaSpec("supervisor", "督查科 王督查", Role.SUPERVISOR),
    "leader": PersonaSpec("leader", "隋斌", Role.LEADER),
    "reporter_a": PersonaSpec("reporter_a", "工信局 李填报", Role.REPORTER),
    "reporter_b": PersonaSpec("reporter_b", "发改局 赵填报", Role.REPORTER),
    "analyst": PersonaSpec("analyst", "统计科 钱分析", Role.ANALYST),
    "enterprise_x": PersonaSpec("enterprise_x", "企业X 联络员", Role.ENTERPRISE),
    "enterprise_y": PersonaSpec("enterprise_y", "企业Y 联络员", Role.ENTERPRISE),
    "sysadmin": PersonaSpec("sysadmin", "系统管理员", Role.SYSADMIN),
    "secadmin": PersonaSpec("secadmin", "安全管理员", Role.SECADMIN),
    "auditadmin": PersonaSpec("auditadmin", "审计管理员", Role.AUDITADMIN),
}
PERSONAS = list(SPECS)


class Personas(dict):
    """persona name → User; `.unit_a`, `.unit_b` are the reporters' units."""

    unit_a: Unit
    unit_b: Unit


def make_personas() -> Personas:
    unit_a, _ = Unit.objects.get_or_create(
        name="区工业和信息化局", defaults={"short_name": "工信局"}
    )
    unit_b, _ = Unit.objects.get_or_create(name="区发展和改革局", defaults={"short_name": "发改局"})
    leader, _ = Leader.objects.get_or_create(name="隋斌", defaults={"title": "副区长"})
    people = Personas()
    for key, spec in SPECS.items():
        user = User(username=spec.username, name=spec.name, role=spec.role)
        if key == "reporter_a":
            user.unit = unit_a
        elif key == "reporter_b":
            user.unit = unit_b
        elif key == "leader":
            user.leader = leader
        elif key == "enterprise_x":
            user.uscc = USCC_X
        elif key == "enterprise_y":
            user.uscc = USCC_Y
        user.set_password(PASSWORD)
        user.save()
        if spec.role in ADMIN_ROLES:
            TOTPDevice.objects.create(user=user, name="动态口令", confirmed=True)
        people[key] = user
    people.unit_a, people.unit_b = unit_a, unit_b
    return people


def login_as(client, user) -> None:
    """Signs a test client in; administrators also pass the second factor."""
    client.force_login(user)
    if user.role in ADMIN_ROLES:
        device = TOTPDevice.objects.get(user=user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def xlsx(rows) -> bytes:
    """An .xlsx file (one sheet) holding `rows`, as a test's upload."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
