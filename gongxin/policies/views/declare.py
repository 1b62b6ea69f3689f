"""Policies pages: 企业在线申报 — an enterprise user declares the figures a clause in force
reads (for its own enterprise only) and sees its result at once; the analyst reads who
declared what, and when, per clause. The work is in declarations.py."""

from __future__ import annotations

from decimal import Decimal

import django_filters
from django import forms
from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from gongxin.accounts.choices import Role
from gongxin.core.access import roles_required
from gongxin.core.errors import ConflictError, ServiceError
from gongxin.core.tables import Column, Table
from gongxin.enterprises.models import EnterpriseFigure
from gongxin.policies import declarations, display, services
from gongxin.policies.criteria import MONEY_IN_WAN
from gongxin.policies.declarations import Ask
from gongxin.policies.models import Clause

UNIT_CHOICES = [(unit, unit) for unit in ("元", "千元", "万元", "亿元")]


# --- the form -------------------------------------------------------------------------------
class AmountField(forms.DecimalField):
    """A number as people type it: thousands separators and spaces are ignored."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(",", "").replace("，", "").replace(" ", "").strip()
        return super().to_python(value)


class DeclareForm(forms.Form):
    """One value per figure the clause asks for (money with a unit select, converted to
    万元), the version of the stored figure the form showed, and the declaration statement."""

    statement = forms.BooleanField(
        label=declarations.STATEMENT,
        error_messages={"required": "请阅读并勾选申报承诺后再提交。"},
    )

    def __init__(self, asks: list[Ask], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.asks = asks
        for ask in asks:
            self.fields[ask.code] = AmountField(
                label=ask.label,
                min_value=Decimal(0),
                error_messages={
                    "required": f"请填写{ask.label}。",
                    "invalid": f"{ask.label}应为数字，例如 12345.67。",
                    "min_value": f"{ask.label}不能为负数。",
                },
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "num"}),
            )
            if ask.is_money:
                self.fields[f"{ask.code}__unit"] = forms.ChoiceField(
                    label="单位", choices=UNIT_CHOICES, initial="万元"
                )
            self.fields[f"{ask.code}__version"] = forms.IntegerField(
                min_value=0, initial=0, widget=forms.HiddenInput
            )

    def rows(self) -> list[dict]:
        return [
            {
                "ask": ask,
                "value": self[ask.code],
                "unit": self[f"{ask.code}__unit"] if ask.is_money else None,
                "version": self[f"{ask.code}__version"],
            }
            for ask in self.asks
        ]

    def clean(self):
        data = super().clean()
        for ask in self.asks:
            value = data.get(ask.code)
            if value is None:
                continue
            if ask.is_money:
                value = value * MONEY_IN_WAN.get(data.get(f"{ask.code}__unit") or "万元", 1)
            if value >= declarations.MAX_WAN:
                self.add_error(ask.code, f"{ask.label}数值过大，请核对单位。")
                continue
            data[f"{ask.code}__wan"] = value
        return data

    def entries(self) -> list[declarations.Entry]:
        return [
            declarations.Entry(
                ask.code,
                self.cleaned_data[f"{ask.code}__wan"],
                self.cleaned_data.get(f"{ask.code}__version") or 0,
            )
            for ask in self.asks
        ]


def _initial(asks: list[Ask], current: dict[str, EnterpriseFigure]) -> dict:
    initial = {}
    for ask in asks:
        figure = current.get(ask.code)
        initial[f"{ask.code}__version"] = figure.version if figure else 0
        if figure is not None:
            initial[ask.code] = display.number(figure.value)
        if ask.is_money:
            initial[f"{ask.code}__unit"] = "万元"
    return initial


def _with_versions(data, asks: list[Ask], current: dict[str, EnterpriseFigure]):
    """The posted values kept, the versions now stored: submitting again after reading the
    conflict message is a deliberate overwrite."""
    data = data.copy()
    for ask in asks:
        figure = current.get(ask.code)
        data[f"{ask.code}__version"] = str(figure.version if figure else 0)
    return data


# --- the enterprise's pages -----------------------------------------------------------------
@require_GET
@roles_required(Role.ENTERPRISE)
def declare_index(request):
    """The clauses in force that read declared figures, with what this enterprise declared."""
    rows, problem = [], ""
    try:
        enterprise = declarations.enterprise_of(request.user)
    except ServiceError as error:
        problem = error.message
    else:
        for clause, asks in declarations.open_clauses():
            current = declarations.current_figures(enterprise, asks)
            latest = max((f.recorded_at for f in current.values()), default=None)
            rows.append(
                {"clause": clause, "asks": asks, "declared": len(current), "latest": latest}
            )
    return render(
        request,
        "policies/declare_index.html",
        {"page_title": "在线申报", "rows": rows, "problem": problem},
    )


@require_http_methods(["GET", "POST"])
@roles_required(Role.ENTERPRISE)
def declare_clause(request, pk: int):
    clause = get_object_or_404(Clause.objects.select_related("policy"), pk=pk)
    context = {"page_title": f"在线申报：{clause.title}", "clause": clause, "problem": ""}
    try:
        enterprise = declarations.enterprise_of(request.user)
        clause, asks = declarations.open_clause(clause.pk)
    except ServiceError as error:
        context["problem"] = error.message
        return render(request, "policies/declare_form.html", context)
    current = declarations.current_figures(enterprise, asks)
    if request.method == "POST":
        form = DeclareForm(asks, request.POST)
        if form.is_valid():
            try:
                outcome = declarations.declare(request.user, clause, form.entries())
            except ConflictError as error:
                current = declarations.current_figures(enterprise, asks)
                form = DeclareForm(asks, _with_versions(request.POST, asks, current))
                form.is_valid()
                form.add_error(None, error.message)
            except ServiceError as error:
                form.add_error(None, error.message)
            else:
                _report(request, outcome)
                url = reverse("policies:declare", args=[clause.pk])
                return redirect(f"{url}?submitted=1")
    else:
        form = DeclareForm(asks, initial=_initial(asks, current))
    result = None
    if request.method == "GET" and (current or request.GET.get("submitted")):
        # evaluating the clause now costs a pass over every enterprise: after a submission only
        result = declarations.result_for(
            clause, enterprise, evaluate_now=bool(request.GET.get("submitted"))
        )
    context.update(
        {
            "enterprise": enterprise,
            "form": form,
            "current": [{"ask": a, "figure": current.get(a.code), "unit": a.unit} for a in asks],
            "criteria": display.describe_criteria(
                clause.criteria,
                lambda name: services.parameter_value(clause, name, timezone.localdate()),
            ),
            "award_rule": display.describe_award(clause.award),
            "result": result,
            "submitted": bool(request.GET.get("submitted")),
        }
    )
    return render(request, "policies/declare_form.html", context)


def _report(request, outcome: declarations.Outcome) -> None:
    counts = outcome.counts
    if counts["created"] or counts["updated"]:
        messages.success(
            request,
            f"申报已保存：新填{counts['created']}项，更新{counts['updated']}项"
            + (f"，未变{counts['unchanged']}项。" if counts["unchanged"] else "。"),
        )
    else:
        messages.info(request, "所填数据与已申报的相同，未作修改。")
    if not outcome.matched:
        messages.warning(request, f"数据已保存，但暂未能重新匹配：{outcome.match_error}")


# --- the analyst's list of declarations -----------------------------------------------------
class DeclarationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="企业名称/信用代码", method="search")
    online = django_filters.ChoiceFilter(
        label="出处",
        choices=[("online", declarations.SOURCE), ("other", "其他（导入等）")],
        empty_label="全部",
        method="by_source",
    )

    class Meta:
        model = EnterpriseFigure
        fields: list[str] = []

    def search(self, queryset, name, value):
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(
            Q(enterprise__name__icontains=text) | Q(enterprise__uscc__icontains=text.upper())
        )

    def by_source(self, queryset, name, value):
        if value == "online":
            return queryset.filter(source=declarations.SOURCE)
        if value == "other":
            return queryset.exclude(source=declarations.SOURCE)
        return queryset


def _declaration_columns(asks: list[Ask]) -> list[Column]:
    by_code = {a.code: a for a in asks}
    roles = dict(Role.choices)
    return [
        Column(
            "企业名称",
            lambda f: f.enterprise.name,
            url=lambda f: reverse("enterprises:detail", args=[f.enterprise_id]),
        ),
        Column("统一社会信用代码", lambda f: f.enterprise.uscc),
        Column("指标", lambda f: by_code[f.feature].label),
        Column("期别", lambda f: declarations.period_text(f.period)),
        Column("申报值", lambda f: display.number(f.value), css="num"),
        Column("单位", lambda f: by_code[f.feature].unit),
        Column("出处", lambda f: f.source),
        Column("版本", lambda f: f.version, css="num"),
        Column(
            "填报人",
            lambda f: (
                f"{f.declared_by}（{roles.get(f.declared_by_role, f.declared_by_role or '—')}）"
                if f.declared_by
                else "—"
            ),
        ),
        Column("填报时间", lambda f: f.declared_at or f.recorded_at),
    ]


@require_GET
@roles_required(Role.ANALYST)
def clause_declarations(request, pk: int):
    clause = get_object_or_404(Clause.objects.select_related("policy"), pk=pk)
    rows, asks = declarations.declarations(request.user, clause)
    table = Table(
        request,
        rows,
        _declaration_columns(asks),
        filterset_class=DeclarationFilter,
        table_id="declarations",
        export_name=f"企业申报数据_{clause.policy.code}_{clause.code}",
    )
    if table.wants_export():
        return table.export_response()
    return render(
        request,
        "policies/declare_list.html",
        {
            "page_title": f"企业申报数据：{clause.policy.title}／{clause.title}",
            "clause": clause,
            "asks": asks,
            "table": table,
        },
    )


urlpatterns = [
    path("declare/", declare_index, name="declare_index"),
    path("clauses/<int:pk>/declare/", declare_clause, name="declare"),
    path("clauses/<int:pk>/declarations/", clause_declarations, name="clause_declarations"),
]
