"""Every write to users, units, aliases and leaders: checked, transactional, audited."""

from __future__ import annotations

import base64
import re
import secrets
import string
from dataclasses import dataclass

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongxin.accounts.choices import ADMIN_ROLES, Role, UnitKind
from gongxin.accounts.models import Leader, PasswordHistory, Unit, UnitAlias, User
from gongxin.core import audit, uscc
from gongxin.core.errors import ConflictError, ServiceError
from gongxin.core.text import normalize_name

USER_FIELDS = ("username", "name", "role", "unit", "leader", "uscc", "phone", "is_active")
UNIT_FIELDS = ("name", "short_name", "kind", "parent", "sort_order", "is_active")
LEADER_FIELDS = ("name", "title", "sort_order", "is_active")


@dataclass(frozen=True)
class TotpEnrolment:
    secret_base32: str
    otpauth_url: str


def _check_version(obj, expected_version: int | None) -> None:
    if expected_version is not None and obj.version != expected_version:
        raise ConflictError()


def _check_role_binding(user: User) -> None:
    if user.role == Role.REPORTER and user.unit_id is None:
        raise ServiceError("责任单位填报人须指定所在单位。")
    if user.role == Role.LEADER and user.leader_id is None:
        raise ServiceError("分管领导账号须关联一位领导。")
    if user.role == Role.ENTERPRISE:
        if not user.uscc:
            raise ServiceError("企业用户须绑定一个统一社会信用代码。")
        try:
            user.uscc = uscc.validate(user.uscc)
        except uscc.InvalidUSCC as error:
            raise ServiceError(str(error)) from error
    elif user.uscc:
        raise ServiceError("只有企业用户绑定统一社会信用代码。")


def generate_password(length: int = 14) -> str:
    """A random password that satisfies every class rule."""
    pools = [string.ascii_uppercase, string.ascii_lowercase, string.digits, "!@#%^*-_=+"]
    chars = [secrets.choice(pool) for pool in pools]
    alphabet = "".join(pools)
    chars += [secrets.choice(alphabet) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def _store_password(user: User, raw: str, *, validate: bool = True) -> None:
    if validate:
        validate_password(raw, user)
    if user.password and user.pk:
        PasswordHistory.objects.create(user=user, password=user.password)
    user.set_password(raw)
    user.password_changed_at = timezone.now()


def enrol_totp(user: User) -> TotpEnrolment:
    """A fresh confirmed TOTP device for an administrator (the previous ones are removed)."""
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name="动态口令", confirmed=True)
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return TotpEnrolment(secret_base32=secret, otpauth_url=device.config_url)


def create_user(actor, *, password: str, **fields) -> tuple[User, TotpEnrolment | None]:
    """Create an account. Administrators get a TOTP device whose secret is returned once."""
    with transaction.atomic():
        user = User(**fields)
        if User.objects.filter(username=user.username).exists():
            raise ServiceError(f"用户名“{user.username}”已存在。")
        _check_role_binding(user)
        _store_password(user, password)
        user.must_change_password = actor is not None and actor != user
        user.save()
        enrolment = enrol_totp(user) if user.role in ADMIN_ROLES else None
        audit.record(actor, "user.create", user, after=audit.snapshot(user, USER_FIELDS))
    return user, enrolment


