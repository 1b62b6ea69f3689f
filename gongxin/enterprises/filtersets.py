from __future__ import annotations

import django_filters

from gongxin.accounts.models import Unit
from gongxin.enterprises import industries
from gongxin.enterprises.models import REGION_KINDS, Enterprise, ScaleRecord


def section_choices() -> list[tuple[str, str]]:
    return [(s.code, f"{s.code} {s.name}") for s in industries.sections()]


def year_choices() -> list[tuple[str, str]]:
    years = ScaleRecord.objects.order_by("-year").values_list("year", flat=True).distinct()
    return [(str(y), f"{y}年") for y in years]


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="名称/信用代码", method="search")
    section = django_filters.ChoiceFilter(
        label="行业门类", choices=section_choices, empty_label="全部", method="by_section"
    )
    region = django_filters.ModelChoiceFilter(
        label="镇街/功能区",
        queryset=Unit.objects.filter(kind__in=REGION_KINDS),
        empty_label="全部",
    )
    year = django_filters.ChoiceFilter(
        label="名录年度", choices=year_choices, empty_label="最新", method="by_year"
    )
    above_scale = django_filters.ChoiceFilter(
        label="规模",
        choices=[("1", "规上"), ("0", "规下")],
        empty_label="全部",
        method="by_scale",
    )

    class Meta:
        model = Enterprise
        fields: list[str] = []

    def search(self, queryset, name, value):
        return queryset.search(value)

    def by_section(self, queryset, name, value):
        return queryset.in_section(value)

    def by_year(self, queryset, name, value):
        return queryset  # read by by_scale

    def by_scale(self, queryset, name, value):
        year = self.form.cleaned_data.get("year") or (
            ScaleRecord.objects.order_by("-year").values_list("year", flat=True).first()
        )
        if year is None:
            return queryset.none() if value == "1" else queryset
        return queryset.above_scale_in(int(year), above=value == "1")
