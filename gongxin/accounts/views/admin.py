"""Pages of the system administrator (users, roles, units, aliases, leaders, tokens) and of
the security administrator (lockouts, security settings). Thin: parse → service → render."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rest_framework.authtoken.models import Token

from gongxin.accounts import services
from gongxin.accounts.choices import BUSINESS_ROLES, Role
from gongxin.accounts.filtersets import UnitFilter, UserFilter
from gongxin.accounts.forms import AliasForm, LeaderForm, UnitForm, UserCreateForm, UserForm
from gongxin.accounts.models import Leader, Unit, UnitAlias, User
from gongxin.core import audit
from gongxin.core.access import roles_required
from gongxin.core.errors import ConflictError, ServiceError
from gongxin.core.tables import Column, Table

sysadmin_only = roles_required(Role.SYSADMIN)
security_roles = roles_required(Role.SYSADMIN, Role.SECADMIN)

USER_COLUMNS = [
    Column(
        "用户名", lambda u: u.username, url=lambda u: reverse("accounts:user_edit", args=[u.pk])
    ),
    Column("姓名", lambda u: u.name),
    Column("角色", lambda u: u.get_role_display()),
    Column("所在单位", lambda u: u.unit.name if u.unit else ""),
    Column("企业信用代码", lambda u: u.uscc),
    Column("启用", lambda u: u.is_active),
    Column("最近登录", lambda u: u.last_login),
]


def _form_fields(form, names):
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}


@require_GET
@sysadmin_only
def user_list(request):
    users = User.objects.restrict(request.user, "view").select_related("unit")
    table = Table(
        request,
        users,
        USER_COLUMNS,
        filterset_class=UserFilter,
        table_id="users",
        export_name="用户列表",
    )
    if table.wants_export():
        return table.export_response()
    return render(request, "accounts/user_list.html", {"page_title": "用户管理", "table": table})


@require_http_methods(["GET", "POST"])
@sysadmin_only
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = _form_fields(form, UserForm.Meta.fields)
        try:
            user, enrolment = services.create_user(
                request.user, password=form.cleaned_data["password"], **fields
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            form.add_error("password", error)
        else:
            messages.success(request, f"已创建用户“{user.username}”。")
            if enrolment is not None:
                return render(
                    request,
                    "accounts/totp_enrolment.html",
                    {"page_title": "动态口令绑定", "target": user, "enrolment": enrolment},
                )
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"page_title": "新建用户", "form": form})


@require_http_methods(["GET", "POST"])
@sysadmin_only
def user_edit(request, pk: int):
    target = get_object_or_404(User.objects.restrict(request.user, "change"), pk=pk)
    form = UserForm(request.POST or None, instance=User.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_user(
                request.user,
                target,
                expected_version=int(request.POST.get("version") or 0) or None,
                **_form_fields(form, UserForm.Meta.fields),
            )
        except (ServiceError, ConflictError) as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "已保存。")
            return redirect("accounts:user_edit", pk=pk)
    return render(
        request,
        "accounts/user_form.html",
        {"page_title": f"编辑用户：{target.display_name}", "form": form, "target": target},
    )


@require_POST
@sysadmin_only
def user_reset_password(request, pk: int):
    target = get_object_or_404(User.objects.restrict(request.user, "change"), pk=pk)
    temporary = services.reset_password(request.user, target)
    return render(
        request,
        "accounts/password_reset_done.html",
        {"page_title": "重置密码", "target": target, "temporary": temporary},
    )


@require_POST
@sysadmin_only
def user_totp_reset(request, pk: int):
    target = get_object_or_404(User.objects.restrict(request.user, "change"), pk=pk)
    try:
        enrolment = services.reenrol_totp(request.user, target)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("accounts:user_edit", pk=pk)
    return render(
        request,
        "accounts/totp_enrolment.html",
        {"page_title": "动态口令绑定", "target": target, "enrolment": enrolment},
    )


@require_POST
@security_roles
def user_unlock(request, pk: int):
    target = get_object_or_404(User.objects.restrict(request.user, "unlock"), pk=pk)
    services.unlock_user(request.user, target)
    messages.success(request, f"已解除“{target.username}”的登录锁定。")
    return redirect(request.POST.get("back") or reverse("accounts:lockout_list"))


@require_GET
@security_roles
def lockout_list(request):
    attempts = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
    users = {
        u.username: u
        for u in User.objects.restrict(request.user, "unlock").filter(
            username__in=[a.username for a in attempts]
        )
    }
    rows = [(a, users.get(a.username)) for a in attempts.order_by("-attempt_time")]
    return render(request, "accounts/lockout_list.html", {"page_title": "登录锁定", "rows": rows})


@require_GET
@roles_required(Role.SECADMIN)
def security_settings(request):
    items = [
        (
            "会话空闲超时",
            f"{settings.SESSION_IDLE_TIMEOUT // 60} 分钟",
            "SESSION_IDLE_TIMEOUT（秒）",
        ),
        (
            "会话最长时限",
            f"{settings.SESSION_ABSOLUTE_LIFETIME // 3600} 小时",
            "SESSION_ABSOLUTE_LIFETIME（秒）",
        ),
        (
            "登录失败锁定阈值",
            f"{settings.AXES_FAILURE_LIMIT} 次（按用户名）",
            "LOGIN_FAILURE_LIMIT",
        ),
        (
            "锁定时长",
            f"{int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)} 分钟",
            "LOGIN_LOCKOUT_MINUTES",
        ),
        ("密码最短长度", f"{settings.PASSWORD_MIN_LENGTH} 位", "PASSWORD_MIN_LENGTH"),
        ("密码字符类别", f"至少 {settings.PASSWORD_MIN_CLASSES} 类", "PASSWORD_MIN_CLASSES"),
        (
            "密码历史",
            f"不得重复最近 {settings.PASSWORD_HISTORY_COUNT} 次",
            "PASSWORD_HISTORY_COUNT",
        ),
        (
            "密码有效期",
            f"{settings.PASSWORD_MAX_AGE_DAYS} 天" if settings.PASSWORD_MAX_AGE_DAYS else "不限",
            "PASSWORD_MAX_AGE_DAYS",
        ),
        (
            "管理员双因素认证",
            "启用" if settings.ADMIN_SECOND_FACTOR_REQUIRED else "未启用",
            "ADMIN_SECOND_FACTOR_REQUIRED",
        ),
        (
            "Cookie 仅限 HTTPS",
            "是" if settings.SESSION_COOKIE_SECURE else "否",
            "GONGXIN_SECURE_COOKIES",
        ),
        (
            "审计记录保存期",
            f"不少于 {settings.AUDIT_RETENTION_DAYS} 天（只追加，不删除）",
            "AUDIT_RETENTION_DAYS",
        ),
    ]
    return render(
        request, "accounts/security_settings.html", {"page_title": "安全策略", "items": items}
    )


UNIT_COLUMNS = [
    Column("规范名称", lambda u: u.name, url=lambda u: reverse("accounts:unit_edit", args=[u.pk])),
    Column("简称", lambda u: u.short_name),
    Column("类型", lambda u: u.get_kind_display()),
    Column("上级单位", lambda u: u.parent.name if u.parent else ""),
    Column("别名", lambda u: "、".join(a.alias for a in u.aliases.all())),
    Column("启用", lambda u: u.is_active),
]


@require_GET
@sysadmin_only
def unit_list(request):
    units = (
        Unit.objects.restrict(request.user, "view")
        .select_related("parent")
        .prefetch_related("aliases")
    )
    table = Table(
        request,
        units,
        UNIT_COLUMNS,
        filterset_class=UnitFilter,
        table_id="units",
        export_name="单位列表",
    )
    if table.wants_export():
        return table.export_response()
    return render(request, "accounts/unit_list.html", {"page_title": "单位管理", "table": table})


@require_http_methods(["GET", "POST"])
@sysadmin_only
def unit_create(request):
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.create_unit(request.user, **_form_fields(form, UnitForm.Meta.fields))
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"已创建单位“{unit.name}”。")
            return redirect("accounts:unit_edit", pk=unit.pk)
    return render(request, "accounts/unit_form.html", {"page_title": "新建单位", "form": form})


@require_http_methods(["GET", "POST"])
@sysadmin_only
def unit_edit(request, pk: int):
    unit = get_object_or_404(Unit.objects.restrict(request.user, "change"), pk=pk)
    form = UnitForm(request.POST or None, instance=Unit.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_unit(
                request.user,
                unit,
                expected_version=form.cleaned_data.get("version"),
                **_form_fields(form, UnitForm.Meta.fields),
            )
        except (ServiceError, ConflictError) as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "已保存。")
            return redirect("accounts:unit_edit", pk=pk)
    return render(
        request,
        "accounts/unit_form.html",
        {
            "page_title": f"单位：{unit.name}",
            "form": form,
            "unit": unit,
            "alias_form": AliasForm(),
        },
    )


@require_POST
@sysadmin_only
def alias_add(request, pk: int):
    """Adds an alias; under htmx returns only the alias list fragment."""
    unit = get_object_or_404(Unit.objects.restrict(request.user, "change"), pk=pk)
    form = AliasForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.add_alias(request.user, unit, form.cleaned_data["alias"])
        except ServiceError as exc:
            error = exc.message
    else:
        error = "请填写别名。"
    if request.htmx:
        return render(
            request,
            "accounts/_alias_list.html",
            {"unit": unit, "alias_form": AliasForm(), "alias_error": error},
        )
    if error:
        messages.error(request, error)
    return redirect("accounts:unit_edit", pk=pk)


@require_POST
@sysadmin_only
def alias_remove(request, pk: int):
    alias = get_object_or_404(UnitAlias.objects.restrict(request.user, "change"), pk=pk)
    unit = alias.unit
    services.remove_alias(request.user, alias)
    if request.htmx:
        return render(
            request, "accounts/_alias_list.html", {"unit": unit, "alias_form": AliasForm()}
        )
    return redirect("accounts:unit_edit", pk=unit.pk)


@require_http_methods(["GET", "POST"])
@sysadmin_only
def leader_list(request):
    form = LeaderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_leader(request.user, **_form_fields(form, LeaderForm.Meta.fields))
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "已添加。")
            return redirect("accounts:leader_list")
    leaders = Leader.objects.restrict(request.user, "view")
    return render(
        request,
        "accounts/leader_list.html",
        {"page_title": "分管领导", "leaders": leaders, "form": form},
    )


@require_http_methods(["GET", "POST"])
@sysadmin_only
def token_list(request):
    """API tokens for integrations (data-sharing platforms): one per business account."""
    if request.method == "POST":
        target = get_object_or_404(
            User.objects.restrict(request.user, "change"),
            pk=request.POST.get("user"),
            role__in=BUSINESS_ROLES,
        )
        with transaction.atomic():
            Token.objects.filter(user=target).delete()
            if request.POST.get("action") == "revoke":
                audit.record(request.user, "token.revoke", target)
                messages.success(request, f"已吊销“{target.username}”的接口令牌。")
                return redirect("accounts:token_list")
            token = Token.objects.create(user=target)
            audit.record(request.user, "token.issue", target)
        return render(
            request,
            "accounts/token_issued.html",
            {"page_title": "接口令牌", "target": target, "key": token.key},
        )
    tokens = Token.objects.select_related("user").order_by("-created")
    candidates = User.objects.restrict(request.user, "change").filter(
        role__in=BUSINESS_ROLES, is_active=True
    )
    return render(
        request,
        "accounts/token_list.html",
        {"page_title": "接口令牌", "tokens": tokens, "candidates": candidates},
    )
