from __future__ import annotations

import django_filters

from gongxin.core.models import AuditEvent


class AuditEventFilter(django_filters.FilterSet):
    actor_username = django_filters.CharFilter(label="操作人", lookup_expr="icontains")
    action = django_filters.CharFilter(label="操作", lookup_expr="icontains")
    object_repr = django_filters.CharFilter(label="对象", lookup_expr="icontains")
    at_from = django_filters.DateFilter(
        label="起始日期",
        field_name="at",
        lookup_expr="date__gte",
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )
    at_to = django_filters.DateFilter(
        label="截止日期",
        field_name="at",
        lookup_expr="date__lte",
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AuditEvent
        fields: list[str] = []