def update_user(actor, user: User, *, expected_version: int | None = None, **fields) -> User:
    """Change a user's profile or role; a role change to or from an administrator role
    re-issues or removes the TOTP device."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        _check_version(user, expected_version)
        before = audit.snapshot(user, USER_FIELDS)
        for name, value in fields.items():
            setattr(user, name, value)
        _check_role_binding(user)
        after = audit.snapshot(user, USER_FIELDS)
        old, new = audit.diff(before, after)
        if not new:
            return user
        user.version += 1
        user.save()
        if "role" in new and user.role not in ADMIN_ROLES:
            TOTPDevice.objects.filter(user=user).delete()
        action = "user.role_change" if "role" in new else "user.update"
        audit.record(actor, action, user, before=old, after=new)
    return user


def reset_password(actor, user: User, *, must_change: bool = True) -> str:
    """An administrator sets a temporary password; the user must change it at next login
    (`must_change=False` only for the demo accounts, whose passwords are printed)."""
    temporary = generate_password()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        _store_password(user, temporary, validate=False)
        user.must_change_password = must_change
        user.version += 1
        user.save()
        audit.record(
            actor, "user.password_reset", user, after={"must_change_password": must_change}
        )
    return temporary


def change_own_password(user: User, old_password: str, new_password: str) -> None:
    if not user.check_password(old_password):
        raise ServiceError("原密码不正确。")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        _store_password(user, new_password)
        user.must_change_password = False
        user.version += 1
        user.save()
        audit.record(user, "user.password_change", user)


def unlock_user(actor, user: User) -> int:
    """Clear the login lockout of a username; returns the number of failure records cleared."""
    with transaction.atomic():
        cleared = axes_reset(username=user.username)
        audit.record(actor, "user.unlock", user, after={"cleared_failures": cleared})
    return cleared


def reenrol_totp(actor, user: User) -> TotpEnrolment:
    if user.role not in ADMIN_ROLES:
        raise ServiceError("只有三员管理员使用动态口令。")
    with transaction.atomic():
        enrolment = enrol_totp(user)
        audit.record(actor, "user.totp_reset", user)
    return enrolment


# --- Units, aliases, leaders -------------------------------------------------------------


def create_unit(actor, **fields) -> Unit:
    with transaction.atomic():
        fields["name"] = normalize_name(fields["name"])
        if Unit.objects.filter(name=fields["name"]).exists():
            raise ServiceError(f"单位“{fields['name']}”已存在。")
        unit = Unit.objects.create(**fields)
        audit.record(actor, "unit.create", unit, after=audit.snapshot(unit, UNIT_FIELDS))
    return unit


def update_unit(actor, unit: Unit, *, expected_version: int | None = None, **fields) -> Unit:
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        _check_version(unit, expected_version)
        before = audit.snapshot(unit, UNIT_FIELDS)
        for name, value in fields.items():
            setattr(unit, name, value)
        unit.name = normalize_name(unit.name)
        parent = unit.parent
        if parent is not None and (parent.pk == unit.pk or unit in parent.ancestors()):
            raise ServiceError("上级单位不能是本单位或其下级单位。")
        old, new = audit.diff(before, audit.snapshot(unit, UNIT_FIELDS))
        if not new:
            return unit
        unit.version += 1
        unit.save()
        audit.record(actor, "unit.update", unit, before=old, after=new)
    return unit


def add_alias(actor, unit: Unit, alias: str) -> UnitAlias:
    alias = normalize_name(alias)
    if not alias:
        raise ServiceError("别名不能为空。")
    with transaction.atomic():
        existing = UnitAlias.objects.filter(alias=alias).select_related("unit").first()
        if existing is not None:
            raise ServiceError(f"别名“{alias}”已指向“{existing.unit}”。")
        if Unit.objects.filter(name=alias).exclude(pk=unit.pk).exists():
            raise ServiceError(f"“{alias}”是另一个单位的规范名称，不能作为别名。")
        row = UnitAlias.objects.create(unit=unit, alias=alias)
        audit.record(actor, "unit.alias_add", row, after={"alias": alias, "unit": unit.pk})
    return row


def remove_alias(actor, alias: UnitAlias) -> None:
    with transaction.atomic():
        audit.record(
            actor, "unit.alias_remove", alias, before={"alias": alias.alias, "unit": alias.unit_id}
        )
        alias.delete()


def create_leader(actor, **fields) -> Leader:
    with transaction.atomic():
        fields["name"] = normalize_name(fields["name"])
        if Leader.objects.filter(name=fields["name"]).exists():
            raise ServiceError(f"领导“{fields['name']}”已存在。")
        leader = Leader.objects.create(**fields)
        audit.record(actor, "leader.create", leader, after=audit.snapshot(leader, LEADER_FIELDS))
    return leader


def resolve_unit(name: str) -> Unit | None:
    """The canonical unit for a name as written in a document, through aliases.

    Documents drop the level prefix after the first unit ("区发改局、财政局" means 区财政局),
    so a name not found as written is also tried with each of UNIT_NAME_PREFIXES.
    """
    key = normalize_name(name)
    if not key:
        return None
    # "区新经济发展促进中心（品牌发展中心）": the unit, then the other name it goes by.
    bare, _, other = key.partition("(")
    names = [key] + ([bare, other.rstrip(")")] if other else [])
    candidates = [n for n in names if n]
    candidates += [
        p + n for n in list(candidates) for p in settings.UNIT_NAME_PREFIXES if not n.startswith(p)
    ]
    for candidate in candidates:
        unit = Unit.objects.filter(name=candidate).first()
        if unit is not None:
            return unit
        alias = UnitAlias.objects.filter(alias=candidate).select_related("unit").first()
        if alias is not None:
            return alias.unit
    return None


def create_unit_as_written(actor, name: str) -> Unit:
    """A unit first met in an imported document. A bureau written without its level prefix
    ("发改局") is created under its full name ("区发改局") with the short form as alias, so
    the two spellings documents mix become one unit."""
    name, _, other = normalize_name(name).partition("(")
    if other:
        unit = create_unit_as_written(actor, name)
        add_alias(actor, unit, other.rstrip(")"))
        return unit
    prefixes = settings.UNIT_NAME_PREFIXES
    if prefixes and name.endswith(("局", "委")) and not name.startswith(tuple(prefixes)):
        unit = create_unit(
            actor, name=prefixes[0] + name, short_name=name, kind=guess_unit_kind(name)
        )
        add_alias(actor, unit, name)
        return unit
    return create_unit(actor, name=name, kind=guess_unit_kind(name))


_ZONE_ENDINGS = ("核心区", "功能区", "开发区", "园区", "经济区", "合作区", "示范区", "新区")
_TOWN_ENDINGS = ("街道", "镇", "乡")
_DEPARTMENT_ENDINGS = ("局", "委", "办", "办公室", "中心", "院", "所")


def guess_unit_kind(name: str) -> str:
    """局/委/办/中心 → 区直部门; 街道/镇 → 镇街; 核心区/功能区/开发区/园区 → 功能区."""
    name = re.sub(r"（.*?）|\(.*?\)", "", normalize_name(name))
    if name.endswith(_ZONE_ENDINGS):
        return UnitKind.ZONE
    if name.endswith(_TOWN_ENDINGS):
        return UnitKind.TOWN
    if name.endswith(_DEPARTMENT_ENDINGS):
        return UnitKind.DEPARTMENT
    return UnitKind.OTHER


def resolve_leader(name: str) -> Leader | None:
    return Leader.objects.filter(name=normalize_name(name)).first()


def set_users_active(actor, users, is_active: bool) -> int:
    """Enable or disable several accounts at once (e.g. after a reorganisation):
    one bulk update, one audit row per account that actually changed."""
    with transaction.atomic():
        targets = list(User.objects.select_for_update().filter(pk__in=[u.pk for u in users]))
        changed = [u for u in targets if u.is_active != is_active]
        if not changed:
            return 0
        User.objects.filter(pk__in=[u.pk for u in changed]).update(is_active=is_active)
        audit.record_many(
            actor,
            "user.activate" if is_active else "user.deactivate",
            [
                audit.Change(u, before={"is_active": u.is_active}, after={"is_active": is_active})
                for u in changed
            ],
        )
    return len(changed)
