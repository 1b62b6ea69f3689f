"""Background jobs without a broker: rows in `core_job`, claimed by `gongxin worker`.

A handler receives the job and a `JobContext`; it reports progress as it goes and applies
its effects in one transaction at the end, so a worker killed mid-way leaves nothing
half-applied. A job whose heartbeat goes stale (its worker died) is queued again until
it has used `max_attempts`, then marked failed.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import traceback
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.utils import timezone

from gongxin.core.choices import JobStatus
from gongxin.core.models import Job

log = logging.getLogger(__name__)

Handler = Callable[[Job, "JobContext"], dict[str, Any] | None]
_HANDLERS: dict[str, Handler] = {}


class JobError(Exception):
    """A handler's expected failure: the message (Chinese) is shown, no retry."""


def handler(kind: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        _HANDLERS[kind] = func
        return func

    return register


def enqueue(
    kind: str, title: str, params: dict[str, Any], user=None, *, max_attempts: int = 3
) -> Job:
    if kind not in _HANDLERS:
        raise KeyError(f"unknown job kind {kind!r}")
    return Job.objects.create(
        kind=kind,
        title=title,
        params=params,
        max_attempts=max_attempts,
        created_by=user if user is not None and user.is_authenticated else None,
    )


class JobContext:
    """Progress reporting; also the heartbeat that tells the worker's peers it is alive."""

    def __init__(self, job: Job):
        self.job = job

    def progress(self, percent: int, message: str = "") -> None:
        percent = max(0, min(100, int(percent)))
        Job.objects.filter(pk=self.job.pk).update(
            progress=percent, message=message[:255], heartbeat_at=timezone.now()
        )
        self.job.progress, self.job.message = percent, message


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def recover_stale(now=None) -> int:
    """Requeue (or fail, after max_attempts) running jobs whose heartbeat is stale."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.JOB_STALE_SECONDS)
    count = 0
    stale = Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=cutoff)
    for job in stale:
        if job.attempts >= job.max_attempts:
            changed = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
                status=JobStatus.FAILED,
                finished_at=now,
                error="后台进程意外中止，已重试多次仍未完成，任务标记为失败，数据未作任何改动。",
            )
        else:
            changed = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
                status=JobStatus.QUEUED,
                worker="",
                progress=0,
                message="后台进程意外中止，任务已重新排队。",
            )
        count += changed
    return count


def claim_next(worker: str | None = None) -> Job | None:
    """Atomically take the oldest queued job; None when there is nothing to do."""
    worker = worker or worker_name()
    for job_id in (
        Job.objects.filter(status=JobStatus.QUEUED).order_by("id").values_list("id", flat=True)[:5]
    ):
        now = timezone.now()
        taken = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING,
            worker=worker,
            started_at=now,
            heartbeat_at=now,
        )
        if taken:
            job = Job.objects.get(pk=job_id)
            Job.objects.filter(pk=job_id).update(attempts=job.attempts + 1)
            job.attempts += 1
            return job
    return None


class _Heartbeat(threading.Thread):
    """Keeps a running job's heartbeat fresh while its handler works without reporting."""

    def __init__(self, job_id: int):
        super().__init__(daemon=True)
        self.job_id = job_id
        self.stopped = threading.Event()

    def run(self) -> None:
        interval = max(1.0, settings.JOB_STALE_SECONDS / 4)
        try:
            while not self.stopped.wait(interval):
                try:
                    Job.objects.filter(pk=self.job_id, status=JobStatus.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except DatabaseError:
                    log.warning("heartbeat of job %s not written", self.job_id)
        finally:
            connections.close_all()


def run(job: Job) -> Job:
    """Run a claimed job to its end and record the outcome."""
    func = _HANDLERS.get(job.kind)
    heartbeat = _Heartbeat(job.pk)
    heartbeat.start()
    try:
        if func is None:
            raise JobError(f"未知的任务类型：{job.kind}")
        result = func(job, JobContext(job))
    except JobError as error:
        _finish(job, JobStatus.FAILED, error=str(error))
    except Exception:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(
            job,
            JobStatus.FAILED,
            error="任务执行出错，数据未作任何改动。请联系系统管理员查看日志。\n"
            + traceback.format_exc(limit=3)[-800:],
        )
    else:
        _finish(job, JobStatus.DONE, result=result or {})
    finally:
        heartbeat.stopped.set()
        heartbeat.join()
    job.refresh_from_db()
    return job


def _finish(job: Job, status: str, *, result=None, error: str = "") -> None:
    fields = {
        "status": status,
        "finished_at": timezone.now(),
        "error": error,
        "heartbeat_at": timezone.now(),
    }
    if status == JobStatus.DONE:
        fields.update(progress=100, result=result)
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(**fields)


def run_pending(limit: int | None = None) -> int:
    """Run queued jobs in this process until none is left (or `limit` ran). Used by the
    worker loop and by tests."""
    done = 0
    recover_stale()
    while limit is None or done < limit:
        job = claim_next()
        if job is None:
            break
        run(job)
        done += 1
    return done
