"""Session and sign-in rules applied to every request (等保: 会话超时, 双因素, 密码更新)."""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

LOGIN_AT = "gongxin_login_at"
LAST_SEEN = "gongxin_last_seen"


def _expire(request, reason: str):
    request.logout_reason = reason
    logout(request)
    messages.warning(request, reason)
    if request.headers.get("HX-Request"):
        response = redirect(settings.LOGIN_URL)
        response["HX-Redirect"] = reverse(settings.LOGIN_URL)
        return response
    return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.get_full_path()}")


class SessionLifetimeMiddleware:
    """Logs out a session idle longer than SESSION_IDLE_TIMEOUT, or older than
    SESSION_ABSOLUTE_LIFETIME since sign-in, whatever its activity."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            login_at = request.session.setdefault(LOGIN_AT, now)
            last_seen = request.session.get(LAST_SEEN, now)
            if now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                minutes = settings.SESSION_IDLE_TIMEOUT // 60
                return _expire(request, f"您已超过{minutes}分钟未操作，会话已结束，请重新登录。")
            if now - login_at > settings.SESSION_ABSOLUTE_LIFETIME:
                return _expire(request, "会话已达到最长时限，请重新登录。")
            request.session[LAST_SEEN] = now
        return self.get_response(request)


class SecondFactorMiddleware:
    """An administrator's session is valid only after the TOTP check at sign-in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.ADMIN_SECOND_FACTOR_REQUIRED
            and user.is_authenticated
            and user.is_admin_role
            and not user.is_verified()
        ):
            return _expire(request, "管理员账号须通过动态口令验证后使用，请重新登录。")
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """After an administrator's reset, or when the password is too old, only the
    change-password page (and logging out) is reachable."""

    allowed = ("accounts:password_change", "accounts:logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and self._must_change(user):
            allowed_paths = {reverse(name) for name in self.allowed}
            if request.path not in allowed_paths and not request.path.startswith(
                settings.STATIC_URL
            ):
                return redirect("accounts:password_change")
        return self.get_response(request)

    @staticmethod
    def _must_change(user) -> bool:
        if user.must_change_password:
            return True
        max_age = settings.PASSWORD_MAX_AGE_DAYS
        if max_age and user.password_changed_at:
            return timezone.now() - user.password_changed_at > timedelta(days=max_age)
        return False
