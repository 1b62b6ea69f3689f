"""Importing the bureau's supervision table (seed 003) into plans, items and units."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

import gongxin.demo
from gongxin.accounts.models import Unit
from gongxin.core.imports import services as imports
from gongxin.core.models import AuditEvent
from gongxin.core.testing import xlsx
from gongxin.supervision.models import Item, ItemUnit, Plan, ProgressReport

SEED = next((Path(gongxin.demo.__file__).parent / "seeds").glob("003_*.txt"))
TEXT = SEED.read_text(encoding="utf-8")


def run(name: str, data: bytes, *, commit=True, options=None, user=None):
    return imports.run_import(
        "supervision", name, data, user=user, options=options or {}, commit=commit
    )


def counts() -> dict[str, int]:
    return {
        "plans": Plan.objects.count(), "items": Item.objects.count(), "units": Unit.objects.count(),
        "assignments": ItemUnit.objects.count(), "reports": ProgressReport.objects.count(),
        "audit": AuditEvent.objects.count(),
    }  # fmt: skip


@pytest.fixture
def imported(db):
    result = run(SEED.name, TEXT.encode("utf-8"))
    assert result["errors"] == []
    return Plan.objects.get()


def test_seed_003_becomes_a_plan_of_27_items_for_march_2021(imported):
    assert imported.title == "2021年区政府工作报告确定事项"
    assert imported.year == 2021 and imported.current_period == "2021-03"
    assert imported.items.count() == 27
    assert sorted(imported.items.filter(key=True).values_list("seq", flat=True)) == [3, 6, 12]


def test_item_4_keeps_its_four_leaders_in_order_and_its_unit_roles(imported):
    item = imported.items.get(seq=4)
    assert [leader.name for leader in item.ordered_leaders] == ["刘玮", "隋斌", "张磊娜", "周诚"]
    roles = {a.name_as_written: a.role for a in item.assignments.all()}
    assert roles == {
        "古镇口核心区": "lead",
        "工信局": "lead",
        "教体局": "assist",
        "财政局": "assist",
        "校地融合办": "assist",
    }
    assert item.mode == "separate_leads"


def test_abbreviated_units_resolve_to_one_unit(imported):
    item2 = imported.items.get(seq=2)
    item15 = imported.items.get(seq=15)
    fagai_2 = item2.assignments.get(name_as_written="发改局").unit
    fagai_15 = item15.assignments.get(name_as_written="区发改局").unit
    assert fagai_2 == fagai_15
    assert fagai_2.name == "区发改局"


def test_collective_units_wait_for_a_person(imported):
    placeholder = ItemUnit.objects.get(name_as_written="各行业主管部门")
    assert placeholder.unit is None and placeholder.needs_resolution


def test_every_item_has_its_march_target_and_a_report_with_claimed_status(imported):
    for item in imported.items.all():
        assert item.period_targets.get(period="2021-03").text
        report = item.reports.get(period="2021-03")
        assert report.claimed_status == "on_track"
        assert report.text.startswith("正常推进")


def test_reimporting_the_same_file_changes_nothing(imported):
    before = counts()
    result = run(SEED.name, TEXT.encode("utf-8"))
    assert (result["created"], result["updated"], result["unchanged"]) == (0, 0, 27)
    assert counts() == before


def test_a_changed_cell_updates_one_item_with_an_audit_row_naming_the_change(imported):
    changed = TEXT.replace("\t汇总新区科技型企业技术需求表。", "\t完成新区科技型企业技术需求汇总。")
    result = run(SEED.name, changed.encode("utf-8"))
    assert (result["created"], result["updated"], result["unchanged"]) == (0, 1, 26)
    event = AuditEvent.objects.filter(action="item.import").latest("id")
    assert event.before == {"period_target": "汇总新区科技型企业技术需求表。"}
    assert event.after == {"period_target": "完成新区科技型企业技术需求汇总。"}


def test_the_gbk_version_imports_the_same_27_items(db):
    result = run("003-gbk.txt", TEXT.encode("gbk"), commit=False)
    assert result["errors"] == [] and result["rows"] == 27
    assert [i["seq"] for i in result["items"]] == list(range(1, 28))
    utf8 = run(SEED.name, TEXT.encode("utf-8"), commit=False)
    assert result["items"] == utf8["items"]


def test_an_xlsx_without_the_content_column_is_refused_and_nothing_changes(imported):
    before = counts()
    data = xlsx(
        [
            ["2021年区政府工作报告确定事项1-3月份推进情况"],
            ["序号", "区分管领导", "责任单位", "3月份目标"],
            [1, "隋斌", "区工信局", "目标"],
        ]
    )
    result = run("缺列.xlsx", data)
    assert result["errors"][0]["message"].startswith("表头（第 2 行）缺少必填列 “事项内容”")
    assert counts() == before


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("空.txt", b"", "文件为空"),
        ("截断.docx", b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "已损坏"),
        ("乱码.txt", b"\xff\xfe\xfd\x80\x81" * 10, "编码"),
    ],
)
def test_bad_files_get_a_clear_chinese_error_and_change_nothing(imported, name, data, message):
    before = counts()
    result = run(name, data)
    assert result["errors"] and message in result["errors"][0]["message"]
    assert counts() == before


def test_a_table_whose_period_cannot_be_known_asks_for_it(db):
    data = xlsx([["序号", "事项内容", "责任单位"], [1, "建设平台", "区工信局"]])
    result = run("无标题.xlsx", data, options={"plan_title": "2022年重点工作"})
    assert "无法确定统计期" in result["errors"][0]["message"]
    ok = run("无标题.xlsx", data, options={"plan_title": "2022年重点工作", "period": "2022-06"})
    assert ok["errors"] == [] and ok["created"] == 1


def test_the_command_prints_the_items_in_the_documented_shape(db, capsys):
    call_command("supervision", "import", str(SEED), "--dry-run", "--json")
    result = json.loads(capsys.readouterr().out)
    assert {"file", "rows", "created", "updated", "unchanged", "errors", "items"} <= set(result)
    item2 = next(i for i in result["items"] if i["seq"] == 2)
    assert item2 == {
        "seq": 2,
        "content": "加快宸芯科技国家重点实验室等高端科研平台建设，新增市级以上科技创新平台15家。",
        "key": False,
        "leaders": ["隋斌"],
        "mode": "lead_assist",
        "units": {"lead": ["区工信局"], "assist": ["发改局", "国内招商促进中心"], "separately": []},
        "period_target": "统筹推进宸芯科技重点实验室的建设。",
        "progress": item2["progress"],
        "claimed_status": "正常推进",
    }
    assert item2["progress"].startswith("正常推进。1.对接上级科技等主管部门")
    assert Plan.objects.count() == 0


def test_the_command_exits_non_zero_on_errors(db, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(CommandError):
        call_command("supervision", "import", str(empty), "--json")


def test_the_supervisor_imports_through_the_pages_with_a_preview_first(client_for, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from gongxin.core import jobs
    from gongxin.core.models import ImportPreview

    client = client_for("supervisor")
    upload = SimpleUploadedFile("督办表.txt", TEXT.encode("gbk"))
    response = client.post(
        reverse("imports:upload", args=["supervision"]),
        {"file": upload, "opt-plan_title": "", "opt-period": ""},
    )
    assert response.status_code == 302
    jobs.run_pending()
    preview = ImportPreview.objects.get()
    page = client.get(reverse("imports:preview", args=[preview.pk])).content.decode()
    assert "各行业主管部门" in page  # the placeholder is pointed out before anything is written
    assert preview.result["created"] == 27 and Plan.objects.count() == 0
    client.post(reverse("imports:commit", args=[preview.pk]))
    jobs.run_pending()
    assert Plan.objects.get().items.count() == 27
    assert (
        client_for("reporter_a").get(reverse("imports:upload", args=["supervision"])).status_code
        == 403
    )
