"""Background jobs behind the import pages: "imports.preview" and "imports.commit".

This module must be imported at startup (CoreConfig.ready) so that `gongxin worker`
knows the job kinds; the import views import it too.
"""

from __future__ import annotations

from django.urls import reverse

from gongxin.core import jobs
from gongxin.core.imports import services
from gongxin.core.imports.exceptions import ImportRefused
from gongxin.core.models import ImportPreview, Job, StoredFile

PREVIEW = "imports.preview"
COMMIT = "imports.commit"


def _counts(result: dict) -> dict:
    keys = ("file", "rows", "created", "updated", "unchanged")
    return {k: result.get(k) for k in keys} | {"errors": len(result.get("errors", []))}


@jobs.handler(PREVIEW)
def preview_job(job: Job, ctx: jobs.JobContext) -> dict:
    params = job.params
    try:
        stored = StoredFile.objects.get(pk=params["file_id"])
    except StoredFile.DoesNotExist:
        raise jobs.JobError("上传的文件已不存在，请重新上传。") from None
    try:
        preview = services.preview(
            job.created_by,
            stored,
            params["importer"],
            params.get("options") or {},
            file_name=params.get("file_name"),
            progress=ctx.progress,
        )
    except ImportRefused as refusal:
        raise jobs.JobError(refusal.message) from refusal
    errors = len(preview.result.get("errors", []))
    ctx.progress(100, f"预览完成，发现 {errors} 处错误" if errors else "预览完成")
    return {
        **_counts(preview.result),
        "preview": preview.pk,
        "url": reverse("imports:preview", args=[preview.pk]),
        "link_text": "查看预览",
    }


@jobs.handler(COMMIT)
def commit_job(job: Job, ctx: jobs.JobContext) -> dict:
    preview = ImportPreview.objects.filter(
        pk=job.params["preview_id"], created_by=job.created_by
    ).first()
    if preview is None:
        raise jobs.JobError("导入预览不存在。")
    try:
        result = services.commit(job.created_by, preview, progress=ctx.progress)
    except ImportRefused as refusal:
        raise jobs.JobError(refusal.message) from refusal
    ctx.progress(100, "导入完成")
    return {
        **_counts(result),
        "preview": preview.pk,
        "url": reverse("imports:preview", args=[preview.pk]),
        "link_text": "查看导入结果",
    }
