"""Policies pages: 免申即享 batches (propose, review, approve, cancel), the 兑现 ledger
(grants with approved, paid and outstanding amounts; 导出Excel), payment entry, grants of
apply-mode clauses entered by hand, and an enterprise's own 我的兑现 page.

The analyst decides and documents; the supervisor and the leader read; an enterprise
reads its own grants only (ledger_querysets.py decides the rows)."""

from __future__ import annotations

from decimal import Decimal

import django_filters
from django import forms
from django.contrib import messages
from django.db.models import DecimalField, ExpressionWrapper, F, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongxin.accounts.choices import Role
from gongxin.core.access import roles_required
from gongxin.core.errors import ConflictError, ServiceError
from gongxin.core.tables import Column, Table
from gongxin.enterprises.models import Enterprise
from gongxin.policies import ledger
from gongxin.policies import ledger_querysets as scopes
from gongxin.policies.models import Clause, Grant, GrantBatch, Policy

readers = roles_required(*scopes.READ_ALL_ROLES)
managers = roles_required(*scopes.MANAGE_ROLES)
MONEY = DecimalField(max_digits=18, decimal_places=4)


def money(value) -> Decimal | None:
    """万元 to 2 decimals, or 4 when the cents of a 万 matter (the stored precision)."""
    if value is None:
        return None
    value = Decimal(value)
    short = value.quantize(Decimal("0.01"))
    return short if short == value else value.quantize(Decimal("0.0001"))


def _with_paid(queryset):
    return queryset.annotate(
        paid=Coalesce(Sum("payments__amount"), Value(Decimal(0)), output_field=MONEY)
    ).annotate(outstanding=ExpressionWrapper(F("approved_amount") - F("paid"), output_field=MONEY))


# --- the ledger ---------------------------------------------------------------------------------
def _year_choices() -> list[tuple[str, str]]:
    years = Grant.objects.order_by("-year").values_list("year", flat=True).distinct()
    return [(str(y), f"{y}年") for y in years]


class GrantFilter(django_filters.FilterSet):
    policy = django_filters.ModelChoiceFilter(
        label="政策", field_name="clause__policy", queryset=Policy.objects.all(), empty_label="全部"
    )
    year = django_filters.ChoiceFilter(label="兑现年度", choices=_year_choices, empty_label="全部")
    q = django_filters.CharFilter(label="企业名称/信用代码", method="search")

    class Meta:
        model = Grant
        fields = ["policy", "year"]

    def search(self, queryset, name, value):
        return queryset.filter(enterprise__in=Enterprise.objects.search(value))


def _how(g: Grant) -> str:
    return g.batch.title if g.batch_id else "申请兑现（手工登记）"


LEDGER_COLUMNS = [
    Column("政策", lambda g: g.clause.policy.title),
    Column("条款", lambda g: g.clause.title),
    Column(
        "企业名称",
        lambda g: g.enterprise.name,
        url=lambda g: reverse("policies:grant_detail", args=[g.pk]),
    ),
    Column("统一社会信用代码", lambda g: g.enterprise.uscc),
    Column("兑现年度", lambda g: g.year),
    Column("核定日期", lambda g: g.approved_on),
    Column("核定金额(万元)", lambda g: money(g.approved_amount), css="num"),
    Column("已拨付(万元)", lambda g: money(g.paid), css="num"),
    Column("未拨付(万元)", lambda g: money(g.outstanding), css="num"),
    Column("来源", _how),
]


@require_GET
@readers
def ledger_list(request):
    grants = _with_paid(
        scopes.grants(request.user).select_related("clause__policy", "enterprise", "batch")
    ).order_by("-year", "clause__policy__code", "clause__code", "enterprise__name")
    table = Table(
        request,
        grants,
        LEDGER_COLUMNS,
        filterset_class=GrantFilter,
        table_id="ledger",
        export_name="兑现台账",
    )
    if table.wants_export():
        return table.export_response()
    year = request.GET.get("year", "")
    filtered = GrantFilter(request.GET, queryset=scopes.grants(request.user)).qs
    return render(
        request,
        "policies/ledger_list.html",
        {
            "page_title": "兑现台账",
            "table": table,
            "totals": ledger.totals(int(year) if year.isdigit() else None, grants=filtered),
            "may_manage": scopes.may_manage(request.user),
        },
    )


