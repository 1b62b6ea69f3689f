"""Store → evaluate (gate, read, clean, plan) → preview → commit.

"Nothing lost" (DOMAIN.md): an import is all-or-nothing, in one transaction; what a
commit writes is what the preview showed (the commit re-reads the stored file, checks
its SHA-256, plans again under the slice's lock and refuses when the plan differs);
re-importing a file changes nothing (natural keys; unchanged rows are counted, not
written); imports of one slice queue on an `ImportLock` row.

The result of every run has one shape:
  {"file", "rows", "created", "updated", "unchanged", "errors": [{"row", "column",
   "message"}], …importer's own fields}
When there are errors nothing is written, so the counts are 0: they are what a commit
would do.
"""

from __future__ import annotations

import hashlib
import json
import logging
import ntpath
import posixpath
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongxin.core.choices import PreviewStatus
from gongxin.core.imports import gate
from gongxin.core.imports.base import (
    CREATED,
    UNCHANGED,
    UPDATED,
    Importer,
    Item,
    Problem,
    Row,
    find_layout,
    get_importer,
)
from gongxin.core.imports.exceptions import ImportRefused
from gongxin.core.models import ImportLock, ImportPreview, StoredFile

log = logging.getLogger(__name__)

Progress = Callable[[int, str], None]
MAX_ERRORS = 1000
PROGRESS_EVERY = 500


def _no_progress(percent: int, message: str = "") -> None:
    return None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def clean_file_name(name: str) -> str:
    """The base name of an uploaded file (browsers on Windows may send a full path)."""
    base = posixpath.basename(ntpath.basename(name or "")).strip()
    return (base or "未命名文件")[-255:]


# --- Stored files ----------------------------------------------------------------------------


def store_file(user, name: str, data: bytes, formats=None) -> StoredFile:
    """Keep an uploaded file by its SHA-256 after the cheap gate checks (empty, size, type,
    zip directory); refused files are never stored. The same bytes are stored once."""
    name = clean_file_name(name)
    gate.check(name, data, formats or tuple(gate.FORMAT_LABELS), verify=False)
    digest = sha256(data)
    existing = StoredFile.objects.filter(sha256=digest).first()
    if existing is not None:
        if sha256(bytes(existing.content)) != digest:
            # The stored copy was altered; the upload is the genuine content for this hash.
            log.warning("stored file %s did not match its hash; restored", existing.pk)
            StoredFile.objects.filter(pk=existing.pk).update(content=data, size=len(data))
        return existing
    try:
        with transaction.atomic():
            return StoredFile.objects.create(
                sha256=digest,
                name=name,
                size=len(data),
                content=data,
                uploaded_by=user if user is not None and user.is_authenticated else None,
            )
    except IntegrityError:  # the same file stored concurrently
        return StoredFile.objects.get(sha256=digest)


# --- Evaluation ------------------------------------------------------------------------------


@dataclass
class Parsed:
    """A file read and cleaned row by row, before any database comparison."""

    name: str
    sheet: str | None = None
    rows: int = 0
    items: list[Item] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Outcome:
    """What a commit of the file would do now."""

    result: dict[str, Any]
    items: list[Item]
    digest: str

    @property
    def ok(self) -> bool:
        return not self.result["errors"]


def _data_rows(importer: Importer, fmt: str, data: bytes, name: str, parsed: Parsed):
    """(number, cells by key, headers by key) for every non-blank data row."""
    grids = importer.grids(fmt, data, name)
    if importer.source == "text":
        grid = next(grids)
        grid.verify()
        parsed.sheet = grid.name
        for number, cells in grid.rows:
            if cells and str(cells[0]).strip():
                yield number, {"text": cells[0]}, {"text": None}
        return
    layout = find_layout(importer.columns, grids)
    parsed.sheet = layout.grid.name
    for number, cells in layout.grid.rows[layout.header_row + 1 :]:
        by_key = {
            key: cells[position] if position < len(cells) else None
            for key, position in layout.positions.items()
        }
        if all(value is None or not str(value).strip() for value in by_key.values()):
            continue
        yield number, by_key, layout.headers


