"""A unit reporter's side: 签收, the one progress entry per period, next period's target,
evidence, and the closure request."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongxin.core.errors import ServiceError
from gongxin.core.imports.exceptions import ImportRefused
from gongxin.supervision.forms import ClosureRequestForm, ProgressForm, TargetForm
from gongxin.supervision.models import Evidence, ItemUnit, PeriodTarget, ProgressReport
from gongxin.supervision.services import workflow
from gongxin.supervision.views.common import (
    file_response,
    period_of,
    reporter_only,
    supervision_roles,
)


def _my_assignment(request, pk: int, action: str = "report") -> ItemUnit:
    return get_object_or_404(
        ItemUnit.objects.restrict(request.user, action).select_related("item__plan", "unit"), pk=pk
    )


@require_POST
@reporter_only
def acknowledge(request, pk: int):
    assignment = _my_assignment(request, pk, "acknowledge")
    workflow.acknowledge(request.user, assignment)
    messages.success(request, f"已签收第{assignment.item.seq}项。")
    period = period_of(request, assignment.item.plan)
    return redirect(
        f"{reverse('supervision:item_detail', args=[assignment.item_id])}?period={period}"
    )


@require_http_methods(["GET", "POST"])
@reporter_only
def progress_edit(request, pk: int):
    """Create or edit this unit's entry for the period; a stale edit shows both versions."""
    assignment = _my_assignment(request, pk)
    item = assignment.item
    period = period_of(request, item.plan)
    report = ProgressReport.objects.filter(assignment=assignment, period=str(period)).first()
    initial = (
        {"text": report.text, "claimed_status": "", "version": report.version}
        if report
        else {"version": 0}
    )
    form = ProgressForm(request.POST or None, request.FILES or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("evidence")
        files = [(upload.name, upload.read())] if upload else []
        try:
            workflow.submit_progress(
                request.user, assignment, period, form.cleaned_data["text"],
                expected_version=form.cleaned_data.get("version") or 0,
                claimed_status=form.cleaned_data.get("claimed_status") or "", files=files,
            )  # fmt: skip
        except workflow.EditConflict as error:
            conflict = error
            form = ProgressForm(initial={"text": error.mine, "version": error.their_version})
        except (ServiceError, ImportRefused) as error:
            form.add_error(
                "evidence" if isinstance(error, ImportRefused) else "text", error.message
            )
        else:
            messages.success(request, f"第{item.seq}项 {period.label_zh} 推进情况已报送。")
            return redirect(f"{reverse('supervision:item_detail', args=[item.pk])}?period={period}")
    next_period = str(period.next())
    next_target = PeriodTarget.objects.filter(
        item=item, assignment=assignment, period=next_period
    ).first()
    current_target = (
        PeriodTarget.objects.filter(item=item, period=str(period)).order_by("assignment_id").first()
    )
    context = {
        "page_title": f"报送推进情况：第{item.seq}项", "assignment": assignment, "item": item,
        "period": period, "form": form, "conflict": conflict, "report": report,
        "deadline": workflow.report_deadline(item.plan, period),
        "target_form": TargetForm(initial={"text": next_target.text if next_target else
                                           (current_target.text if current_target else "")}),
        "next_period": period.next(), "current_target": current_target,
        "closure_form": ClosureRequestForm(),
    }  # fmt: skip
    return render(request, "supervision/progress_form.html", context)


@require_POST
@reporter_only
def target_edit(request, pk: int):
    """Next period's target for this unit (prefilled from this period's text)."""
    assignment = _my_assignment(request, pk)
    form = TargetForm(request.POST)
    period = period_of(request, assignment.item.plan)
    if form.is_valid():
        workflow.set_period_target(
            request.user,
            assignment.item,
            period.next(),
            form.cleaned_data["text"],
            assignment=assignment,
        )
        messages.success(request, f"{period.next().label_zh}目标已保存。")
    else:
        messages.error(request, "请填写下期目标。")
    return redirect(f"{reverse('supervision:progress_edit', args=[pk])}?period={period}")


@require_POST
@reporter_only
def closure_request(request, pk: int):
    assignment = _my_assignment(request, pk)
    form = ClosureRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请说明申请销号的理由。")
    else:
        try:
            workflow.request_closure(request.user, assignment, form.cleaned_data["reason"])
            messages.success(request, "销号申请已提交，等待督查人员审批。")
        except ServiceError as error:
            messages.error(request, error.message)
    return redirect("supervision:item_detail", pk=assignment.item_id)


@require_GET
@supervision_roles
def evidence_download(request, pk: int):
    evidence = get_object_or_404(Evidence.objects.select_related("file", "report"), pk=pk)
    if (
        not ProgressReport.objects.restrict(request.user, "view")
        .filter(pk=evidence.report_id)
        .exists()
    ):
        raise Http404("附件不存在。")
    return file_response(bytes(evidence.file.content), evidence.name, "application/octet-stream")
