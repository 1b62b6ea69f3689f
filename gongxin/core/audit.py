"""The audit trail: every change is recorded in the same transaction as the change.

Services call `record` (or `record_many` for bulk writes) inside their `transaction.atomic`
block. If writing the audit row fails, the exception propagates and the whole change is
rolled back; a change without its audit row can never be committed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from gongxin.core.context import client_ip
from gongxin.core.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64


@dataclass(frozen=True)
class Change:
    """One changed object within a bulk write."""

    obj: models.Model | None
    before: Mapping[str, Any] | None = None
    after: Mapping[str, Any] | None = None
    object_type: str = ""
    object_id: str = ""
    object_repr: str = ""


def jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields of obj as JSON-ready values (foreign keys as their ids)."""
    data = {}
    for name in fields:
        field = obj._meta.get_field(name)
        value = getattr(obj, field.attname)
        data[name] = jsonable(value)
    return data


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict, dict]:
    """Only the keys whose values differ, as (before, after)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def _content(event: AuditEvent) -> str:
    payload = {
        "at": event.at.isoformat(),
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "actor_role": event.actor_role,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
        "ip": event.ip,
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def chain_hash(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256((prev_hash + _content(event)).encode("utf-8")).hexdigest()


def _actor_fields(actor) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        username = getattr(actor, "username", "") or "system"
        return {"actor_id": None, "actor_username": username, "actor_role": ""}
    return {
        "actor_id": actor.pk,
        "actor_username": actor.get_username(),
        "actor_role": getattr(actor, "role", ""),
    }


def _object_fields(change: Change) -> dict[str, str]:
    obj = change.obj
    object_type = change.object_type or (obj._meta.label_lower if obj is not None else "")
    object_id = change.object_id or (str(obj.pk) if obj is not None and obj.pk else "")
    object_repr = change.object_repr or (str(obj) if obj is not None else "")
    return {"object_type": object_type, "object_id": object_id, "object_repr": object_repr[:255]}


def record_many(
    actor, action: str, changes: Iterable[Change], *, reason: str = ""
) -> list[AuditEvent]:
    """Append one audit row per change, chained, inside the caller's transaction."""
    changes = list(changes)
    if not changes:
        return []
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the transaction of the change")
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    prev = head.last_hash
    now = timezone.now()
    events = []
    for change in changes:
        event = AuditEvent(
            at=now,
            action=action,
            before=jsonable(change.before) if change.before is not None else None,
            after=jsonable(change.after) if change.after is not None else None,
            reason=reason,
            ip=client_ip.get(),
            prev_hash=prev,
            **_actor_fields(actor),
            **_object_fields(change),
        )
        event.hash = chain_hash(prev, event)
        prev = event.hash
        events.append(event)
    AuditEvent.objects.bulk_create(events)
    head.last_hash = prev
    head.save(update_fields=["last_hash"])
    return events


def record(
    actor,
    action: str,
    obj: models.Model | None = None,
    *,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    reason: str = "",
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEvent:
    """Append one audit row inside the caller's transaction."""
    change = Change(obj, before, after, object_type, object_id, object_repr)
    return record_many(actor, action, [change], reason=reason)[0]


def record_now(actor, action: str, obj: models.Model | None = None, **kwargs) -> AuditEvent:
    """Record an event that is not part of a data change (login, logout, export)."""
    with transaction.atomic():
        return record(actor, action, obj, **kwargs)


def verify_chain() -> tuple[int, AuditEvent | None]:
    """Walk the chain in order; return (rows checked, first broken row or None)."""
    prev = GENESIS
    count = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != prev or chain_hash(prev, event) != event.hash:
            return count, event
        prev = event.hash
        count += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != prev:
        # Rows were removed from the end of the chain.
        return count, AuditEvent.objects.order_by("id").last()
    return count, None


def json_text(value: Any) -> str:
    if value in (None, {}, []):
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
