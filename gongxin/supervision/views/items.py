"""Items: the filtered list, the detail page with its history, edits, review, 批示, 销号."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongxin.accounts.choices import Role
from gongxin.core.errors import ConflictError, ServiceError
from gongxin.core.models import AuditEvent
from gongxin.supervision import services
from gongxin.supervision.filtersets import ItemFilter
from gongxin.supervision.forms import (
    ClosureDecisionForm,
    InstructionForm,
    ItemForm,
    ItemTargetForm,
    ReviewForm,
    TargetBindingForm,
)
from gongxin.supervision.models import (
    ClosureRequest,
    Instruction,
    Item,
    ItemTarget,
    Plan,
    ProgressReport,
)
from gongxin.supervision.services import bindings, targets, workflow
from gongxin.supervision.views.common import (
    leader_only,
    period_of,
    reporter_only,
    supervision_roles,
    supervisor_only,
)

PAGE_SIZE = 20


@require_GET
@supervision_roles
def item_list(request, pk: int):
    plan = get_object_or_404(Plan.objects.restrict(request.user, "view"), pk=pk)
    period = period_of(request, plan)
    queryset = (
        Item.objects.restrict(request.user, "view")
        .filter(plan=plan)
        .prefetch_related("leader_links__leader", "assignments__unit", "reviews")
    )
    filterset = ItemFilter(request.GET, queryset=queryset)
    rows = [(item, workflow.item_light(item)) for item in filterset.qs.order_by("seq")]
    wanted_light = request.GET.get("light")
    if wanted_light:
        rows = [(item, light) for item, light in rows if light == wanted_light]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page_title": f"{plan.title} · 事项", "plan": plan, "period": period, "filterset": filterset,
        "page": page, "count": len(rows), "query": query.urlencode(),
        "can_download": request.user.role in (Role.SUPERVISOR, Role.LEADER),
        "is_supervisor": request.user.role == Role.SUPERVISOR,
    }  # fmt: skip
    template = "supervision/_item_rows.html" if request.htmx else "supervision/item_list.html"
    return render(request, template, context)


@require_GET
@supervision_roles
def item_detail(request, pk: int):
    item = get_object_or_404(
        Item.objects.restrict(request.user, "view").select_related("plan")
        .prefetch_related("leader_links__leader", "assignments__unit"),
        pk=pk,
    )  # fmt: skip
    period = period_of(request, item.plan)
    reports = (
        ProgressReport.objects.restrict(request.user, "view").filter(item=item)
        .select_related("assignment__unit", "submitted_by").prefetch_related("evidence")
        .order_by("-period", "assignment__order")
    )  # fmt: skip
    user = request.user
    my_assignments = [
        a
        for a in item.assignments.all()
        if user.role == Role.REPORTER and a.unit_id == user.unit_id
    ]
    history = None
    if user.role == Role.SUPERVISOR:
        history = AuditEvent.objects.filter(
            object_type="supervision.item", object_id=str(item.pk)
        ).order_by("-id")[:50]
    context = {
        "page_title": f"第{item.seq}项", "item": item, "plan": item.plan, "period": period,
        "reports": reports, "targets": item.period_targets.select_related("assignment").order_by("-period"),
        "instructions": item.instructions.select_related("author").prefetch_related("read_by_units"),
        "reviews": item.reviews.select_related("reviewer"),
        "closures": item.closure_requests.select_related("requested_by", "decided_by"),
        "light": workflow.item_light(item), "my_assignments": my_assignments, "history": history,
        "review_form": ReviewForm(initial={"status": item.official_status or item.suggested_status}),
        "instruction_form": InstructionForm(),
        "item_targets": [
            (t, ItemTargetForm(initial={**{f: getattr(t, f) for f in ItemTargetForm.base_fields}}),
             TargetBindingForm(initial=TargetBindingForm.initial_for(t)),
             bindings.describe_binding(t))
            for t in item.targets.all()
        ], "closure_form": ClosureDecisionForm(),
        "is_supervisor": user.role == Role.SUPERVISOR,
        "is_leader": user.role == Role.LEADER and item.leaders.filter(pk=user.leader_id).exists(),
    }  # fmt: skip
    return render(request, "supervision/item_detail.html", context)


@require_http_methods(["GET", "POST"])
@supervisor_only
def item_edit(request, plan_pk: int, pk: int | None = None):
    plan = get_object_or_404(Plan.objects.restrict(request.user, "change"), pk=plan_pk)
    item = (
        get_object_or_404(Item.objects.restrict(request.user, "change"), pk=pk, plan=plan)
        if pk
        else None
    )
    initial = {"leaders": "、".join(leader.name for leader in item.ordered_leaders)} if item else {}
    form = ItemForm(request.POST or None, instance=item, initial=initial)
    if request.method == "POST" and form.is_valid():
        leaders = [
            n for n in request.POST.get("leaders", "").replace("，", "、").split("、") if n.strip()
        ]
        try:
            saved = services.save_item(
                request.user,
                plan,
                item,
                leaders=leaders,
                expected_version=int(request.POST["version"])
                if request.POST.get("version")
                else None,
                **form.cleaned_data,
            )
        except (ServiceError, ConflictError) as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "已保存。")
            return redirect("supervision:item_detail", pk=saved.pk)
    title = f"编辑第{item.seq}项" if item else "新增事项"
    return render(
        request,
        "supervision/item_form.html",
        {
            "page_title": title,
            "form": form,
            "plan": plan,
            "item": item,
            "leaders": request.POST.get("leaders", initial.get("leaders", "")),
        },
    )


@require_POST
@supervisor_only
def item_review(request, pk: int):
    item = get_object_or_404(
        Item.objects.restrict(request.user, "review").select_related("plan"), pk=pk
    )
    form = ReviewForm(request.POST)
    if form.is_valid():
        period = period_of(request, item.plan)
        workflow.review(
            request.user,
            item,
            str(period),
            form.cleaned_data["status"],
            form.cleaned_data["comment"],
        )
        messages.success(request, "审核结果已保存。")
    else:
        messages.error(request, "请选择审核状态。")
    period = period_of(request, item.plan)
    return redirect(f"{reverse('supervision:item_detail', args=[item.pk])}?period={period}")


@require_POST
@supervisor_only
def target_update(request, pk: int):
    target = get_object_or_404(
        ItemTarget.objects.filter(item__in=Item.objects.restrict(request.user, "change")), pk=pk
    )
    form = ItemTargetForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            targets.update_target(request.user, target, expected_version=version, **data)
            messages.success(request, "量化目标已保存。")
        except (ServiceError, ConflictError) as error:
            messages.error(request, error.message)
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("supervision:item_detail", pk=target.item_id)


@require_POST
@supervisor_only
def target_bind(request, pk: int):
    """Bind a target to a data source by hand, unbind it, or hand it back to the rules."""
    target = get_object_or_404(
        ItemTarget.objects.filter(item__in=Item.objects.restrict(request.user, "change")), pk=pk
    )
    form = TargetBindingForm(request.POST)
    if form.is_valid():
        auto = form.cleaned_data["source"] == "auto"
        binding = bindings.rule_for(target) if auto else form.binding()
        try:
            bindings.bind_target(
                request.user, target, binding, manual=not auto,
                expected_version=form.cleaned_data["version"],
            )  # fmt: skip
            messages.success(request, "数据来源已保存。" if binding else "已取消绑定。")
        except ConflictError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("supervision:item_detail", pk=target.item_id)


@require_POST
@leader_only
def item_instruct(request, pk: int):
    item = get_object_or_404(Item.objects.restrict(request.user, "instruct"), pk=pk)
    form = InstructionForm(request.POST)
    if form.is_valid():
        workflow.instruct(request.user, item, form.cleaned_data["text"])
        messages.success(request, "批示已发送至责任单位。")
    else:
        messages.error(request, "请填写批示内容。")
    return redirect("supervision:item_detail", pk=item.pk)


@require_POST
@reporter_only
def instruction_read(request, pk: int):
    """A unit confirms it has read a leader's instruction (it leaves the unit's to-do)."""
    instruction = get_object_or_404(
        Instruction.objects.filter(item__in=Item.objects.restrict(request.user, "report")), pk=pk
    )
    workflow.mark_instruction_read(request.user, instruction)
    return redirect("supervision:item_detail", pk=instruction.item_id)


@require_POST
@supervisor_only
def closure_decide(request, pk: int):
    request_row = get_object_or_404(
        ClosureRequest.objects.filter(item__in=Item.objects.restrict(request.user, "review")), pk=pk
    )
    form = ClosureDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择同意或不同意。")
        return redirect("supervision:item_detail", pk=request_row.item_id)
    try:
        workflow.decide_closure(
            request.user,
            request_row,
            form.cleaned_data["approve"] == "1",
            form.cleaned_data["comment"],
        )
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect(reverse("supervision:item_detail", args=[request_row.item_id]))
