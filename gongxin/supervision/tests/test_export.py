"""The monthly report goes out as .docx and .xlsx and comes back in unchanged."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from python_calamine import CalamineWorkbook

import gongxin.demo
from gongxin.core.imports import services as imports
from gongxin.supervision import exporters
from gongxin.supervision.models import Plan

SEED = next((Path(gongxin.demo.__file__).parent / "seeds").glob("003_*.txt"))


@pytest.fixture
def plan(db):
    text = SEED.read_text(encoding="utf-8").encode("utf-8")
    assert imports.run_import("supervision", SEED.name, text, commit=True)["errors"] == []
    return Plan.objects.get()


def original_items():
    text = SEED.read_text(encoding="utf-8").encode("utf-8")
    return imports.run_import("supervision", SEED.name, text)["items"]


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_an_export_reimports_with_identical_structure(plan, fmt):
    data = exporters.FORMATS[fmt](exporters.build_report(plan, "2021-03"))
    again = imports.run_import("supervision", f"report.{fmt}", data)
    assert again["errors"] == []
    assert again["plan"] == {"title": "2021年区政府工作报告确定事项", "period": "2021-03"}
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 27)
    assert again["items"] == original_items()


def test_the_docx_has_the_seed_columns_title_and_landscape_page(plan):
    document = docx.Document(
        io.BytesIO(exporters.report_docx(exporters.build_report(plan, "2021-03")))
    )
    assert document.paragraphs[0].text == "2021年区政府工作报告确定事项1-3月份推进情况"
    section = document.sections[0]
    assert section.page_width > section.page_height
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "序号",
        "事项内容",
        "区分管领导",
        "责任单位",
        "3月份目标",
        "截至3月底完成情况",
    ]
    assert len(table.rows) == 28
    item4 = table.rows[4].cells
    assert item4[2].text == "刘玮\n隋斌\n张磊娜\n周诚"
    assert item4[3].text == "古镇口核心区、工信局分别牵头，教体局、财政局、校地融合办等部门配合"
    east_asia = (
        table.rows[1]
        .cells[1]
        .paragraphs[0]
        .runs[0]
        ._element.rPr.rFonts.get(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
        )
    )
    assert east_asia == "仿宋_GB2312"


def test_the_xlsx_has_a_title_row_and_wrapped_multi_line_cells(plan):
    data = exporters.report_xlsx(exporters.build_report(plan, "2021-03"))
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("推进情况").to_python()
    )
    assert rows[0][0] == "2021年区政府工作报告确定事项1-3月份推进情况"
    assert rows[1][:2] == ["序号", "事项内容"]
    assert rows[2][0] == "1" and "\n\n2.新区工信局（科技）" in rows[2][5]
    assert rows[4][1].startswith("★瞄准人工智能")


def test_several_units_progress_is_prefixed_with_each_units_name(plan):
    from gongxin.accounts.models import User
    from gongxin.supervision.models import ProgressReport

    item = plan.items.get(seq=2)
    assist = item.assignments.get(name_as_written="发改局")
    ProgressReport.objects.create(
        item=item,
        assignment=assist,
        period="2021-03",
        text="正常推进。已配合对接。",
        submitted_by=User.objects.first(),
    )
    row = exporters.build_report(plan, "2021-03").rows[1]
    assert row[5].startswith("正常推进。1.对接上级科技等主管部门")
    assert row[5].endswith("\n\n【发改局】正常推进。已配合对接。")
