"""The policy editor: a policy's own fields, and a clause's criteria built in a form.

Analysts only. Editing eligibility rules decides which enterprise figures a clause reads
and who gets money; the statistics role owns the catalog those rules read and already sees
individual figures, so it is the one role that edits them. Supervisors (督查) review work
items, not policies, and do not edit here.

Thin: the forms and the pure conversion in editor_forms parse; services.save_policy and
services.save_clause validate, write and audit (and write nothing when they refuse). The
builder's buttons (add/remove a row or a group, a changed feature) post the whole form
with an `_action` and get the builder back re-rendered; nothing is saved until 保存.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from gongxin.accounts.choices import Role
from gongxin.analytics.catalog import PROVENANCE_LABELS
from gongxin.core.access import roles_required
from gongxin.core.errors import ConflictError, ServiceError
from gongxin.policies import services
from gongxin.policies.editor_forms import (
    GROUP_MODES,
    SURVEY_NOTE,
    Builder,
    ClauseForm,
    EditorError,
    ParameterForm,
    PolicyForm,
    apply_action,
    award_errors,
    award_to_fields,
    builder_from_data,
    builder_to_tree,
    builder_view,
    feature_choices,
    fields_to_award,
    incomplete_rows,
    tiers_from_data,
    tree_to_builder,
    unknown_values,
)
from gongxin.policies.models import Clause, ClauseParameter, Policy

analyst_only = roles_required(Role.ANALYST)
BLANK_TIERS = 3


@require_GET
@analyst_only
def editor_index(request):
    policies = Policy.objects.annotate(clause_count=Count("clauses")).order_by(
        "-effective_from", "code"
    )
    return render(
        request, "policies/editor_index.html", {"page_title": "政策条款编辑", "policies": policies}
    )


@require_http_methods(["GET", "POST"])
@analyst_only
def policy_new(request):
    form = PolicyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            policy, _ = services.save_policy(request.user, _policy_data(form))
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"已创建政策“{policy.title}”，请添加条款。")
            return redirect("policies:editor_policy_edit", pk=policy.pk)
    return render(request, "policies/editor_policy.html", {"page_title": "新建政策", "form": form})


@require_http_methods(["GET", "POST"])
@analyst_only
def policy_edit(request, pk: int):
    policy = get_object_or_404(Policy, pk=pk)
    form = PolicyForm(request.POST or None, instance=Policy.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data.get("version") != policy.version:
                raise ConflictError
            services.save_policy(request.user, {**_policy_data(form), "code": policy.code})
        except (ServiceError, ConflictError) as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "已保存。")
            return redirect("policies:editor_policy_edit", pk=pk)
    return render(
        request,
        "policies/editor_policy.html",
        {
            "page_title": f"编辑政策：{policy.title}",
            "form": form,
            "policy": policy,
            "clauses": policy.clauses.order_by("code"),
        },
    )


def _policy_data(form: PolicyForm) -> dict:
    return {name: form.cleaned_data.get(name) for name in ("code", *services.POLICY_FIELDS)}


@require_http_methods(["GET", "POST"])
@analyst_only
def clause_new(request, pk: int):
    return _clause_page(request, get_object_or_404(Policy, pk=pk), None)


@require_http_methods(["GET", "POST"])
@analyst_only
def clause_edit(request, pk: int, clause_pk: int):
    policy = get_object_or_404(Policy, pk=pk)
    return _clause_page(request, policy, get_object_or_404(Clause, pk=clause_pk, policy=policy))


def _clause_page(request, policy: Policy, clause: Clause | None):
    stored = list(ClauseParameter.objects.filter(clause=clause)) if clause else []
    by_date = sorted(stored, key=lambda p: p.effective_from)
    labels = {p.name: p.label for p in by_date}
    units = {p.name: p.unit for p in by_date}
    taken = {(p.name, p.effective_from) for p in stored}
    unreadable = ""
    if request.method == "GET":
        initial = _clause_initial(clause)
        form = ClauseForm(initial=initial, editing=clause is not None)
        pform = ParameterForm(prefix="newparam", existing=labels, units=units)
        tiers = initial["tiers"]
        try:
            builder = tree_to_builder(clause.criteria if clause else None)
        except EditorError as error:
            builder, unreadable = Builder(), error.message
        return _render_clause(request, policy, clause, form, pform, builder, tiers, stored,
                              labels, unreadable)  # fmt: skip

    data = request.POST
    form = ClauseForm(data, initial=_clause_initial(clause), editing=clause is not None)
    pform = ParameterForm(data, prefix="newparam", existing=labels, units=units)
    builder = builder_from_data(data)
    tiers = tiers_from_data(data)
    params = dict(labels)
    new_name = data.get("newparam-name") or data.get("newparam-new_name", "")
    if new_name and new_name not in params:
        params[new_name] = data.get("newparam-label") or new_name
    action = data.get("_action", "")
    if action:  # a builder button: re-render, save nothing
        apply_action(builder, action)
        if request.htmx:
            return render(
                request,
                "policies/editor_builder.html",
                _builder_context(builder, params, policy, clause),
            )
        return _render_clause(request, policy, clause, form, pform, builder, tiers, stored,
                              params, unreadable)  # fmt: skip

    valid = form.is_valid() & pform.is_valid()
    if valid:
        new = pform.parameter()
        errors = incomplete_rows(builder) + unknown_values(builder)
        errors += award_errors({**form.cleaned_data, "tiers": tiers})
        if new and (new["name"], new["effective_from"]) in taken:
            errors.append(
                f"参数“{new['name']}”在{new['effective_from']:%Y-%m-%d}已有取值："
                "变更请填写新的生效日期（变更是新增一条带日期的取值）。"
            )
        if clause is not None and form.cleaned_data.get("version") != clause.version:
            errors.append(ConflictError().message)
        for message in errors:
            form.add_error(None, message)
        if not errors:
            try:
                saved = services.save_clause(request.user, policy, _spec(form, builder, tiers,
                                                                           stored, new))  # fmt: skip
            except ServiceError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"已保存条款“{saved.title}”。")
                return redirect("policies:editor_clause_edit", pk=policy.pk, clause_pk=saved.pk)
    return _render_clause(request, policy, clause, form, pform, builder, tiers, stored, params,
                          unreadable)  # fmt: skip


def _clause_initial(clause: Clause | None) -> dict:
    if clause is None:
        return award_to_fields({})
    return {
        "code": clause.code,
        "title": clause.title,
        "text": clause.text,
        "mode": clause.mode,
        "year": clause.year,
        "exclusive_group": clause.exclusive_group,
        "provenances": list(clause.provenances),
        "version": clause.version,
        **award_to_fields(clause.award),
    }


def _spec(form, builder, tiers, stored, new) -> services.ClauseSpec:
    data = form.cleaned_data
    chosen = set(data.get("provenances") or [])
    parameters = [
        {"name": p.name, "label": p.label, "value": p.value, "unit": p.unit,
         "effective_from": p.effective_from, "document": p.document, "note": p.note}
        for p in stored
    ]  # fmt: skip
    return services.ClauseSpec(
        code=data["code"],
        title=data["title"],
        text=data.get("text") or "",
        mode=data["mode"],
        year=data.get("year"),
        criteria=builder_to_tree(builder),
        provenances=[p for p in PROVENANCE_LABELS if p in chosen],
        award=fields_to_award({**data, "tiers": tiers}),
        exclusive_group=data.get("exclusive_group") or "",
        parameters=parameters + ([new] if new else []),
    )


def _action_url(policy: Policy, clause: Clause | None) -> str:
    if clause is None:
        return reverse("policies:editor_clause_new", kwargs={"pk": policy.pk})
    return reverse("policies:editor_clause_edit", kwargs={"pk": policy.pk, "clause_pk": clause.pk})


def _builder_context(builder: Builder, params: dict, policy: Policy, clause: Clause | None):
    return {
        "builder": builder,
        "items": builder_view(builder, params),
        "feature_groups": feature_choices()[1:],
        "group_modes": list(GROUP_MODES.items()),
        "action_url": _action_url(policy, clause),
    }


def _render_clause(request, policy, clause, form, pform, builder, tiers, stored, params,
                   unreadable):  # fmt: skip
    tiers = [(low, amount) for low, amount in tiers if low or amount] + [("", "")] * BLANK_TIERS
    return render(
        request,
        "policies/editor_clause.html",
        {
            "page_title": f"编辑条款：{clause.title}" if clause else "新建条款",
            "policy": policy,
            "clause": clause,
            "form": form,
            "pform": pform,
            "tiers": [(i, low, amount) for i, (low, amount) in enumerate(tiers)],
            "parameters": sorted(stored, key=lambda p: (p.name, p.effective_from)),
            "survey_note": SURVEY_NOTE,
            "unreadable": unreadable,
            "stored_json": json.dumps(clause.criteria, ensure_ascii=False, indent=2)
            if clause
            else "",
            **_builder_context(builder, params, policy, clause),
        },
    )


urlpatterns = [
    path("editor/", editor_index, name="editor_index"),
    path("editor/new/", policy_new, name="editor_policy_new"),
    path("editor/<int:pk>/", policy_edit, name="editor_policy_edit"),
    path("editor/<int:pk>/clauses/new/", clause_new, name="editor_clause_new"),
    path("editor/<int:pk>/clauses/<int:clause_pk>/", clause_edit, name="editor_clause_edit"),
]
