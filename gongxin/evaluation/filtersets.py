"""The filters of a run's ranked list: class, 镇街 and industry (大类), with choices taken
from the run's own results."""

from __future__ import annotations

import django_filters

from gongxin.evaluation import display
from gongxin.evaluation.models import Result, Run


def result_filterset(run: Run):
    rows = list(run.results.values_list("klass", "region_id", "industry_code"))
    names = display.region_names({r for _, r, _ in rows})
    regions = sorted({r for _, r, _ in rows if r is not None}, key=lambda r: names.get(r, ""))
    divisions = sorted({code[:2] for _, _, code in rows if len(code or "") >= 2})

    class ResultFilter(django_filters.FilterSet):
        klass = django_filters.ChoiceFilter(
            label="类别",
            empty_label="全部",
            choices=[(k, display.class_label(k)) for k in display.ORDER if any(k == c for c, _, _ in rows)],
        )  # fmt: skip
        region = django_filters.ChoiceFilter(
            label="镇街",
            field_name="region_id",
            empty_label="全部",
            choices=[(str(r), names[r]) for r in regions],
        )
        division = django_filters.ChoiceFilter(
            label="行业大类",
            empty_label="全部",
            method="in_division",
            choices=[(d, f"{d} {display.division_name(d)}") for d in divisions],
        )
        q = django_filters.CharFilter(label="企业名称/信用代码", method="search")

        class Meta:
            model = Result
            fields = ["klass"]

        def in_division(self, queryset, name, value):
            return queryset.filter(industry_code__startswith=value)

        def search(self, queryset, name, value):
            from gongxin.enterprises.models import Enterprise

            return queryset.filter(enterprise__in=Enterprise.objects.search(value))

    return ResultFilter
