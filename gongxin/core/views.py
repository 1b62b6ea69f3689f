"""Kernel pages: each role's home, background jobs, and the audit trail."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from gongxin.accounts.choices import Role
from gongxin.core import audit, home
from gongxin.core.access import login_required, roles_required
from gongxin.core.filtersets import AuditEventFilter
from gongxin.core.models import AuditEvent, Job
from gongxin.core.tables import Column, Table


@require_GET
@login_required
def home_page(request):
    return render(
        request, "core/home.html", {"page_title": "我的待办", "cards": home.cards_for(request.user)}
    )


@require_GET
@login_required
def job_list(request):
    jobs = Job.objects.restrict(request.user, "view")
    table = Table(
        request,
        jobs,
        [
            Column("编号", lambda j: j.pk, url=lambda j: reverse("core:job_detail", args=[j.pk])),
            Column("任务", lambda j: j.title),
            Column("状态", lambda j: j.get_status_display()),
            Column("进度(%)", lambda j: j.progress, css="num"),
            Column("提交时间", lambda j: j.created_at),
            Column("完成时间", lambda j: j.finished_at),
        ],
        table_id="jobs",
    )
    return render(request, "core/job_list.html", {"page_title": "后台任务", "table": table})


@require_GET
@login_required
def job_detail(request, pk: int):
    job = get_object_or_404(Job.objects.restrict(request.user, "view"), pk=pk)
    template = "core/job_progress.html" if request.htmx else "core/job_detail.html"
    return render(request, template, {"page_title": f"后台任务 #{job.pk}", "job": job})


AUDIT_COLUMNS = [
    Column("序号", lambda e: e.pk, css="num"),
    Column("时间", lambda e: e.at),
    Column("操作人", lambda e: e.actor_username),
    Column(
        "角色", lambda e: Role(e.actor_role).label if e.actor_role in Role.values else e.actor_role
    ),
    Column("操作", lambda e: e.action),
    Column("对象类型", lambda e: e.object_type),
    Column("对象", lambda e: e.object_repr),
    Column("变更前", lambda e: audit.json_text(e.before)),
    Column("变更后", lambda e: audit.json_text(e.after)),
    Column("原因", lambda e: e.reason),
    Column("IP", lambda e: e.ip),
]


@require_GET
@roles_required(Role.AUDITADMIN)
def audit_list(request):
    events = AuditEvent.objects.restrict(request.user, "view")
    table = Table(
        request,
        events,
        AUDIT_COLUMNS,
        filterset_class=AuditEventFilter,
        table_id="audit",
        export_name="审计日志",
    )
    if table.wants_export():
        return table.export_response()
    return render(request, "core/audit_list.html", {"page_title": "审计日志", "table": table})


@require_GET
@roles_required(Role.AUDITADMIN)
def audit_verify(request):
    checked, broken = audit.verify_chain()
    return render(
        request,
        "core/audit_verify.html",
        {"page_title": "审计链校验", "checked": checked, "broken": broken},
    )
