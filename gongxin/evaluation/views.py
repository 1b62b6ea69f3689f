"""亩产效益 evaluation pages: schemes (read, edit, copy to another year, 计算), a run
(counts, charts, ranked list, 公示, 公布, publication list, objections), an enterprise's
report card.

Thin: the scope is querysets.py, the wording display.py, every write a service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongxin.accounts.choices import Role
from gongxin.core import audit
from gongxin.core.access import active_role, roles_required
from gongxin.core.errors import ConflictError, ServiceError
from gongxin.core.tables import Column, Table
from gongxin.evaluation import display, exports, forms, services
from gongxin.evaluation import querysets as scopes
from gongxin.evaluation.filtersets import result_filterset
from gongxin.evaluation.models import Objection, Result, Run

readers = roles_required(*scopes.READ_ROLES)
managers = roles_required(*scopes.MANAGE_ROLES)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- schemes ---------------------------------------------------------------------------------
@require_GET
@readers
def scheme_list(request):
    schemes = list(scopes.schemes(request.user).prefetch_related("runs"))
    rows = [{"scheme": s, "latest": s.runs.all()[0] if s.runs.all() else None} for s in schemes]
    return render(
        request,
        "evaluation/scheme_list.html",
        {
            "page_title": "亩产效益评价方案",
            "current": [r for r in rows if r["scheme"].is_current],
            "older": [r for r in rows if not r["scheme"].is_current],
            "may_manage": scopes.may_manage(request.user),
        },
    )


@require_GET
@readers
def scheme_detail(request, pk: int):
    scheme = get_object_or_404(scopes.schemes(request.user), pk=pk)
    return render(
        request,
        "evaluation/scheme_detail.html",
        {
            "page_title": str(scheme),
            "scheme": scheme,
            "indicators": display.indicator_rows(scheme),
            "weights_unset": display.weights_unset(scheme),
            "class_rule": display.class_rule_text(scheme.classes),
            "restrictions": display.restriction_texts(scheme.restrictions),
            "adjustments": display.adjustment_texts(scheme.adjustments),
            "runs": scheme.runs.all(),
            "versions": scopes.schemes(request.user).filter(code=scheme.code),
            "may_manage": scopes.may_manage(request.user) and scheme.is_current,
        },
    )


@require_POST
@managers
def scheme_run(request, pk: int):
    scheme = get_object_or_404(scopes.schemes(request.user, "manage"), pk=pk)
    try:
        run, created = services.run_evaluation(request.user, scheme)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("evaluation:scheme_detail", pk=scheme.pk)
    if created:
        messages.success(request, f"计算完成：{run.evaluated}家企业参评。")
    else:
        messages.info(request, "数据与方案未变，结果与上次相同。")
    return redirect("evaluation:run_detail", pk=run.pk)


@require_http_methods(["GET", "POST"])
@managers
def scheme_edit(request, pk: int):
    scheme = get_object_or_404(scopes.schemes(request.user, "manage"), pk=pk, is_current=True)
    data = request.POST if request.method == "POST" else None
    more = data.get("more") if data is not None else None
    if more:  # "增加一行": the same page with another blank row, nothing saved
        data = forms.with_another_row(data, more)
    editor = forms.SchemeEditor(data, scheme)
    error = ""
    if data is not None and not more and editor.is_valid():
        spec = services.SchemeSpec(
            code=scheme.code, name=scheme.name, year=scheme.year, population=scheme.population,
            min_land_mu=scheme.min_land_mu, **editor.values(),
        )  # fmt: skip
        try:
            saved = services.save_scheme(request.user, spec, expected_version=editor.version)
        except (ServiceError, ConflictError) as failure:
            error = failure.message
        else:
            if saved.pk != scheme.pk:
                messages.success(
                    request, f"已保存为第{saved.version}版；已有的计算结果保留原规则。"
                )
            else:
                messages.success(request, "已保存。")
            return redirect("evaluation:scheme_detail", pk=saved.pk)
    elif data is not None and not more:
        error = "请检查填写的内容（见下方标红处）。"
    return render(
        request,
        "evaluation/scheme_form.html",
        {"page_title": f"编辑评价方案：{scheme.name}", "scheme": scheme, "editor": editor,
         "error": error},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@managers
def scheme_copy(request, pk: int):
    """复制为新方案: another year's scheme starting from this one's rules (version 1)."""
    scheme = get_object_or_404(scopes.schemes(request.user, "manage"), pk=pk, is_current=True)
    data = request.POST if request.method == "POST" else None
    form = forms.SchemeCopyForm(data, initial=forms.SchemeCopyForm.initial_for(scheme))
    if data is not None and form.is_valid():
        try:
            copy = services.copy_scheme(request.user, scheme, **form.cleaned_data)
        except ServiceError as failure:
            form.add_error(None, failure.message)
        else:
            messages.success(
                request, f"已建立“{copy.name}”（第1版），请按本年度的权重与基准核对修改。"
            )
            return redirect("evaluation:scheme_edit", pk=copy.pk)
    return render(
        request,
        "evaluation/scheme_copy.html",
        {"page_title": f"复制为新方案：{scheme.name}", "scheme": scheme, "form": form},
    )


# --- a run -----------------------------------------------------------------------------------
def _columns(run: Run, regions: dict) -> list[Column]:
    return [
        Column("排名", lambda r: r.rank if r.rank is not None else "—", css="num nowrap"),
        Column(
            "企业名称",
            lambda r: r.enterprise.name,
            url=lambda r: reverse("evaluation:result_detail", args=[run.pk, r.pk]),
        ),
        Column("统一社会信用代码", lambda r: r.enterprise.uscc),
        Column("镇街", lambda r: regions.get(r.region_id, regions[None])),
        Column("行业", lambda r: display.division_name(r.industry_code)),
        Column(
            "综合得分",
            lambda r: display.num(r.score) if r.score is not None else "—",
            css="num nowrap",
        ),
        Column("类别", lambda r: display.class_label(r.klass), css="nowrap"),
        Column("分类依据", display.reason_text),
    ]


@require_GET
@readers
def run_detail(request, pk: int):
    run = get_object_or_404(scopes.runs(request.user), pk=pk)
    if request.GET.get("export") == "xlsx":
        return _publication_export(request, run)
    results = run.results.select_related("enterprise", "run__scheme").order_by(
        F("rank").asc(nulls_last=True), "enterprise__uscc"
    )
    regions = display.region_names(set(run.results.values_list("region_id", flat=True)))
    table = Table(request, results, _columns(run, regions), filterset_class=result_filterset(run),
                  table_id="results")  # fmt: skip
    objections = scopes.objections(request.user).filter(result__run=run)
    may_manage = scopes.may_manage(request.user)
    return render(
        request,
        "evaluation/run_detail.html",
        {
            "page_title": f"{run.scheme.name}·{run.get_status_display()}",
            "run": run,
            "scheme": run.scheme,
            "counts": display.class_counts(run.results),
            "chart": display.chart_data(run),
            "movement": display.movement(run),
            "table": table,
            "objections": [
                (o, forms.ResolveForm(scheme=run.scheme, prefix=f"o{o.pk}") if may_manage else None)
                for o in objections
            ],
            "open_objections": objections.filter(status=Objection.Status.OPEN).count(),
            "may_manage": may_manage,
            "notice_form": forms.NoticeForm(initial={"until": timezone.localdate()}),
            "today": timezone.localdate(),
            "superseded_by": run.superseded_by.first(),
        },
    )


def _publication_export(request, run: Run) -> HttpResponse:
    if not scopes.may_manage(request.user):
        raise PermissionDenied("只有统计分析人员可以导出公示名单。")
    data = exports.publication_xlsx(run)
    audit.record_now(request.user, "export.xlsx", run, object_repr=str(run),
                     after={"list": "evaluation.publication"})  # fmt: skip
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, exports.filename(run))
    return response


@require_POST
@managers
def run_notice(request, pk: int):
    run = get_object_or_404(scopes.runs(request.user, "manage"), pk=pk)
    form = forms.NoticeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写公示截止日期。")
        return redirect("evaluation:run_detail", pk=run.pk)
    try:
        services.publish_notice(request.user, run, form.cleaned_data["until"])
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已公示，异议受理至{form.cleaned_data['until']:%Y年%m月%d日}。")
    return redirect("evaluation:run_detail", pk=run.pk)


@require_POST
@managers
def run_finalize(request, pk: int):
    run = get_object_or_404(scopes.runs(request.user, "manage"), pk=pk)
    try:
        final = services.finalize(request.user, run)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("evaluation:run_detail", pk=run.pk)
    if final.pk != run.pk:
        messages.success(request, "已按更正后的数据重新计算并公布；公示名单保留原样。")
    else:
        messages.success(request, "已公布，企业类别已生效。")
    return redirect("evaluation:run_detail", pk=final.pk)


# --- objections ------------------------------------------------------------------------------
@require_POST
@managers
def objection_resolve(request, pk: int):
    objection = get_object_or_404(
        scopes.objections(request.user, "manage").select_related("result__run__scheme"), pk=pk
    )
    run = objection.result.run
    form = forms.ResolveForm(request.POST, scheme=run.scheme, prefix=f"o{objection.pk}")
    if not form.is_valid():
        problems = "；".join(e for errors in form.errors.values() for e in errors)
        messages.error(request, f"异议未处理：{problems}")
        return redirect("evaluation:run_detail", pk=run.pk)
    try:
        services.resolve_objection(
            request.user, objection, accept=form.cleaned_data["decision"] == "accept",
            resolution=form.cleaned_data["resolution"], corrections=form.corrections(),
        )  # fmt: skip
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已处理{objection.result.enterprise.name}的异议。")
    return redirect(reverse("evaluation:run_detail", args=[run.pk]) + "#objections")


@require_POST
@roles_required(Role.ANALYST, Role.ENTERPRISE)
def objection_new(request, pk: int, result_id: int):
    result = get_object_or_404(scopes.results(request.user), pk=result_id, run_id=pk)
    back = (
        reverse("evaluation:card")
        if active_role(request.user) == Role.ENTERPRISE
        else reverse("evaluation:result_detail", args=[pk, result.pk])
    )
    form = forms.ObjectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请写明异议内容并提供证明材料。")
        return redirect(back)
    try:
        services.submit_objection(
            request.user, result, form.cleaned_data["text"], form.cleaned_data["evidence"]
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "异议已提交，评价工作机构将核实后答复。")
    return redirect(back)


# --- report cards ----------------------------------------------------------------------------
def _card(result: Result, user) -> dict:
    run = result.run
    today = timezone.localdate()
    open_window = run.status == Run.Status.NOTICE and (
        run.notice_until is None or today <= run.notice_until
    )
    rows = display.card_rows(result, active_role(user))
    return {
        "result": result,
        "run": run,
        "scheme": run.scheme,
        "klass": display.class_label(result.klass),
        "rank": display.rank_text(result),
        "reason": display.reason_text(result),
        "rows": rows,
        "hidden": any(r["hidden"] for r in rows),
        "lift": display.lift(result),
        "objections": result.objections.all(),
        "objection_form": forms.ObjectionForm() if open_window else None,
    }


@require_GET
@roles_required(*scopes.READ_ROLES, Role.ENTERPRISE)
def result_detail(request, pk: int, result_id: int):
    result = get_object_or_404(scopes.results(request.user), pk=result_id, run_id=pk)
    may_object = active_role(request.user) in (Role.ANALYST, Role.ENTERPRISE)
    card = _card(result, request.user)
    if not may_object:
        card["objection_form"] = None
    return render(
        request,
        "evaluation/result_detail.html",
        {
            "page_title": f"评价结果：{result.enterprise.name}",
            "card": card,
            "back": scopes.is_bureau_reader(request.user),
        },
    )


@require_GET
@roles_required(Role.ENTERPRISE)
def card(request):
    results = scopes.own_results(request.user)
    return render(
        request,
        "evaluation/card.html",
        {"page_title": "亩产效益评价结果", "cards": [_card(r, request.user) for r in results]},
    )


urlpatterns = [
    path("", scheme_list, name="scheme_list"),
    path("schemes/<int:pk>/", scheme_detail, name="scheme_detail"),
    path("schemes/<int:pk>/run/", scheme_run, name="scheme_run"),
    path("schemes/<int:pk>/edit/", scheme_edit, name="scheme_edit"),
    path("schemes/<int:pk>/copy/", scheme_copy, name="scheme_copy"),
    path("runs/<int:pk>/", run_detail, name="run_detail"),
    path("runs/<int:pk>/notice/", run_notice, name="run_notice"),
    path("runs/<int:pk>/finalize/", run_finalize, name="run_finalize"),
    path("runs/<int:pk>/results/<int:result_id>/", result_detail, name="result_detail"),
    path("runs/<int:pk>/results/<int:result_id>/objection/", objection_new, name="objection_new"),
    path("objections/<int:pk>/resolve/", objection_resolve, name="objection_resolve"),
    path("card/", card, name="card"),
]
