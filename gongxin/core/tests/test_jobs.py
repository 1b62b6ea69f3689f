"""Background jobs: claimed from the table, progress visible, a dead worker's job retried
or failed, and a handler's effects all-or-nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from gongxin.accounts import services
from gongxin.accounts.models import Unit
from gongxin.core import jobs
from gongxin.core.choices import JobStatus
from gongxin.core.models import Job


@jobs.handler("test.create_units")
def create_units(job, ctx):
    """Creates the named units in one transaction; fails half-way when asked to."""
    names = job.params["names"]
    with transaction.atomic():
        for number, name in enumerate(names, start=1):
            if name == job.params.get("explode_at"):
                raise RuntimeError("disk full")
            services.create_unit(job.created_by, name=name)
            ctx.progress(number * 100 // len(names), f"已创建 {number} 个")
    return {"created": len(names), "url": reverse("accounts:unit_list"), "link_text": "查看单位"}


@jobs.handler("test.refuse")
def refuse(job, ctx):
    raise jobs.JobError("文件中没有可导入的数据。")


def test_a_queued_job_runs_to_its_end_with_progress_and_result(personas):
    job = jobs.enqueue(
        "test.create_units", "创建单位", {"names": ["区财政局", "区教体局"]}, personas["sysadmin"]
    )
    assert job.status == JobStatus.QUEUED
    assert jobs.run_pending() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.progress == 100
    assert job.attempts == 1
    assert job.result["created"] == 2
    assert Unit.objects.filter(name__in=["区财政局", "区教体局"]).count() == 2


def test_a_failing_handler_leaves_nothing_half_applied(personas):
    before = Unit.objects.count()
    job = jobs.enqueue(
        "test.create_units",
        "创建单位",
        {"names": ["区财政局", "区教体局", "区民政局"], "explode_at": "区民政局"},
        personas["sysadmin"],
    )
    jobs.run_pending()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "数据未作任何改动" in job.error
    assert Unit.objects.count() == before


def test_an_expected_refusal_shows_its_chinese_message(personas):
    job = jobs.enqueue("test.refuse", "导入", {}, personas["analyst"])
    jobs.run_pending()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "文件中没有可导入的数据。"


def _as_killed_mid_run(job: Job, minutes_ago: int = 10) -> None:
    """What a worker killed during `run` leaves behind: running, heartbeat stale."""
    stale = timezone.now() - timedelta(minutes=minutes_ago)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        attempts=job.attempts + 1,
        worker="dead:1",
        started_at=stale,
        heartbeat_at=stale,
        progress=40,
    )


def test_a_killed_workers_job_is_queued_again_and_then_completes(personas):
    job = jobs.enqueue(
        "test.create_units", "创建单位", {"names": ["区财政局"]}, personas["sysadmin"]
    )
    _as_killed_mid_run(job)
    assert jobs.recover_stale() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    assert "重新排队" in job.message
    jobs.run_pending()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.attempts == 2
    assert Unit.objects.filter(name="区财政局").count() == 1


def test_a_job_killed_on_its_last_attempt_is_marked_failed(personas):
    job = jobs.enqueue(
        "test.create_units",
        "创建单位",
        {"names": ["区财政局"]},
        personas["sysadmin"],
        max_attempts=2,
    )
    Job.objects.filter(pk=job.pk).update(attempts=1)
    job.refresh_from_db()
    _as_killed_mid_run(job)
    jobs.recover_stale()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "未作任何改动" in job.error
    assert not Unit.objects.filter(name="区财政局").exists()


def test_a_running_job_with_a_fresh_heartbeat_is_left_alone(personas):
    job = jobs.enqueue(
        "test.create_units", "创建单位", {"names": ["区财政局"]}, personas["sysadmin"]
    )
    _as_killed_mid_run(job, minutes_ago=0)
    assert jobs.recover_stale() == 0
    assert Job.objects.get(pk=job.pk).status == JobStatus.RUNNING


def test_a_job_is_claimed_by_one_worker_only(personas):
    jobs.enqueue("test.create_units", "创建单位", {"names": ["区财政局"]}, personas["sysadmin"])
    first = jobs.claim_next("w1")
    assert first is not None
    assert jobs.claim_next("w2") is None


def test_the_worker_command_runs_what_is_queued_and_stops_with_once(personas):
    jobs.enqueue("test.create_units", "创建单位", {"names": ["区财政局"]}, personas["sysadmin"])
    call_command("worker", "--once")
    assert Job.objects.get().status == JobStatus.DONE


def test_the_job_page_shows_progress_and_polls_until_finished(client_for, personas):
    job = jobs.enqueue(
        "test.create_units", "创建单位", {"names": ["区财政局"]}, personas["sysadmin"]
    )
    client = client_for("sysadmin")
    partial = client.get(reverse("core:job_detail", args=[job.pk]), headers={"HX-Request": "true"})
    text = partial.content.decode()
    assert "排队中" in text and 'hx-trigger="every 2s"' in text
    assert "<html" not in text
    jobs.run_pending()
    text = client.get(reverse("core:job_detail", args=[job.pk])).content.decode()
    assert "已完成" in text and "查看单位" in text
    assert 'hx-trigger="every 2s"' not in text


def test_unknown_job_kinds_are_refused_at_enqueue(personas):
    with pytest.raises(KeyError):
        jobs.enqueue("no.such.kind", "x", {}, personas["sysadmin"])