def read(importer: Importer, name: str, data: bytes, progress: Progress = _no_progress) -> Parsed:
    """Gate, read and clean every row; no database writes (clean may read)."""
    parsed = Parsed(name=name)
    try:
        progress(5, "正在检查文件")
        fmt = gate.check(name, data, importer.formats)
        progress(15, "正在读取表格")
        rows = list(_data_rows(importer, fmt, data, name, parsed))
    except ImportRefused as refusal:
        parsed.problems.append(Problem(refusal.row, refusal.column, refusal.message))
        return parsed
    parsed.rows = len(rows)
    key_column = importer.key_column()
    seen: dict[Any, int] = {}
    for index, (number, cells, headers) in enumerate(rows):
        if index % PROGRESS_EVERY == 0 and index:
            progress(20 + 40 * index // len(rows), f"正在校验第 {index} / {len(rows)} 行")
        row = Row(number, cells, headers, parsed.problems)
        record = importer.clean(row)
        if record is None or not row.ok:
            continue
        key = importer.key(record)
        if key in seen:
            row.error(key_column, f"与第 {seen[key]} 行重复。")
            continue
        seen[key] = number
        parsed.items.append(Item(row=row, key=key, record=record))
    return parsed


def _digest(items: list[Item]) -> str:
    plan = [[i.number, str(i.key), i.action, i.before, i.after] for i in items]
    text = json.dumps(plan, ensure_ascii=False, sort_keys=True, default=str)
    return sha256(text.encode("utf-8"))


def plan(importer: Importer, parsed: Parsed, progress: Progress = _no_progress) -> Outcome:
    """Compare the cleaned rows with the database: created / updated / unchanged."""
    items = parsed.items
    if items:
        progress(65, "正在与现有数据比对")
        current = importer.existing([i.key for i in items])
        for item in items:
            item.obj = current.get(item.key)
        importer.validate(items)
        items = [i for i in items if i.row.ok]
        for item in items:
            before, after = importer.compare(item)
            if item.obj is None:
                item.action, item.before, item.after = CREATED, None, after
            elif after:
                item.action, item.before, item.after = UPDATED, before, after
            else:
                item.action, item.before, item.after = UNCHANGED, None, {}
    problems = sorted(parsed.problems, key=lambda p: (p.row is not None, p.row or 0))
    if problems:
        items = []
    result: dict[str, Any] = {
        "file": parsed.name,
        "rows": parsed.rows,
        "created": sum(1 for i in items if i.action == CREATED),
        "updated": sum(1 for i in items if i.action == UPDATED),
        "unchanged": sum(1 for i in items if i.action == UNCHANGED),
        "errors": [p.as_dict() for p in problems[:MAX_ERRORS]],
    }
    if len(problems) > MAX_ERRORS:
        result["errors_omitted"] = len(problems) - MAX_ERRORS
    if parsed.sheet:
        result["sheet"] = parsed.sheet
    result.update(importer.extra_result(items))
    return Outcome(result=result, items=items, digest=_digest(items))


def evaluate(
    importer: Importer, name: str, data: bytes, progress: Progress = _no_progress
) -> Outcome:
    """A dry run: what a commit of these bytes would do now. Writes nothing."""
    return plan(importer, read(importer, name, data, progress), progress)


# --- Preview and commit ----------------------------------------------------------------------


def importer_for(slug: str, user, options: dict[str, Any] | None = None) -> Importer:
    cls = get_importer(slug)
    if user is not None and not cls.allows(user):
        raise ImportRefused(f"您的角色无权使用“{cls.label}”导入。")
    return cls(user, options)


def preview(
    user,
    stored: StoredFile,
    slug: str,
    options: dict[str, Any] | None = None,
    *,
    file_name: str | None = None,
    progress: Progress = _no_progress,
) -> ImportPreview:
    """Evaluate a stored file and keep the result, with the file's hash and an expiry.
    A preview with errors is stored as refused: it shows the errors and cannot commit."""
    importer = importer_for(slug, user, options)
    data = bytes(stored.content)
    outcome = evaluate(importer, clean_file_name(file_name or stored.name), data, progress)
    progress(95, "正在保存预览")
    return ImportPreview.objects.create(
        importer=slug,
        options=importer.options,
        file=stored,
        file_sha256=sha256(data),
        result={**outcome.result, "plan_digest": outcome.digest},
        status=PreviewStatus.READY if outcome.ok else PreviewStatus.REFUSED,
        expires_at=timezone.now() + timedelta(minutes=settings.IMPORT_PREVIEW_TTL_MINUTES),
        created_by=user if user is not None and user.is_authenticated else None,
    )


@contextmanager
def slice_lock(key: str) -> Iterator[None]:
    """One transaction holding the slice's ImportLock row: a second import of the same
    slice waits here until the first has committed or rolled back."""
    ImportLock.objects.get_or_create(key=key)
    with transaction.atomic():
        ImportLock.objects.select_for_update().get(key=key)
        yield


def _audit_reason(name: str, digest: str, preview_id: int | None = None) -> str:
    source = f"，预览 #{preview_id}" if preview_id else ""
    return f"导入文件“{name}”（SHA-256 {digest[:12]}{source}）"


def _summarise(errors: list[dict[str, Any]]) -> str:
    parts = []
    for error in errors[:3]:
        where = f"第 {error['row']} 行" if error["row"] else ""
        if error["column"]:
            where += f"“{error['column']}”"
        parts.append(f"{where}{'：' if where else ''}{error['message']}")
    more = f"等 {len(errors)} 处错误" if len(errors) > 3 else ""
    return "；".join(parts) + more


def commit(user, preview: ImportPreview, *, progress: Progress = _no_progress) -> dict[str, Any]:
    """Apply a preview: re-read the stored file by hash and write, in one transaction
    under the slice's lock, exactly what the preview showed — or refuse and write nothing."""
    if user is not None and preview.created_by_id != getattr(user, "pk", None):
        raise ImportRefused("只能确认本人上传的导入预览。")
    importer = importer_for(preview.importer, user, preview.options)
    if preview.status == PreviewStatus.COMMITTED:
        raise ImportRefused("该预览已经导入，不能重复导入。")
    if preview.status != PreviewStatus.READY:
        raise ImportRefused("该预览有错误或已被拒绝，不能导入。请修正文件后重新上传。")
    if preview.expires_at <= timezone.now():
        raise ImportRefused("预览已过期，请重新上传文件。")
    progress(5, "正在核对文件")
    stored = StoredFile.objects.get(pk=preview.file_id)
    data = bytes(stored.content)
    if stored.sha256 != preview.file_sha256 or sha256(data) != preview.file_sha256:
        ImportPreview.objects.filter(pk=preview.pk, status=PreviewStatus.READY).update(
            status=PreviewStatus.REFUSED
        )
        raise ImportRefused("文件内容与预览时不一致，已拒绝导入。请重新上传文件并预览。")
    name = preview.result.get("file") or stored.name
    parsed = read(importer, name, data, progress)
    with slice_lock(importer.lock_key()):
        locked = ImportPreview.objects.select_for_update().get(pk=preview.pk)
        if locked.status != PreviewStatus.READY:
            raise ImportRefused("该预览已经导入或已被拒绝，不能重复导入。")
        outcome = plan(importer, parsed, progress)
        if not outcome.ok:
            raise ImportRefused(
                "数据在预览后发生了变化，导入未执行：" + _summarise(outcome.result["errors"])
            )
        if outcome.digest != preview.result.get("plan_digest"):
            raise ImportRefused(
                "相关数据在预览后已被修改，导入结果将与预览不同，导入未执行。"
                "请重新上传文件，核对预览后再导入。"
            )
        progress(80, "正在写入数据库")
        importer.reason = _audit_reason(name, preview.file_sha256, preview.pk)
        _write(importer, outcome.items)
        locked.status = PreviewStatus.COMMITTED
        locked.committed_at = timezone.now()
        locked.save(update_fields=["status", "committed_at"])
    preview.refresh_from_db()
    return outcome.result


def _write(importer: Importer, items: list[Item]) -> None:
    changed = [i for i in items if i.action != UNCHANGED]
    if changed:
        importer.write(changed)


def refused_result(name: str, refusal: ImportRefused) -> dict[str, Any]:
    """The result shape of a file refused as a whole (nothing read, nothing written)."""
    return {"file": name, "rows": 0, "created": 0, "updated": 0, "unchanged": 0,
            "errors": [refusal.as_error()]}  # fmt: skip


def run_import(
    slug: str,
    name: str,
    data: bytes,
    *,
    user=None,
    options: dict[str, Any] | None = None,
    commit: bool = False,
    progress: Progress = _no_progress,
) -> dict[str, Any]:
    """The command line's import: a dry run, or an immediate commit (no stored preview).
    A commit keeps the file (StoredFile) for the audit trail, in the same transaction."""
    importer = importer_for(slug, user, options)
    name = clean_file_name(name)
    parsed = read(importer, name, data, progress)
    if not commit or parsed.problems:
        return plan(importer, parsed, progress).result
    with slice_lock(importer.lock_key()):
        outcome = plan(importer, parsed, progress)
        if not outcome.ok:
            return outcome.result
        if any(i.action != UNCHANGED for i in outcome.items):
            stored = store_file(user, name, data, importer.formats)
            importer.reason = _audit_reason(name, stored.sha256)
            _write(importer, outcome.items)
    return outcome.result


__all__ = [
    "CREATED",
    "UNCHANGED",
    "UPDATED",
    "ImportRefused",
    "Outcome",
    "Parsed",
    "commit",
    "evaluate",
    "importer_for",
    "plan",
    "preview",
    "read",
    "run_import",
    "slice_lock",
    "store_file",
]
