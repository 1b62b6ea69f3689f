"""The import framework on a toy importer (leaders by name): every refused file leaves the
database as it was; previews are what commits write; re-imports change nothing."""

from __future__ import annotations

import io
from datetime import timedelta
from unittest import mock

import docx
import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongxin.accounts.choices import Role
from gongxin.accounts.models import Leader
from gongxin.core import audit, jobs
from gongxin.core.choices import JobStatus, PreviewStatus
from gongxin.core.imports import formulas, handlers, readers, services  # noqa: F401
from gongxin.core.imports.base import Column, Importer, register
from gongxin.core.imports.exceptions import ImportRefused
from gongxin.core.models import AuditEvent, ImportLock, ImportPreview, Job, StoredFile
from gongxin.core.tests.test_imports_files import zip_bomb_xlsx
from gongxin.core.text import normalize_name


@register
class ToyLeaderImporter(Importer):
    """Leaders by name, with 职务 and 排序: small, but through every hook."""

    slug = "toy_leaders"
    label = "领导（测试）"
    formats = ("xlsx", "csv", "txt", "docx")
    roles = frozenset({Role.SYSADMIN})
    columns = (
        Column("name", "姓名", ("领导",), required=True),
        Column("title", "职务"),
        Column("order", "排序"),
    )

    def clean(self, row):
        return {
            "name": normalize_name(row.text("name", required=True)),
            "title": row.text("title", max_length=20),
            "sort_order": row.integer("order"),
        }

    def key(self, record):
        return record["name"]

    def existing(self, keys):
        return {leader.name: leader for leader in Leader.objects.filter(name__in=keys)}

    def compare(self, item):
        order = item.record["sort_order"]
        wanted = {"title": item.record["title"], "sort_order": 100 if order is None else order}
        if item.obj is None:
            return None, {"name": item.key, **wanted}
        return audit.diff(audit.snapshot(item.obj, wanted), wanted)

    def write(self, items):
        changes = []
        for item in items:
            if item.obj is None:
                leader = Leader.objects.create(**item.after)
            else:
                leader = item.obj
                for name, value in item.after.items():
                    setattr(leader, name, value)
                leader.save()
            changes.append(audit.Change(leader, item.before, item.after))
        audit.record_many(self.user, "leader.import", changes, reason=self.reason)


@register
class ToyLineImporter(ToyLeaderImporter):
    """The same leaders from plain text: one name per line."""

    slug = "toy_leader_lines"
    source = "text"
    columns = ()

    def clean(self, row):
        name = normalize_name(row.raw("text"))
        if len(name) > 10:
            row.error("text", "姓名不能超过 10 个字。")
        return {"name": name, "title": "", "sort_order": None}


def xlsx(rows, title="领导") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def docx_table(rows) -> bytes:
    document = docx.Document()
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


LEADERS = [["姓名", "职务", "排序"], ["张华", "副区长", 1], ["王强", "副区长", 2]]


def db_counts():
    return {
        "leaders": Leader.objects.count(),
        "audit": AuditEvent.objects.count(),
        "files": StoredFile.objects.count(),
        "previews": ImportPreview.objects.count(),
    }


def run(personas, name, data, *, commit=True, slug="toy_leaders"):
    return services.run_import(slug, name, data, user=personas["sysadmin"], commit=commit)


def only_error(result):
    assert result["created"] == result["updated"] == result["unchanged"] == 0
    (error,) = result["errors"]
    return error


# --- Refused files leave the database as it was ---------------------------------------------


def test_zip_bomb_is_refused_before_any_parser_runs(personas, monkeypatch):
    parsers = {
        "calamine": mock.Mock(side_effect=AssertionError("calamine ran")),
        "sheet_xml": mock.Mock(side_effect=AssertionError("sheet XML was parsed")),
        "docx": mock.Mock(side_effect=AssertionError("python-docx ran")),
    }
    monkeypatch.setattr(readers, "CalamineWorkbook", mock.Mock(from_filelike=parsers["calamine"]))
    monkeypatch.setattr(formulas, "_stream", parsers["sheet_xml"])
    monkeypatch.setattr(readers.docx, "Document", parsers["docx"])
    before = db_counts()

    result = run(personas, "炸弹.xlsx", zip_bomb_xlsx(300))

    assert "疑似压缩炸弹" in only_error(result)["message"]
    for parser in parsers.values():
        parser.assert_not_called()
    with pytest.raises(ImportRefused):  # the upload path refuses it too, storing nothing
        services.store_file(personas["sysadmin"], "炸弹.xlsx", zip_bomb_xlsx(300))
    assert db_counts() == before


