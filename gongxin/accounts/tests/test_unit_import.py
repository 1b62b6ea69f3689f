"""Importing the unit directory (单位名录) from Excel/CSV: by page, by command, by service."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from gongxin.accounts.choices import UnitKind
from gongxin.accounts.models import Unit, UnitAlias
from gongxin.core import jobs
from gongxin.core.imports import handlers, services  # noqa: F401  (registers the job kinds)
from gongxin.core.models import AuditEvent, ImportPreview, Job, StoredFile

HEADER = ["单位名称", "类型", "上级单位", "简称", "别名"]
UNITS = [
    HEADER,
    ["区工业和信息化局", "区直部门", "", "工信局", "区工信局、工信"],
    ["办公室", "局内科室", "区工信局", "", ""],
    ["黄岛街道", "镇街", "", "", "黄岛街道办事处，黄岛"],
    ["经济技术开发区", "功能区", "", "开发区", ""],
]


def xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "单位名录"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def db_counts():
    return {
        "units": Unit.objects.count(),
        "aliases": UnitAlias.objects.count(),
        "audit": AuditEvent.objects.count(),
        "files": StoredFile.objects.count(),
    }


def run(personas, rows, *, commit=True, name="单位.xlsx"):
    return services.run_import("units", name, xlsx(rows), user=personas["sysadmin"], commit=commit)


def test_units_are_created_with_kinds_parents_and_aliases(personas):
    result = run(personas, UNITS)
    assert result["errors"] == []
    # 区工业和信息化局 already exists (a persona's unit): it gains its aliases.
    assert (result["rows"], result["created"], result["updated"]) == (4, 3, 1)
    office = Unit.objects.get(name="办公室")
    assert office.kind == UnitKind.BUREAU_DEPT
    assert office.parent.name == "区工业和信息化局"  # through an alias from an earlier row
    town = Unit.objects.get(name="黄岛街道")
    assert town.kind == UnitKind.TOWN
    assert sorted(town.aliases.values_list("alias", flat=True)) == ["黄岛", "黄岛街道办事处"]
    assert Unit.objects.get(name="经济技术开发区").short_name == "开发区"
    bureau = Unit.objects.get(name="区工业和信息化局")
    assert sorted(bureau.aliases.values_list("alias", flat=True)) == ["区工信局", "工信"]
    assert bureau.version == 2
    created = AuditEvent.objects.filter(action="unit.create")
    assert created.count() == 3
    assert created.get(object_repr="黄岛街道").after["aliases"] == ["黄岛街道办事处", "黄岛"]
    update = AuditEvent.objects.get(action="unit.update", object_repr="区工业和信息化局")
    assert update.before == {"aliases": []}
    assert update.after == {"aliases": ["区工信局", "工信"]}
    assert update.reason.startswith("导入文件“单位.xlsx”")


def test_reimporting_the_same_file_changes_nothing(personas):
    data = xlsx(UNITS)
    user = personas["sysadmin"]
    services.run_import("units", "单位.xlsx", data, user=user, commit=True)
    before = db_counts()
    result = services.run_import("units", "单位.xlsx", data, user=user, commit=True)
    assert (result["created"], result["updated"], result["unchanged"]) == (0, 0, 4)
    assert db_counts() == before  # not even an audit row


def test_blank_cells_keep_current_values_and_aliases_are_only_added(personas):
    run(personas, UNITS)
    result = run(personas, [HEADER, ["黄岛街道", "", "", "黄岛", "黄岛办"]])
    assert (result["created"], result["updated"], result["unchanged"]) == (0, 1, 0)
    town = Unit.objects.get(name="黄岛街道")
    assert town.kind == UnitKind.TOWN  # blank 类型 kept
    assert town.short_name == "黄岛"
    assert sorted(town.aliases.values_list("alias", flat=True)) == [
        "黄岛",
        "黄岛办",
        "黄岛街道办事处",
    ]


def test_a_name_that_is_an_alias_asks_for_the_canonical_name(personas):
    run(personas, UNITS)
    before = db_counts()
    result = run(personas, [HEADER, ["区工信局", "", "", "", ""]])
    assert result["errors"] == [
        {
            "row": 2,
            "column": "单位名称",
            "message": "“区工信局”是单位“区工业和信息化局”的别名，请填写该单位的规范名称。",
        }
    ]
    assert db_counts() == before


def test_parents_must_exist_or_come_earlier_in_the_file(personas):
    before = db_counts()
    rows = [
        ["2024年单位名录"],
        HEADER,
        ["综合科", "局内科室", "新区局", "", ""],
        ["新区局", "区直部门", "", "", ""],
        ["规划科", "科室", "不存在的局", "", ""],
        ["自己", "", "自己", "", ""],
    ]
    result = run(personas, rows)
    assert result["errors"] == [
        {"row": 3, "column": "上级单位", "message": "上级单位“新区局”在第 4 行，须排在本行之前。"},
        {"row": 5, "column": "上级单位", "message": "上级单位“不存在的局”不存在，请先建立该单位。"},
        {"row": 6, "column": "上级单位", "message": "上级单位不能是本单位。"},
    ]
    assert db_counts() == before


def test_a_parent_cycle_is_refused(personas):
    run(personas, [HEADER, ["甲局", "", "", "", ""], ["乙科", "", "甲局", "", ""]])
    result = run(personas, [HEADER, ["甲局", "", "乙科", "", ""]])
    assert result["errors"] == [
        {
            "row": 2,
            "column": "上级单位",
            "message": "上级单位关系形成了循环（某单位成了自己的上级）。",
        }
    ]


def test_alias_conflicts_and_unknown_kinds_are_named(personas):
    run(personas, UNITS)
    before = db_counts()
    rows = [
        ["名称", "单位类型", "别名"],  # header aliases
        ["新单位", "事业单位", "工信；区发展和改革局"],
        ["另一单位", "", "共用；共用"],
        ["第三单位", "", "共用"],
    ]
    result = run(personas, rows)
    assert result["errors"] == [
        {
            "row": 2,
            "column": "单位类型",
            "message": "类型“事业单位”无法识别，可填：局机关、局内科室、区直部门、镇街、功能区、其他。",
        },
        {"row": 4, "column": "别名", "message": "别名“共用”与第 3 行重复。"},
    ]
    result = run(personas, [rows[0], ["新单位", "", "工信；区发展和改革局"]])
    assert [e["message"] for e in result["errors"]] == [
        "别名“工信”已指向单位“区工业和信息化局”。",
        "“区发展和改革局”是另一个单位的规范名称，不能作为别名。",
    ]
    assert db_counts() == before


def test_a_gbk_csv_imports(personas):
    data = "单位名称,类型\n胶南街道,镇街\n".encode("gbk")
    result = services.run_import("units", "单位.csv", data, user=personas["sysadmin"], commit=True)
    assert result["created"] == 1
    assert Unit.objects.get(name="胶南街道").kind == UnitKind.TOWN


# --- The command ------------------------------------------------------------------------------


def test_the_command_prints_the_result_shape_and_dry_run_writes_nothing(personas, tmp_path):
    path = tmp_path / "单位.xlsx"
    path.write_bytes(xlsx(UNITS))
    before = db_counts()
    out = io.StringIO()
    call_command("import", "units", str(path), "--dry-run", "--user", "sysadmin", stdout=out)
    result = json.loads(out.getvalue())
    assert {k: result[k] for k in ("file", "rows", "created", "updated", "unchanged")} == {
        "file": "单位.xlsx",
        "rows": 4,
        "created": 3,
        "updated": 1,
        "unchanged": 0,
    }
    assert result["errors"] == []
    assert "区工业和信息化局" in out.getvalue()  # ensure_ascii=False
    assert db_counts() == before

    call_command("import", "units", str(path), "--user", "sysadmin", stdout=io.StringIO())
    again = io.StringIO()
    call_command("import", "units", str(path), "--dry-run", stdout=again)
    assert json.loads(again.getvalue())["unchanged"] == 4


def test_the_command_exits_1_with_the_errors_when_the_file_is_wrong(personas, tmp_path):
    path = tmp_path / "坏.xlsx"
    path.write_bytes(xlsx([HEADER, ["", "镇街", "", "", ""]]))
    out = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import", "units", str(path), stdout=out)
    assert failed.value.returncode == 1
    assert json.loads(out.getvalue())["errors"] == [
        {"row": 2, "column": "单位名称", "message": "“单位名称”不能为空。"}
    ]


def test_the_command_refuses_a_user_without_the_role(personas, tmp_path):
    path = tmp_path / "单位.xlsx"
    path.write_bytes(xlsx(UNITS))
    with pytest.raises(CommandError, match="无权使用“单位名录”导入"):
        call_command("import", "units", str(path), "--user", "supervisor")
    with pytest.raises(CommandError, match="没有名为“nothing”的导入类型"):
        call_command("import", "nothing", str(path))


# --- The pages --------------------------------------------------------------------------------


def test_sysadmin_uploads_previews_and_commits_through_the_pages(client_for):
    client = client_for("sysadmin")
    assert (
        reverse("imports:upload", args=["units"])
        in client.get(reverse("accounts:unit_list")).content.decode()
    )
    page = client.get(reverse("imports:upload", args=["units"]))
    assert page.status_code == 200
    assert "上传并预览" in page.content.decode()

    upload = SimpleUploadedFile("单位.xlsx", xlsx(UNITS))
    response = client.post(reverse("imports:upload", args=["units"]), {"file": upload})
    job = Job.objects.get(kind="imports.preview")
    assert response.url == reverse("core:job_detail", args=[job.pk])
    jobs.run_pending()
    job.refresh_from_db()
    preview = ImportPreview.objects.get(pk=job.result["preview"])
    assert "查看预览" in client.get(response.url).content.decode()

    text = client.get(job.result["url"]).content.decode()
    assert "确认导入" in text
    assert '<span class="n">3</span><span class="l">新增</span>' in text
    assert '<span class="n">1</span><span class="l">更新</span>' in text
    assert "黄岛街道办事处、黄岛" in text
    assert Unit.objects.filter(name="黄岛街道").count() == 0

    response = client.post(reverse("imports:commit", args=[preview.pk]))
    jobs.run_pending()
    commit_job = Job.objects.get(kind="imports.commit")
    assert response.url == reverse("core:job_detail", args=[commit_job.pk])
    assert commit_job.status == "done" and commit_job.result["created"] == 3
    assert Unit.objects.filter(name__in=["办公室", "黄岛街道", "经济技术开发区"]).count() == 3
    text = client.get(reverse("imports:preview", args=[preview.pk])).content.decode()
    assert "已导入" in text
    assert "确认导入" not in text


def test_a_preview_with_errors_shows_them_by_row_and_column(client_for):
    client = client_for("sysadmin")
    upload = SimpleUploadedFile("单位.xlsx", xlsx([HEADER, ["甲", "事业单位", "", "", ""]]))
    client.post(reverse("imports:upload", args=["units"]), {"file": upload})
    jobs.run_pending()
    preview = ImportPreview.objects.get()
    text = client.get(reverse("imports:preview", args=[preview.pk])).content.decode()
    assert "文件有错误，未导入任何数据" in text
    assert "<td>类型</td>" in text and "类型“事业单位”无法识别" in text
    assert "确认导入" not in text
    assert client.post(reverse("imports:commit", args=[preview.pk])).status_code == 302
    assert not Job.objects.filter(kind="imports.commit").exists()


def test_an_empty_upload_is_refused_on_the_form_and_nothing_is_stored(client_for):
    client = client_for("sysadmin")
    upload = SimpleUploadedFile("单位.xlsx", b"")
    response = client.post(reverse("imports:upload", args=["units"]), {"file": upload})
    assert response.status_code == 200
    assert "文件为空。" in response.content.decode()
    assert StoredFile.objects.count() == 0
    assert not Job.objects.exists()


def test_other_roles_cannot_import_units(client_for, personas):
    for who in ("supervisor", "secadmin", "auditadmin", "reporter_a"):
        client = client_for(who)
        assert client.get(reverse("imports:upload", args=["units"])).status_code == 403
        upload = SimpleUploadedFile("单位.xlsx", xlsx(UNITS))
        response = client.post(reverse("imports:upload", args=["units"]), {"file": upload})
        assert response.status_code == 403
    assert not Job.objects.exists()


def test_a_preview_is_visible_only_to_its_uploader(client_for, personas):
    stored = services.store_file(personas["sysadmin"], "单位.xlsx", xlsx(UNITS))
    preview = services.preview(personas["sysadmin"], stored, "units")
    client = client_for("secadmin")
    assert client.get(reverse("imports:preview", args=[preview.pk])).status_code == 404
    assert client.post(reverse("imports:commit", args=[preview.pk])).status_code == 404


def test_the_template_download_has_the_headers(client_for):
    response = client_for("sysadmin").get(reverse("imports:template", args=["units"]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book.active[1]] == HEADER
