"""`gongxin check --deploy` adds the 等保2.0 三级 application-layer checks to Django's own."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

EXPECTED_VALIDATORS = (
    "gongxin.accounts.validators.CharacterClassValidator",
    "gongxin.accounts.validators.PasswordHistoryValidator",
    "django.contrib.auth.password_validation.MinimumLengthValidator",
)


@register(Tags.security, deploy=True)
def dengbao_checks(app_configs, **kwargs):
    problems = []
    if settings.SESSION_IDLE_TIMEOUT > 30 * 60:
        problems.append(
            Warning(
                "会话空闲超时超过30分钟。", hint="SESSION_IDLE_TIMEOUT ≤ 1800", id="gongxin.W001"
            )
        )
    if settings.SESSION_ABSOLUTE_LIFETIME > 12 * 3600:
        problems.append(
            Warning("会话最长时限超过12小时。", hint="SESSION_ABSOLUTE_LIFETIME", id="gongxin.W002")
        )
    if "gongxin.accounts.middleware.SessionLifetimeMiddleware" not in settings.MIDDLEWARE:
        problems.append(Error("未启用会话超时中间件。", id="gongxin.E001"))
    if settings.AXES_FAILURE_LIMIT > 5 or settings.AXES_LOCKOUT_PARAMETERS != ["username"]:
        problems.append(
            Warning(
                "登录失败锁定应按用户名计数，阈值不超过5次。",
                hint="LOGIN_FAILURE_LIMIT ≤ 5",
                id="gongxin.W003",
            )
        )
    if settings.AXES_COOLOFF_TIME is None or settings.AXES_COOLOFF_TIME.total_seconds() < 15 * 60:
        problems.append(
            Warning(
                "登录锁定时长不足15分钟。", hint="LOGIN_LOCKOUT_MINUTES ≥ 15", id="gongxin.W004"
            )
        )
    names = {v["NAME"] for v in settings.AUTH_PASSWORD_VALIDATORS}
    missing = [name for name in EXPECTED_VALIDATORS if name not in names]
    if missing or settings.PASSWORD_MIN_LENGTH < 8 or settings.PASSWORD_MIN_CLASSES < 3:
        problems.append(
            Error(
                "密码策略不满足复杂度（≥8位、≥3类字符）与历史要求。",
                hint=", ".join(missing) or "PASSWORD_MIN_LENGTH / PASSWORD_MIN_CLASSES",
                id="gongxin.E002",
            )
        )
    if not settings.ADMIN_SECOND_FACTOR_REQUIRED:
        problems.append(
            Error(
                "三员管理员未启用双因素认证。",
                hint="ADMIN_SECOND_FACTOR_REQUIRED=1",
                id="gongxin.E003",
            )
        )
    if settings.AUDIT_RETENTION_DAYS < 180:
        problems.append(
            Error("审计记录保存期少于6个月。", hint="AUDIT_RETENTION_DAYS ≥ 180", id="gongxin.E004")
        )
    if not (settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE):
        problems.append(
            Warning(
                "Cookie 未限定 HTTPS 传输。",
                hint="GONGXIN_SECURE_COOKIES=1 并使用 HTTPS",
                id="gongxin.W005",
            )
        )
    if not settings.SESSION_COOKIE_HTTPONLY:
        problems.append(Error("会话 Cookie 未设置 HttpOnly。", id="gongxin.E005"))
    if settings.GONGXIN_DEMO:
        problems.append(
            Error("生产环境不得开启演示模式。", hint="GONGXIN_DEMO=0", id="gongxin.E006")
        )
    return problems
