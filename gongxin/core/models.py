"""Kernel models: the audit trail, background jobs and stored import files."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongxin.core.choices import JobStatus, PreviewStatus


class AppendOnlyQuerySet(models.QuerySet):
    """Audit rows are never changed or removed through the ORM."""

    def update(self, **kwargs):
        raise PermissionError("审计记录只能追加，不能修改。")

    def delete(self):
        raise PermissionError("审计记录只能追加，不能删除。")

    def restrict(self, user, action: str = "view"):
        from gongxin.core.access import is_audit_admin

        if action == "view" and is_audit_admin(user):
            return self
        return self.none()


class AuditEvent(models.Model):
    """One audited fact: who did what to which object, with before/after, hash-chained.

    `hash` = SHA-256 over the previous row's hash and this row's canonical content, so a
    changed or removed row breaks the chain (`gongxin audit_verify`). Actor fields are
    copied, not foreign keys, so the trail never depends on the user table.
    """

    at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_username = models.CharField(max_length=150)
    actor_role = models.CharField(max_length=32, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=100, blank=True, db_index=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(max_length=255, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)
    ip = models.CharField(max_length=45, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("审计记录只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计记录只能追加，不能删除。")


class AuditChainHead(models.Model):
    """The single row locked while an audit row is appended, so the chain stays linear."""

    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return self.last_hash


class JobQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        if not user.is_authenticated:
            return self.none()
        return self.filter(created_by=user)


class Job(models.Model):
    """Long work run by `gongxin worker`: claimed from this table, no broker needed.

    A job's handler applies its effects in one transaction at its end, so a worker killed
    mid-way leaves nothing half-applied; the stale job is then retried or marked failed.
    """

    kind = models.CharField(max_length=64)
    title = models.CharField(max_length=200)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=JobStatus, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=255, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    worker = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "id"])]
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"

    def __str__(self) -> str:
        return f"{self.title}（{self.get_status_display()}）"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class StoredFile(models.Model):
    """An uploaded file kept by its SHA-256, so a commit re-reads exactly what was previewed."""

    sha256 = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "上传文件"
        verbose_name_plural = "上传文件"

    def __str__(self) -> str:
        return self.name


class ImportPreviewQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        if not user.is_authenticated:
            return self.none()
        return self.filter(created_by=user)


class ImportPreview(models.Model):
    """A dry run of an importer over a stored file: what a commit would do, with errors."""

    importer = models.CharField(max_length=64)
    options = models.JSONField(default=dict, blank=True)
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT)
    file_sha256 = models.CharField(max_length=64)
    result = models.JSONField(default=dict)
    status = models.CharField(max_length=16, choices=PreviewStatus, default=PreviewStatus.READY)
    expires_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    objects = ImportPreviewQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = "导入预览"
        verbose_name_plural = "导入预览"

    def __str__(self) -> str:
        return f"{self.importer}: {self.file.name}"


class ImportLock(models.Model):
    """One row per (importer, slice); locked FOR UPDATE so imports of one slice queue."""

    key = models.CharField(max_length=200, unique=True)

    def __str__(self) -> str:
        return self.key
