"""Sign-in with lockout and the administrators' second factor; sign-out; own password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from gongxin.accounts import services
from gongxin.accounts.forms import LoginForm, PasswordChangeForm
from gongxin.core.access import login_required
from gongxin.core.errors import ServiceError


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return ""


@sensitive_post_parameters("password", "otp_token")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request):
    if request.user.is_authenticated:
        return redirect("core:home")
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.user)
        if form.device is not None:
            otp_login(request, form.device)
        return redirect(_next_url(request) or "core:home")
    status = 403 if getattr(request, "axes_locked_out", False) else 200
    return render(
        request, "accounts/login.html", {"form": form, "next": _next_url(request)}, status=status
    )


def locked_out(request, credentials=None, *args, **kwargs):
    """django-axes calls this when a username is locked: the login page with the reason."""
    request.axes_locked_out = True
    form = LoginForm(request, data=request.POST or None)
    form.is_valid()
    form.errors.clear()
    form.add_error(None, "登录失败次数过多，账号已被锁定，请稍后再试或联系安全管理员解锁。")
    return render(request, "accounts/login.html", {"form": form}, status=403)


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        request.logout_reason = "用户退出"
        logout(request)
    return redirect("accounts:login")


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
@login_required
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_own_password(
                request.user, form.cleaned_data["old_password"], form.cleaned_data["new_password1"]
            )
        except ServiceError as error:
            form.add_error("old_password", error.message)
        except ValidationError as error:
            form.add_error("new_password1", error)
        else:
            request.user.refresh_from_db()
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改。")
            return redirect("core:home")
    return render(
        request, "accounts/password_change.html", {"form": form, "page_title": "修改密码"}
    )
