"""Delivery of matches: pushes by the bureau (one match, or every eligible enterprise of a
clause), the enterprise's inbox (its own matches, pushes marked read when it looks), and
re-running a policy's match as a background job. Every write checks the actor's scope
(querysets.py), runs in one transaction and is audited in it.

This module registers the "policies.match" job kind: it is imported at startup
(PoliciesConfig.ready) so that `gongxin worker` knows it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from gongxin.core import audit, jobs
from gongxin.core.errors import ServiceError
from gongxin.core.home import Card
from gongxin.policies import querysets, services
from gongxin.policies.models import Clause, Match, Policy, Push

MATCH_JOB = "policies.match"


# --- pushes ---------------------------------------------------------------------------------
def _push_fields(push: Push) -> dict:
    return {
        "match": push.match_id,
        "clause": push.match.clause_id,
        "enterprise": push.match.enterprise.uscc,
        "status": push.match.status,
        "channel": push.channel,
        "note": push.note,
    }


def _check_channel(channel: str) -> None:
    if channel not in Push.Channel.values:
        raise ServiceError(f"推送方式“{channel}”无效。")


def push_match(actor, match: Match, channel: str = Push.Channel.INBOX, note: str = "") -> Push:
    """Record that the bureau brought one match to the enterprise's attention (audited)."""
    _check_channel(channel)
    with transaction.atomic():
        match = (
            querysets.matches(actor, "push")
            .select_related("enterprise")
            .select_for_update(of=("self",))
            .filter(pk=match.pk)
            .first()
        )
        if match is None:
            raise ServiceError("您无权推送该匹配结果。")
        if match.status not in querysets.SHOWN_STATUSES:
            raise ServiceError("该企业当前不符合条件，不能推送。")
        push = Push.objects.create(match=match, channel=channel, note=note, pushed_by=actor)
        audit.record(actor, "policy.push", push, after=_push_fields(push))
        return push


def push_clause(
    actor, clause: Clause, channel: str = Push.Channel.INBOX, note: str = ""
) -> list[Push]:
    """Push every eligible match of the clause not yet pushed through this channel (so a
    second click pushes only the newly eligible), one audit row each."""
    _check_channel(channel)
    if not querysets.match_scope(actor, "push"):
        raise ServiceError("您无权推送匹配结果。")
    with transaction.atomic():
        targets = list(
            querysets.matches(actor, "push")
            .filter(clause=clause, status=Match.Status.ELIGIBLE)
            .exclude(pushes__channel=channel)
            .select_related("enterprise")
            .order_by("enterprise__uscc")
        )
        pushes = [
            Push.objects.create(match=m, channel=channel, note=note, pushed_by=actor)
            for m in targets
        ]
        audit.record_many(
            actor,
            "policy.push",
            [audit.Change(p, after=_push_fields(p)) for p in pushes],
        )
        return pushes


# --- the enterprise's inbox -----------------------------------------------------------------
@dataclass
class InboxEntry:
    match: Match
    pushes: list[Push]

    @property
    def unread(self) -> bool:
        return any(p.read_at is None for p in self.pushes)


def inbox(user) -> list[InboxEntry]:
    """The user's own eligible and near-miss matches, eligible first, with their pushes."""
    rows = (
        querysets.matches(user, "view")
        .shown()
        .select_related("clause__policy", "enterprise")
        .prefetch_related(Prefetch("pushes", queryset=Push.objects.order_by("-pushed_at", "-id")))
        .order_by(
            "status", "-clause__policy__effective_from", "clause__policy__code", "clause__code"
        )
    )
    return [InboxEntry(m, list(m.pushes.all())) for m in rows]


def mark_read(user, entries: list[InboxEntry]) -> int:
    """The enterprise looked at its inbox: its unread pushes are read now (audited)."""
    ids = [p.pk for e in entries for p in e.pushes if p.read_at is None]
    if not ids:
        return 0
    with transaction.atomic():
        unread = list(
            querysets.pushes(user, "read").unread().filter(pk__in=ids).select_for_update()
        )
        now = timezone.now()
        for push in unread:
            push.read_at = now
        Push.objects.bulk_update(unread, ["read_at"])
        audit.record_many(
            user,
            "policy.push_read",
            [audit.Change(p, after={"read_at": now}) for p in unread],
        )
    done = {p.pk for p in unread}
    for entry in entries:
        for push in entry.pushes:
            if push.pk in done:
                push.read_at = now
    return len(unread)


def enterprise_cards(user) -> list[Card]:
    entries = querysets.matches(user, "view")
    eligible = entries.filter(status=Match.Status.ELIGIBLE).count()
    near = entries.filter(status=Match.Status.NEAR_MISS).count()
    unread = querysets.pushes(user, "read").unread().count()
    body = f"根据本企业数据匹配：符合条件{eligible}项，接近条件{near}项"
    body += f"，未读推送{unread}条。" if unread else "。"
    return [Card(f"可享受的政策 {eligible} 项", body, "policies:inbox")]


# --- re-running a policy's match ------------------------------------------------------------
def match_date(policy: Policy, today: date | None = None) -> date:
    """Today, or the policy's last day in force when it has ended (the clauses in force
    and the data read are those of that day); refused before the policy starts."""
    today = today or timezone.localdate()
    if policy.effective_from > today:
        raise ServiceError(f"政策自{policy.effective_from:%Y-%m-%d}起施行，尚不能匹配。")
    if policy.effective_to is not None and policy.effective_to < today:
        return policy.effective_to
    return today


def request_match(actor, policy: Policy):
    """Queue a re-run of the policy's match (analyst); the worker stores the results."""
    if actor.role not in querysets.MATCH_ROLES:
        raise ServiceError("只有统计分析岗位可以重新匹配。")
    as_of = match_date(policy)
    return jobs.enqueue(
        MATCH_JOB,
        f"重新匹配：{policy.title}（依据日期{as_of:%Y-%m-%d}）",
        {"policy": policy.code, "as_of": as_of.isoformat()},
        actor,
        max_attempts=1,
    )


@jobs.handler(MATCH_JOB)
def match_job(job, ctx: jobs.JobContext) -> dict:
    policy = Policy.objects.filter(code=job.params["policy"]).first()
    if policy is None:
        raise jobs.JobError("政策已不存在。")
    ctx.progress(10, "正在匹配")
    try:
        run = services.run_match(
            job.created_by, date.fromisoformat(job.params["as_of"]), policy.code
        )
    except ServiceError as error:
        raise jobs.JobError(error.message) from error
    changed = run.changed if run is not None else 0
    ctx.progress(100, f"匹配完成，{changed}项结果有变化" if changed else "匹配完成，结果无变化")
    return {
        "changed": changed,
        "url": reverse("policies:policy_detail", args=[policy.pk]),
        "link_text": "查看政策及匹配结果",
    }
