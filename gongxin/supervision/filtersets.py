from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone

from gongxin.accounts.models import Leader, Unit
from gongxin.supervision.choices import Light, Stage, Status
from gongxin.supervision.models import Item


class ItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="关键词", method="search")
    leader = django_filters.ModelChoiceFilter(
        label="分管领导", queryset=Leader.objects.all(), field_name="leaders", empty_label="全部"
    )
    unit = django_filters.ModelChoiceFilter(
        label="责任单位",
        queryset=Unit.objects.all(),
        field_name="assignments__unit",
        empty_label="全部",
    )
    status = django_filters.ChoiceFilter(
        label="状态", choices=Status.choices, method="by_status", empty_label="全部"
    )
    key = django_filters.ChoiceFilter(
        label="重点", choices=[("1", "★重点事项")], method="by_key", empty_label="全部"
    )
    overdue = django_filters.ChoiceFilter(
        label="逾期", choices=[("1", "已逾期")], method="by_overdue", empty_label="全部"
    )
    light = django_filters.ChoiceFilter(
        label="亮灯", choices=Light.choices, method="keep", empty_label="全部"
    )

    class Meta:
        model = Item
        fields: list[str] = []

    def search(self, queryset, name, value):
        return queryset.filter(Q(content__icontains=value) | Q(units_text__icontains=value))

    def by_status(self, queryset, name, value):
        return queryset.filter(
            Q(official_status=value) | Q(official_status="", suggested_status=value)
        )

    def by_key(self, queryset, name, value):
        return queryset.filter(key=True)

    def by_overdue(self, queryset, name, value):
        return queryset.filter(deadline__lt=timezone.localdate()).exclude(stage=Stage.CLOSED)

    def keep(self, queryset, name, value):
        """Lights are computed per item by the view, not in SQL."""
        return queryset
