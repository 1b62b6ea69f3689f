"""Login, logout and failed-login events go to the audit trail."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from gongxin.core import audit


class _Anonymous:
    is_authenticated = False

    def __init__(self, username: str):
        self.username = username or "(空)"


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit.record_now(user, "auth.login", user)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        reason = getattr(request, "logout_reason", "") if request is not None else ""
        audit.record_now(user, "auth.logout", user, reason=reason)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username", "")
    reason = (credentials or {}).get("reason", "用户名或密码错误")
    audit.record_now(
        _Anonymous(username),
        "auth.login_failed",
        object_type="accounts.user",
        object_repr=username[:255],
        reason=reason,
    )
