from __future__ import annotations

from django.conf import settings

from gongxin.core import nav


def platform(request):
    user = getattr(request, "user", None)
    return {
        "platform_name": "产业大数据决策与服务平台",
        "platform_short": "工信",
        "nav_sections": nav.for_user(user) if user is not None and user.is_authenticated else [],
        "demo_mode": settings.GONGXIN_DEMO,
    }
