"""Import pages: upload → (preview job) → preview → 确认导入 → (commit job) → result.

Thin: the heavy work runs in background jobs (handlers.py) whose page shows progress.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongxin.core import jobs
from gongxin.core.access import login_required
from gongxin.core.choices import PreviewStatus
from gongxin.core.imports import handlers, services
from gongxin.core.imports.base import all_importers, get_importer
from gongxin.core.imports.exceptions import ImportRefused
from gongxin.core.imports.forms import UploadForm
from gongxin.core.models import ImportPreview
from gongxin.reports.xlsx import table_xlsx

ACTION_LABELS = {"created": "新增", "updated": "更新", "unchanged": "未变"}


def _importer_cls(slug: str, user):
    try:
        cls = get_importer(slug)
    except ImportRefused:
        raise Http404("没有这种导入类型。") from None
    if not cls.allows(user):
        raise PermissionDenied("您的角色无权使用此导入。")
    return cls


@require_GET
@login_required
def index(request):
    importers = [cls for cls in all_importers() if cls.allows(request.user)]
    if not importers:
        raise PermissionDenied("您的角色没有可用的导入。")
    return render(request, "imports/index.html", {"page_title": "数据导入", "importers": importers})


@require_http_methods(["GET", "POST"])
@login_required
def upload(request, slug: str):
    cls = _importer_cls(slug, request.user)
    post = request.method == "POST"
    form = UploadForm(cls, request.POST if post else None, request.FILES if post else None)
    options_form = None
    if cls.options_form is not None:
        options_form = cls.options_form(request.POST if post else None, prefix="opt")
    if post and form.is_valid() and (options_form is None or options_form.is_valid()):
        upload_file = form.cleaned_data["file"]
        name = services.clean_file_name(upload_file.name)
        try:
            stored = services.store_file(request.user, name, upload_file.read(), cls.formats)
        except ImportRefused as refusal:
            form.add_error("file", refusal.message)
        else:
            job = jobs.enqueue(
                handlers.PREVIEW,
                f"导入预览：{cls.label}（{name}）",
                {
                    "importer": cls.slug,
                    "file_id": stored.pk,
                    "file_name": name,
                    "options": options_form.cleaned_data if options_form is not None else {},
                },
                request.user,
            )
            return redirect("core:job_detail", pk=job.pk)
    return render(
        request,
        "imports/upload.html",
        {
            "page_title": f"导入{cls.label}",
            "importer": cls,
            "form": form,
            "options_form": options_form,
        },
    )


@require_GET
@login_required
def template_download(request, slug: str):
    """An empty workbook with the importer's headers, to fill in."""
    cls = _importer_cls(slug, request.user)
    content = table_xlsx(cls.label, [c.header for c in cls.columns], [])
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(True, f"{cls.label}导入模板.xlsx")
    return response


def _changes(importer, item: dict) -> list[dict[str, str]]:
    before, after = item.get("before") or {}, item.get("after") or {}
    return [
        {
            "field": importer.field_label(name),
            "old": importer.display(name, before.get(name)) if item["action"] != "created" else "",
            "new": importer.display(name, value),
        }
        for name, value in after.items()
    ]


@require_GET
@login_required
def preview_detail(request, pk: int):
    preview = get_object_or_404(ImportPreview.objects.restrict(request.user, "view"), pk=pk)
    cls = _importer_cls(preview.importer, request.user)
    importer = cls(request.user, preview.options)
    result = preview.result
    items = [
        {
            "row": item["row"],
            "key": item["key"],
            "action": ACTION_LABELS.get(item["action"], item["action"]),
            "changes": _changes(importer, item),
        }
        for item in result.get("changes", [])
    ]
    expired = preview.expires_at <= timezone.now()
    return render(
        request,
        "imports/preview.html",
        {
            "page_title": f"导入预览：{cls.label}",
            "preview": preview,
            "importer": cls,
            "result": result,
            "items": items,
            "expired": expired,
            "can_commit": preview.status == PreviewStatus.READY and not expired,
        },
    )


@require_POST
@login_required
def preview_commit(request, pk: int):
    preview = get_object_or_404(ImportPreview.objects.restrict(request.user, "change"), pk=pk)
    cls = _importer_cls(preview.importer, request.user)
    if preview.status != PreviewStatus.READY or preview.expires_at <= timezone.now():
        messages.error(request, "该预览不能导入（已导入、有错误或已过期）。请重新上传文件。")
        return redirect("imports:preview", pk=preview.pk)
    job = jobs.enqueue(
        handlers.COMMIT,
        f"确认导入：{cls.label}（{preview.result.get('file', '')}）",
        {"preview_id": preview.pk},
        request.user,
    )
    return redirect("core:job_detail", pk=job.pk)
