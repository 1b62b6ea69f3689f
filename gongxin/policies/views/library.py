"""Policies pages: the library (bureau staff: policies, their clauses in words, each
clause's matches with 导出Excel and pushes, re-running a match) and the enterprise's
inbox (政策推荐: its own matches with the explanation of every criterion).

Which rows anyone sees is decided by querysets.py; writes go through delivery.py."""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from gongxin.accounts.choices import Role
from gongxin.accounts.models import Unit
from gongxin.analytics.catalog import PROVENANCE_LABELS
from gongxin.core.access import roles_required
from gongxin.core.errors import ServiceError
from gongxin.core.tables import Column, Table
from gongxin.enterprises.choices import HonorKind
from gongxin.policies import delivery, display, querysets, services
from gongxin.policies.models import Clause, Match, Policy, Push
from gongxin.policies.querysets import BUREAU_ROLES, MATCH_ROLES, PUSH_ROLES

ELIGIBLE = Q(clauses__matches__status=Match.Status.ELIGIBLE)
NEAR = Q(clauses__matches__status=Match.Status.NEAR_MISS)


def _state(policy: Policy, today) -> str:
    if policy.effective_from > today:
        return "未施行"
    if policy.effective_to is not None and policy.effective_to < today:
        return "已失效"
    return "现行有效"


# --- the library ----------------------------------------------------------------------------
class PolicyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="政策名称/文号", method="search")
    state = django_filters.ChoiceFilter(
        label="状态",
        choices=[("in_force", "现行有效"), ("ended", "已失效")],
        empty_label="全部",
        method="by_state",
    )

    class Meta:
        model = Policy
        fields: list[str] = []

    def search(self, queryset, name, value):
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(Q(title__icontains=text) | Q(doc_number__icontains=text))

    def by_state(self, queryset, name, value):
        today = timezone.localdate()
        in_force = Q(effective_from__lte=today) & (
            Q(effective_to__isnull=True) | Q(effective_to__gte=today)
        )
        if value == "in_force":
            return queryset.filter(in_force)
        if value == "ended":
            return queryset.filter(effective_to__lt=today)
        return queryset


def _policy_columns(today) -> list[Column]:
    return [
        Column(
            "政策名称",
            lambda p: p.title,
            url=lambda p: reverse("policies:policy_detail", args=[p.pk]),
        ),
        Column("发文机关", lambda p: p.issuer),
        Column("文号", lambda p: p.doc_number),
        Column("施行日期", lambda p: p.effective_from),
        Column("有效期至", lambda p: p.effective_to),
        Column("状态", lambda p: _state(p, today)),
        Column("条款数", lambda p: p.clause_count, css="num"),
        Column("符合条件(家)", lambda p: p.eligible_count, css="num"),
        Column("接近条件(家)", lambda p: p.near_count, css="num"),
    ]


@require_GET
@roles_required(*BUREAU_ROLES)
def policy_list(request):
    policies = Policy.objects.annotate(
        clause_count=Count("clauses", distinct=True),
        eligible_count=Count("clauses__matches__enterprise", filter=ELIGIBLE, distinct=True),
        near_count=Count("clauses__matches__enterprise", filter=NEAR, distinct=True),
    ).order_by("-effective_from", "code")
    table = Table(
        request,
        policies,
        _policy_columns(timezone.localdate()),
        filterset_class=PolicyFilter,
        table_id="policies",
        export_name="政策库",
    )
    if table.wants_export():
        return table.export_response()
    return render(request, "policies/library_list.html", {"page_title": "政策库", "table": table})


def _category_labels() -> dict[str, dict[str, str]]:
    return {
        "honors": dict(HonorKind.choices),
        "region": {str(pk): name for pk, name in Unit.objects.values_list("pk", "name")},
    }


@require_GET
@roles_required(*BUREAU_ROLES)
def policy_detail(request, pk: int):
    policy = get_object_or_404(Policy, pk=pk)
    today = timezone.localdate()
    when = min(today, policy.effective_to) if policy.effective_to else today
    counts = {
        (row["clause"], row["status"]): row["n"]
        for row in querysets.matches(request.user)
        .shown()
        .filter(clause__policy=policy)
        .values("clause", "status")
        .annotate(n=Count("id"))
    }
    labels = _category_labels()
    clauses = []
    for clause in policy.clauses.prefetch_related("parameters").order_by("code"):
        clauses.append(
            {
                "clause": clause,
                "criteria": display.describe_criteria(
                    clause.criteria,
                    lambda name, c=clause: services.parameter_value(c, name, when),
                    labels,
                ),
                "award": display.describe_award(clause.award),
                "provenances": "、".join(PROVENANCE_LABELS.get(p, p) for p in clause.provenances),
                "parameters": [
                    {"p": p, "value": display.number(p.value)} for p in clause.parameters.all()
                ],
                "eligible": counts.get((clause.pk, Match.Status.ELIGIBLE), 0),
                "near": counts.get((clause.pk, Match.Status.NEAR_MISS), 0),
            }
        )
    return render(
        request,
        "policies/library_detail.html",
        {
            "page_title": policy.title,
            "policy": policy,
            "state": _state(policy, today),
            "criteria_date": when,
            "clauses": clauses,
            "can_match": request.user.role in MATCH_ROLES,
        },
    )


@require_POST
@roles_required(*MATCH_ROLES)
def policy_rematch(request, pk: int):
    policy = get_object_or_404(Policy, pk=pk)
    try:
        job = delivery.request_match(request.user, policy)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("policies:policy_detail", pk=policy.pk)
    return redirect("core:job_detail", pk=job.pk)


