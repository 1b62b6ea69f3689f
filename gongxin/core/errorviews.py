from __future__ import annotations

from django.shortcuts import render


def forbidden(request, exception=None):
    message = str(exception) if exception and str(exception) else "您无权访问此页面。"
    return render(request, "403.html", {"page_title": "无权访问", "message": message}, status=403)


def not_found(request, exception=None):
    return render(request, "404.html", {"page_title": "页面不存在"}, status=404)