@require_GET
@roles_required(Role.ENTERPRISE)
def ledger_mine(request):
    grants = _with_paid(
        scopes.grants(request.user).select_related("clause__policy", "enterprise")
    ).prefetch_related("payments")
    return render(
        request,
        "policies/ledger_mine.html",
        {"page_title": "我的兑现", "grants": grants.order_by("-approved_on", "-pk")},
    )


@require_GET
@roles_required(*scopes.READ_ALL_ROLES, Role.ENTERPRISE)
def grant_detail(request, pk: int):
    grant = get_object_or_404(
        _with_paid(scopes.grants(request.user).select_related("clause__policy", "enterprise")),
        pk=pk,
    )
    may_manage = scopes.may_manage(request.user)
    return render(
        request,
        "policies/ledger_grant.html",
        {
            "page_title": f"兑现详情：{grant.enterprise.name}",
            "grant": grant,
            "payments": scopes.payments(request.user).filter(grant=grant),
            "stages": ledger.stages_of(grant.clause),
            "next_stage": ledger.next_stage(grant),
            "may_manage": may_manage,
            "back": reverse(
                "policies:ledger"
                if request.user.role != Role.ENTERPRISE
                else "policies:ledger_mine"
            ),
        },
    )


# --- payments and grants by hand ----------------------------------------------------------------
class PaymentForm(forms.Form):
    stage = forms.IntegerField(widget=forms.HiddenInput)
    amount = forms.DecimalField(label="拨付金额（万元）", max_digits=18, decimal_places=4)
    paid_on = forms.DateField(label="拨付日期", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="说明", max_length=300, required=False)