# --- a clause's matches ---------------------------------------------------------------------
class MatchFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label="结果",
        choices=[(s.value, s.label) for s in querysets.SHOWN_STATUSES],
        empty_label="全部",
    )
    q = django_filters.CharFilter(label="企业名称/信用代码", method="search")

    class Meta:
        model = Match
        fields: list[str] = []

    def search(self, queryset, name, value):
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(
            Q(enterprise__name__icontains=text) | Q(enterprise__uscc__icontains=text.upper())
        )


class PushForm(forms.Form):
    channel = forms.ChoiceField(label="推送方式", choices=Push.Channel.choices)
    note = forms.CharField(label="说明", max_length=300, required=False)


def _last_push(match: Match) -> str:
    pushes = list(match.pushes.all())  # prefetched, newest first
    if not pushes:
        return ""
    push = pushes[0]
    when = timezone.localtime(push.pushed_at).strftime("%Y-%m-%d %H:%M")
    read = "，企业已查看" if push.read_at else ""
    return f"{when} {push.get_channel_display()}{read}"


def _match_columns(show_survey: bool) -> list[Column]:
    return [
        Column(
            "企业名称",
            lambda m: m.enterprise.name,
            url=lambda m: reverse("enterprises:detail", args=[m.enterprise_id]),
        ),
        Column("统一社会信用代码", lambda m: m.enterprise.uscc),
        Column("结果", lambda m: m.get_status_display()),
        Column("奖补（测算或上限）", lambda m: display.award_text(m.award, m.award_cap)),
        Column("逐项说明", lambda m: display.reasons_text(m.reasons, show_survey=show_survey)),
        Column("最近推送", _last_push),
    ]


def _clause_matches(user, clause: Clause):
    return (
        querysets.matches(user, "view")
        .shown()
        .filter(clause=clause)
        .select_related("enterprise")
        .prefetch_related(Prefetch("pushes", queryset=Push.objects.order_by("-pushed_at", "-id")))
        .order_by("status", "-award", "enterprise__name", "pk")
    )


@require_GET
@roles_required(*BUREAU_ROLES)
def clause_matches(request, pk: int):
    clause = get_object_or_404(Clause.objects.select_related("policy"), pk=pk)
    table = Table(
        request,
        _clause_matches(request.user, clause),
        _match_columns(show_survey=request.user.role == Role.ANALYST),
        filterset_class=MatchFilter,
        table_id="matches",
        export_name=f"政策匹配结果_{clause.policy.code}_{clause.code}",
    )
    if table.wants_export():
        return table.export_response()
    return render(
        request,
        "policies/clause_matches.html",
        {
            "page_title": f"{clause.policy.title}：{clause.title}",
            "clause": clause,
            "table": table,
            "rows": list(zip(table.page.object_list, table.rows, strict=True)),
            "can_push": request.user.role in PUSH_ROLES,
            "push_form": PushForm(initial={"channel": Push.Channel.INBOX}),
            "channels": Push.Channel.choices,
            "award_rule": display.describe_award(clause.award),
        },
    )


def _back_to(request, clause: Clause):
    """The clause's list with the filters and page the user came from."""
    url = reverse("policies:clause_matches", args=[clause.pk])
    query = QueryDict(request.POST.get("back", "")).urlencode()
    return redirect(f"{url}?{query}" if query else url)


@require_POST
@roles_required(*PUSH_ROLES)
def match_push(request, pk: int):
    match = get_object_or_404(
        querysets.matches(request.user, "push").select_related("clause", "enterprise"), pk=pk
    )
    form = PushForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择推送方式。")
        return _back_to(request, match.clause)
    try:
        delivery.push_match(request.user, match, **form.cleaned_data)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已推送给{match.enterprise.name}。")
    return _back_to(request, match.clause)


@require_POST
@roles_required(*PUSH_ROLES)
def clause_push(request, pk: int):
    clause = get_object_or_404(Clause, pk=pk)
    form = PushForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择推送方式。")
        return _back_to(request, clause)
    try:
        pushed = delivery.push_clause(request.user, clause, **form.cleaned_data)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        if pushed:
            messages.success(request, f"已向{len(pushed)}家符合条件的企业推送。")
        else:
            messages.info(request, "符合条件的企业均已通过该方式推送过，本次未重复推送。")
    return _back_to(request, clause)


# --- the enterprise's inbox -----------------------------------------------------------------
@require_GET
@roles_required(Role.ENTERPRISE)
def inbox(request):
    entries = delivery.inbox(request.user)
    items = [
        {
            "match": e.match,
            "policy": e.match.clause.policy,
            "clause": e.match.clause,
            "award": display.award_text(e.match.award, e.match.award_cap),
            "reasons": display.reason_lines(e.match.reasons),
            "pushes": [{"push": p, "new": p.read_at is None} for p in e.pushes],
            "unread": e.unread,
        }
        for e in entries
    ]
    delivery.mark_read(request.user, entries)
    eligible = sum(1 for e in entries if e.match.status == Match.Status.ELIGIBLE)
    return render(
        request,
        "policies/inbox.html",
        {
            "page_title": "政策推荐",
            "items": items,
            "eligible": eligible,
            "near": len(entries) - eligible,
        },
    )


urlpatterns = [
    path("library/", policy_list, name="library"),
    path("library/<int:pk>/", policy_detail, name="policy_detail"),
    path("library/<int:pk>/rematch/", policy_rematch, name="policy_rematch"),
    path("clauses/<int:pk>/matches/", clause_matches, name="clause_matches"),
    path("clauses/<int:pk>/push/", clause_push, name="clause_push"),
    path("matches/<int:pk>/push/", match_push, name="match_push"),
    path("inbox/", inbox, name="inbox"),
]