def test_a_formula_cell_without_a_cached_value_is_refused(personas):
    before = db_counts()
    data = xlsx([*LEADERS, ["李明", "=B2", 3]])
    error = only_error(run(personas, "领导.xlsx", data))
    assert error["row"] == 4
    assert "B4单元格是公式，但文件中没有保存公式的计算结果" in error["message"]
    assert db_counts() == before


def test_a_gbk_csv_decodes_and_imports(personas):
    data = "姓名,职务,排序\n张华,副区长,1\n王强,区长助理,2\n".encode("gbk")
    result = run(personas, "领导.csv", data)
    assert result["errors"] == []
    assert result["created"] == 2
    assert Leader.objects.get(name="王强").title == "区长助理"


def test_bytes_in_neither_encoding_give_a_clear_error(personas):
    before = db_counts()
    error = only_error(run(personas, "领导.csv", b"\xff\xfe\xfd\x80"))
    assert error == {
        "row": None,
        "column": None,
        "message": "无法识别文件编码：文件既不是 UTF-8 编码，也不是 GBK/GB18030 编码。"
        "请在 Excel/WPS 中另存为“CSV UTF-8（逗号分隔）”或 .xlsx 后重新上传。",
    }
    assert db_counts() == before


def test_a_truncated_docx_gives_a_clear_error(personas):
    data = docx_table([["姓名", "职务"], ["张华", "副区长"]])
    assert run(personas, "全.docx", data, commit=False)["created"] == 1  # whole, it reads
    before = db_counts()
    error = only_error(run(personas, "断.docx", data[: len(data) // 2]))
    assert error["message"] == "文件已损坏或不是有效的 .xlsx/.docx 文件。"
    assert db_counts() == before


def test_an_empty_file_gives_a_clear_error(personas):
    before = db_counts()
    for name in ("空.xlsx", "空.csv", "空.docx"):
        assert only_error(run(personas, name, b""))["message"] == "文件为空。"
    assert only_error(run(personas, "空白.csv", "\ufeff \r\n".encode()))["message"] == "文件为空。"
    with pytest.raises(ImportRefused) as refused:
        services.store_file(personas["sysadmin"], "空.xlsx", b"")
    assert refused.value.message == "文件为空。"
    assert db_counts() == before


def test_a_file_without_the_required_header_says_what_it_needs(personas):
    error = only_error(run(personas, "错.csv", "名字,职务\n张华,副区长\n".encode()))
    assert error == {"row": 1, "column": None, "message": "表头（第 1 行）缺少必填列 “姓名”。"}
    error = only_error(run(personas, "错.csv", "张华,副区长\n".encode()))
    assert error["message"] == "未找到表头：表格须有一行列名，包含 “姓名”（也可写作 领导）。"


# --- Errors point where the user looks --------------------------------------------------------


def test_errors_name_the_sheet_row_and_the_header_as_written(personas):
    before = db_counts()
    data = xlsx(
        [
            ["2024年区领导名单"],  # a title row above the header
            ["领导 ", "职务", "排序"],  # the alias, with a stray space
            ["张华", "副区长", "第一"],
            ["", "副区长", 2],
            ["张 华", "区长", 3],
        ]
    )
    result = run(personas, "领导.xlsx", data)
    assert result["rows"] == 3
    assert result["errors"] == [
        {"row": 3, "column": "排序", "message": "“第一”不是有效的数字。"},
        {"row": 4, "column": "领导", "message": "“领导”不能为空。"},
    ]
    assert result["created"] == 0  # nothing is written while any row is wrong
    assert db_counts() == before


def test_a_duplicate_natural_key_names_the_first_row(personas):
    data = "姓名,职务\n张华,副区长\n王强,副区长\n张华 ,区长\n".encode()
    assert run(personas, "领导.csv", data)["errors"] == [
        {"row": 4, "column": "姓名", "message": "与第 2 行重复。"}
    ]


def test_text_files_report_line_numbers_without_a_column(personas):
    data = "张华\n\n一个非常非常非常长的名字啊\n王强\n".encode()
    result = run(personas, "名单.txt", data, slug="toy_leader_lines")
    assert result["errors"] == [{"row": 3, "column": None, "message": "姓名不能超过 10 个字。"}]


def test_docx_tables_import_with_merged_cells_filled(personas):
    document = docx.Document()
    document.add_paragraph("附件")
    table = document.add_table(rows=3, cols=2)
    for r, (name, title) in enumerate([("姓名", "职务"), ("张华", "副区长"), ("王强", "")]):
        table.cell(r, 0).text, table.cell(r, 1).text = name, title
    table.cell(1, 1).merge(table.cell(2, 1))
    buffer = io.BytesIO()
    document.save(buffer)
    result = run(personas, "名单.docx", buffer.getvalue())
    assert (result["created"], result["sheet"]) == (2, "表格1")
    assert Leader.objects.get(name="王强").title == "副区长"


# --- Preview, commit, idempotence -----------------------------------------------------------


def make_preview(personas, data, name="领导.xlsx"):
    stored = services.store_file(personas["sysadmin"], name, data)
    return services.preview(personas["sysadmin"], stored, "toy_leaders", file_name=name)


def test_a_preview_writes_nothing_and_commit_writes_what_it_showed(personas):
    before = db_counts()
    preview = make_preview(personas, xlsx(LEADERS))
    assert preview.status == PreviewStatus.READY
    assert preview.result["created"] == 2
    assert [i["key"] for i in preview.result["changes"]] == ["张华", "王强"]
    assert db_counts() == {**before, "files": before["files"] + 1, "previews": 1}

    result = services.commit(personas["sysadmin"], preview)

    assert (result["created"], result["updated"], result["unchanged"]) == (2, 0, 0)
    assert preview.status == PreviewStatus.COMMITTED
    assert Leader.objects.get(name="张华").sort_order == 1
    assert Leader.objects.get(name="王强").sort_order == 2
    events = AuditEvent.objects.filter(action="leader.import")
    assert events.count() == 2  # one audit row per written row
    assert all(e.reason.startswith("导入文件“领导.xlsx”（SHA-256 ") for e in events)
    assert ImportLock.objects.filter(key="import:toy_leaders").exists()


def test_a_preview_commits_only_once(personas):
    preview = make_preview(personas, xlsx(LEADERS))
    services.commit(personas["sysadmin"], preview)
    with pytest.raises(ImportRefused) as refused:
        services.commit(personas["sysadmin"], preview)
    assert refused.value.message == "该预览已经导入，不能重复导入。"


def test_reimporting_the_same_file_reports_all_unchanged_and_writes_nothing(personas):
    data = xlsx(LEADERS)  # built once: openpyxl stamps the time into every file it writes
    services.commit(personas["sysadmin"], make_preview(personas, data))
    before = db_counts()

    again = make_preview(personas, data)
    result = services.commit(personas["sysadmin"], again)

    assert (result["created"], result["updated"], result["unchanged"]) == (0, 0, 2)
    assert result["changes"] == []
    # The same bytes: no new stored file; no audit rows; only the new preview.
    assert db_counts() == {**before, "previews": before["previews"] + 1}
    assert run(personas, "领导.xlsx", data)["unchanged"] == 2
    assert db_counts()["audit"] == before["audit"]


def test_a_changed_file_counts_updated_rows(personas):
    services.commit(personas["sysadmin"], make_preview(personas, xlsx(LEADERS)))
    changed = [*LEADERS[:2], ["王强", "区长", 2], ["李明", "", None]]
    preview = make_preview(personas, xlsx(changed))
    (item_update, item_create) = preview.result["changes"]
    assert item_update == {
        "row": 3,
        "key": "王强",
        "action": "updated",
        "before": {"title": "副区长"},
        "after": {"title": "区长"},
    }
    assert item_create["action"] == "created"

    result = services.commit(personas["sysadmin"], preview)

    assert (result["created"], result["updated"], result["unchanged"]) == (1, 1, 1)
    assert Leader.objects.get(name="王强").title == "区长"
    event = AuditEvent.objects.filter(object_repr="王强").first()
    assert (event.before, event.after) == ({"title": "副区长"}, {"title": "区长"})


def test_a_preview_whose_file_changed_is_refused_at_commit(personas):
    preview = make_preview(personas, xlsx(LEADERS))
    StoredFile.objects.filter(pk=preview.file_id).update(content=xlsx([*LEADERS, ["李明"]]))
    before = db_counts()

    with pytest.raises(ImportRefused) as refused:
        services.commit(personas["sysadmin"], preview)

    assert refused.value.message == "文件内容与预览时不一致，已拒绝导入。请重新上传文件并预览。"
    assert ImportPreview.objects.get(pk=preview.pk).status == PreviewStatus.REFUSED
    assert db_counts() == before


def test_a_preview_is_refused_when_the_data_changed_since(personas):
    preview = make_preview(personas, xlsx(LEADERS))
    Leader.objects.create(name="王强", title="区长")  # someone else got there first
    before = db_counts()
    with pytest.raises(ImportRefused) as refused:
        services.commit(personas["sysadmin"], preview)
    assert "相关数据在预览后已被修改" in refused.value.message
    assert db_counts() == before


def test_an_expired_preview_is_refused(personas):
    preview = make_preview(personas, xlsx(LEADERS))
    ImportPreview.objects.filter(pk=preview.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    preview.refresh_from_db()
    before = db_counts()
    with pytest.raises(ImportRefused) as refused:
        services.commit(personas["sysadmin"], preview)
    assert refused.value.message == "预览已过期，请重新上传文件。"
    assert db_counts() == before


def test_a_preview_with_errors_is_stored_refused_and_cannot_commit(personas):
    preview = make_preview(personas, xlsx([*LEADERS, ["李明", "", "x"]]))
    assert preview.status == PreviewStatus.REFUSED
    assert preview.result["errors"] == [
        {"row": 4, "column": "排序", "message": "“x”不是有效的数字。"}
    ]
    before = db_counts()
    with pytest.raises(ImportRefused):
        services.commit(personas["sysadmin"], preview)
    assert db_counts() == before


def test_only_the_importers_roles_may_run_it(personas):
    with pytest.raises(ImportRefused) as refused:
        services.run_import("toy_leaders", "a.csv", b"x", user=personas["supervisor"])
    assert refused.value.message == "您的角色无权使用“领导（测试）”导入。"


def test_a_failed_write_rolls_back_every_row(personas, monkeypatch):
    def fail_on_second(self, items):
        Leader.objects.create(**items[0].after)
        raise RuntimeError("disk full")

    monkeypatch.setattr(ToyLeaderImporter, "write", fail_on_second)
    before = db_counts()
    with pytest.raises(RuntimeError):
        run(personas, "领导.xlsx", xlsx(LEADERS))
    assert db_counts() == before


def test_a_commit_holds_the_slice_lock_row(personas):
    with CaptureQueriesContext(connection) as queries:
        run(personas, "领导.xlsx", xlsx(LEADERS))
    locking = [q["sql"] for q in queries if '"core_importlock"' in q["sql"]]
    assert locking
    if connection.features.has_select_for_update:  # PostgreSQL; SQLite locks the database
        assert any("FOR UPDATE" in sql for sql in locking)
    assert ImportLock.objects.get().key == "import:toy_leaders"


def test_same_bytes_are_stored_once(personas):
    first = services.store_file(personas["sysadmin"], "a.csv", b"name\n")
    second = services.store_file(personas["sysadmin"], "C:\\Users\\me\\b.csv", b"name\n")
    assert first.pk == second.pk
    assert StoredFile.objects.count() == 1


# --- Jobs show progress ------------------------------------------------------------------------


def test_preview_and_commit_jobs_report_progress_and_link_the_result(personas):
    user = personas["sysadmin"]
    stored = services.store_file(user, "领导.xlsx", xlsx(LEADERS))
    params = {"importer": "toy_leaders", "file_id": stored.pk, "file_name": "领导.xlsx"}
    jobs.enqueue("imports.preview", "预览", params, user)
    jobs.run_pending()
    job = Job.objects.get(kind="imports.preview")
    assert (job.status, job.progress, job.message) == (JobStatus.DONE, 100, "预览完成")
    preview = ImportPreview.objects.get(pk=job.result["preview"])
    assert job.result["url"] == f"/imports/previews/{preview.pk}/"
    assert job.result["created"] == 2

    jobs.enqueue("imports.commit", "导入", {"preview_id": preview.pk}, user)
    jobs.run_pending()
    job = Job.objects.get(kind="imports.commit")
    assert (job.status, job.result["created"], job.result["link_text"]) == (
        JobStatus.DONE,
        2,
        "查看导入结果",
    )
    assert Leader.objects.filter(name__in=["张华", "王强"]).count() == 2


def test_a_refused_commit_job_fails_with_the_chinese_reason(personas):
    preview = make_preview(personas, xlsx(LEADERS))
    StoredFile.objects.filter(pk=preview.file_id).update(content=b"changed")
    before = db_counts()
    jobs.enqueue("imports.commit", "导入", {"preview_id": preview.pk}, personas["sysadmin"])
    jobs.run_pending()
    job = Job.objects.get(kind="imports.commit")
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("文件内容与预览时不一致")
    assert db_counts() == before