@require_http_methods(["GET", "POST"])
@managers
def payment_new(request, pk: int):
    grant = get_object_or_404(
        _with_paid(scopes.grants(request.user, "manage").select_related("clause", "enterprise")),
        pk=pk,
    )
    upcoming = ledger.next_stage(grant)
    if upcoming is None:
        messages.error(request, f"{grant.enterprise.name}的本项奖补已全部拨付。")
        return redirect("policies:grant_detail", pk=grant.pk)
    form = PaymentForm(
        request.POST or None,
        initial={
            "stage": upcoming.stage,
            "amount": money(upcoming.amount or upcoming.outstanding),
            "paid_on": timezone.localdate(),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ledger.record_payment(
                request.user, grant, data["amount"], data["paid_on"], data["stage"],
                note=data["note"],
            )  # fmt: skip
        except (ServiceError, ConflictError) as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"已登记第{upcoming.stage}期拨付。")
            return redirect("policies:grant_detail", pk=grant.pk)
    return render(
        request,
        "policies/ledger_payment_form.html",
        {
            "page_title": f"登记拨付：{grant.enterprise.name}",
            "grant": grant,
            "form": form,
            "next_stage": upcoming,
        },
    )


class GrantForm(forms.Form):
    clause = forms.ModelChoiceField(
        label="条款",
        queryset=Clause.objects.filter(mode=Clause.Mode.APPLY)
        .exclude(award={})
        .select_related("policy"),
        empty_label="请选择申请兑现条款",
    )
    uscc = forms.CharField(label="企业统一社会信用代码", max_length=18)
    amount = forms.DecimalField(label="核定金额（万元）", max_digits=18, decimal_places=4)
    approved_on = forms.DateField(label="核定日期", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="依据（文件、会议纪要）", max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clause"].label_from_instance = lambda c: f"{c.policy.title}·{c.title}"

    def clean_uscc(self):
        code = self.cleaned_data["uscc"].strip().upper()
        enterprise = Enterprise.objects.filter(uscc=code).first()
        if enterprise is None:
            raise forms.ValidationError("企业库中没有这个统一社会信用代码。")
        return enterprise


@require_http_methods(["GET", "POST"])
@managers
def grant_new(request):
    form = GrantForm(request.POST or None, initial={"approved_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            grant = ledger.grant_by_hand(
                request.user, data["clause"], data["uscc"], data["amount"], data["approved_on"],
                note=data["note"],
            )  # fmt: skip
        except (ServiceError, ConflictError) as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "已登记兑现。")
            return redirect("policies:grant_detail", pk=grant.pk)
    return render(
        request, "policies/ledger_grant_form.html", {"page_title": "登记申请兑现", "form": form}
    )


# --- batches ------------------------------------------------------------------------------------
@require_GET
@readers
def batch_list(request):
    batches = scopes.batches(request.user).select_related(
        "clause__policy", "created_by", "approved_by"
    )
    may_manage = scopes.may_manage(request.user)
    clauses = []
    if may_manage:
        drafts = set(batches.drafts().values_list("clause_id", flat=True))
        for clause in Clause.objects.filter(mode=Clause.Mode.AUTO_GRANT).select_related("policy"):
            lines = ledger.batch_lines(clause)
            clauses.append(
                {"clause": clause, "ready": len(lines.included), "has_draft": clause.pk in drafts}
            )
    return render(
        request,
        "policies/batch_list.html",
        {
            "page_title": "免申即享兑现批次",
            "batches": batches,
            "clauses": clauses,
            "may_manage": may_manage,
        },
    )


@require_POST
@managers
def batch_propose(request):
    clause = Clause.objects.filter(pk=request.POST.get("clause") or None).first()
    if clause is None:
        messages.error(request, "请选择免申即享条款。")
        return redirect("policies:batch_list")
    try:
        batch = ledger.propose_batch(request.user, clause, request.POST.get("title", ""))
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("policies:batch_list")
    messages.success(request, "已生成待审核批次，请逐户核对金额后审定。")
    return redirect("policies:batch_detail", pk=batch.pk)


@require_GET
@readers
def batch_detail(request, pk: int):
    batch = get_object_or_404(
        scopes.batches(request.user).select_related("clause__policy", "created_by", "approved_by"),
        pk=pk,
    )
    draft = batch.status == GrantBatch.Status.DRAFT
    lines = ledger.batch_lines(batch.clause, batch=batch) if draft else None
    grants = (
        None
        if draft
        else _with_paid(batch.grants.select_related("enterprise")).order_by("enterprise__name")
    )
    return render(
        request,
        "policies/batch_detail.html",
        {
            "page_title": batch.title,
            "batch": batch,
            "lines": lines,
            "grants": grants,
            "cap": ledger.cap_of(batch.clause),
            "stages": ledger.stages_of(batch.clause),
            "may_manage": scopes.may_manage(request.user) and draft,
            "today": timezone.localdate(),
        },
    )


@require_POST
@managers
def batch_approve(request, pk: int):
    batch = get_object_or_404(scopes.batches(request.user, "manage"), pk=pk)
    amounts = {
        int(key.removeprefix("include_")): request.POST.get(
            f"amount_{key.removeprefix('include_')}", ""
        ).strip()
        for key in request.POST
        if key.startswith("include_") and key.removeprefix("include_").isdigit()
    }
    try:
        grants = ledger.approve_batch(
            request.user, batch, amounts, request.POST.get("version"),
            note=request.POST.get("note", ""),
        )  # fmt: skip
    except (ServiceError, ConflictError) as error:
        messages.error(request, error.message)
    else:
        total = sum((g.approved_amount for g in grants), Decimal(0))
        messages.success(request, f"已审定：{len(grants)}家企业，核定{money(total)}万元。")
    return redirect("policies:batch_detail", pk=batch.pk)


@require_POST
@managers
def batch_cancel(request, pk: int):
    batch = get_object_or_404(scopes.batches(request.user, "manage"), pk=pk)
    try:
        ledger.cancel_batch(
            request.user, batch, request.POST.get("version"), request.POST.get("note", "")
        )
    except (ServiceError, ConflictError) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "已撤销该批次。")
    return redirect("policies:batch_detail", pk=batch.pk)


urlpatterns = [
    path("ledger/", ledger_list, name="ledger"),
    path("ledger/mine/", ledger_mine, name="ledger_mine"),
    path("ledger/new/", grant_new, name="grant_new"),
    path("ledger/<int:pk>/", grant_detail, name="grant_detail"),
    path("ledger/<int:pk>/pay/", payment_new, name="payment_new"),
    path("batches/", batch_list, name="batch_list"),
    path("batches/propose/", batch_propose, name="batch_propose"),
    path("batches/<int:pk>/", batch_detail, name="batch_detail"),
    path("batches/<int:pk>/approve/", batch_approve, name="batch_approve"),
    path("batches/<int:pk>/cancel/", batch_cancel, name="batch_cancel"),
]
