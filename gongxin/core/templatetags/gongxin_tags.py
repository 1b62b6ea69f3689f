from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """{{ labels|get_item:key }}"""
    return mapping.get(key, key) if hasattr(mapping, "get") else key
