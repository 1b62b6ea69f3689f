from __future__ import annotations

import django_filters
from django.db.models import Q

from gongxin.accounts.choices import Role, UnitKind
from gongxin.accounts.models import Unit, User


class UserFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="用户名/姓名", method="search")
    role = django_filters.ChoiceFilter(label="角色", choices=Role.choices, empty_label="全部")
    unit = django_filters.ModelChoiceFilter(
        label="单位", queryset=Unit.objects.all(), empty_label="全部"
    )
    is_active = django_filters.ChoiceFilter(
        label="状态", choices=[("1", "启用"), ("0", "停用")], empty_label="全部", method="by_active"
    )

    class Meta:
        model = User
        fields: list[str] = []

    def search(self, queryset, name, value):
        return queryset.filter(Q(username__icontains=value) | Q(name__icontains=value))

    def by_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "1")


class UnitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="名称/别名", method="search")
    kind = django_filters.ChoiceFilter(label="类型", choices=UnitKind.choices, empty_label="全部")

    class Meta:
        model = Unit
        fields: list[str] = []

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(short_name__icontains=value)
            | Q(aliases__alias__icontains=value)
        ).distinct()
