"""The annual data import of the 亩产效益 evaluation: one row per enterprise and year, one
column per catalog input or flag, each non-empty cell one EnterpriseFigure."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from gongxin.core.audit import AuditEvent
from gongxin.core.choices import PreviewStatus
from gongxin.core.imports import services as imports
from gongxin.core.imports.exceptions import ImportRefused
from gongxin.core.testing import USCC_X, USCC_Y, xlsx
from gongxin.enterprises.models import Enterprise, EnterpriseFigure
from gongxin.evaluation.importers import EvaluationDataImporter

pytestmark = pytest.mark.django_db
SLUG = "evaluation-data"
UNKNOWN = "91370211MA3C8K2L6B"  # a valid code of no enterprise in the registry
LABEL = "亩产效益评价年度数据"

HEADER = [
    "统一社会信用代码", "企业名称", "年度", "用地面积（平方米）", "实缴税金（元）", "营业收入（税务）",
    "工业增加值", "综合能耗（吨标准煤）", "用电量（千瓦时）", "排放当量", "职工人数", "R&D经费",
    "暂不评价", "新投产", "在建", "事故", "未完成节能目标", "数据来源",
]  # fmt: skip
GOOD = [
    [USCC_X, "青岛甲电子有限公司", "2024年", 20000, 1234567, 5600.5, 1800, 950.25, 3250000,
     12.5, 320, 168.8, "否", "否", "", "否", "否", "区发改局汇总"],
    [USCC_Y, "青岛乙化工有限公司", 2024, 40000, "98,765", 2400, "", "-", 1000000,
     None, 85, None, None, "是", "√", None, None, None],
]  # fmt: skip
# Money columns without a unit in the header (营业收入, 工业增加值, R&D经费) are in 万元.
OPTIONS = {"unit": "万元"}


@pytest.fixture
def firms():
    Enterprise.objects.create(uscc=USCC_X, name="青岛甲电子有限公司", industry_code="3971")
    Enterprise.objects.create(uscc=USCC_Y, name="青岛乙化工有限公司", industry_code="2614")


def run(rows, header=HEADER, options=OPTIONS, *, commit=True):
    data = xlsx([header, *rows])
    return imports.run_import(SLUG, "亩产效益.xlsx", data, options=options, commit=commit)


def stored() -> dict[tuple, tuple]:
    return {
        (f.enterprise.uscc, f.feature, f.period): (f.value, f.provenance, f.source, f.version)
        for f in EnterpriseFigure.objects.select_related("enterprise")
    }


def test_a_good_file_is_previewed_then_committed_in_the_catalog_units(personas, firms):
    analyst = personas["analyst"]
    upload = imports.store_file(analyst, "亩产效益.xlsx", xlsx([HEADER, *GOOD]))
    preview = imports.preview(analyst, upload, SLUG, OPTIONS)
    assert preview.status == PreviewStatus.READY
    assert (preview.result["created"], preview.result["errors"]) == (2, [])
    first = preview.result["changes"][0]
    assert first["key"] == f"青岛甲电子有限公司（{USCC_X}） 2024年度"
    assert (first["before"], first["after"]["tax_paid"]) == (None, "123.4567")
    assert EnterpriseFigure.objects.count() == 0  # a preview writes nothing

    result = imports.commit(analyst, preview)

    assert (result["created"], result["updated"], result["unchanged"]) == (2, 0, 0)
    x, y, source = USCC_X, USCC_Y, "区发改局汇总"
    assert stored() == {
        # 20000 平方米 × 0.0015 = 30 亩; 1,234,567 元 = 123.4567 万元
        (x, "land_area_mu", "2024"): (D("30"), "admin", source, 1),
        (x, "tax_paid", "2024"): (D("123.4567"), "admin", source, 1),
        (x, "revenue_year_admin", "2024"): (D("5600.5"), "admin", source, 1),
        (x, "value_added_year", "2024"): (D("1800"), "survey", source, 1),
        (x, "energy_year_tce", "2024"): (D("950.25"), "admin", source, 1),
        # 3,250,000 千瓦时 = 325 万千瓦时
        (x, "electricity_year", "2024"): (D("325"), "admin", source, 1),
        (x, "emissions_year", "2024"): (D("12.5"), "admin", source, 1),
        (x, "employees_year", "2024"): (D("320"), "admin", source, 1),
        (x, "rnd_year", "2024"): (D("168.8"), "survey", source, 1),
        (x, "eval_exempt", "2024"): (D("0"), "admin", source, 1),
        (x, "eval_new_firm", "2024"): (D("0"), "admin", source, 1),
        (x, "eval_accident", "2024"): (D("0"), "admin", source, 1),
        (x, "eval_energy_missed", "2024"): (D("0"), "admin", source, 1),
        # 40000 平方米 × 0.0015 = 60 亩; 98,765 元 = 9.8765 万元; blank and "-" write nothing
        (y, "land_area_mu", "2024"): (D("60"), "admin", LABEL, 1),
        (y, "tax_paid", "2024"): (D("9.8765"), "admin", LABEL, 1),
        (y, "revenue_year_admin", "2024"): (D("2400"), "admin", LABEL, 1),
        (y, "electricity_year", "2024"): (D("100"), "admin", LABEL, 1),
        (y, "employees_year", "2024"): (D("85"), "admin", LABEL, 1),
        (y, "eval_new_firm", "2024"): (D("1"), "admin", LABEL, 1),
        (y, "eval_under_construction", "2024"): (D("1"), "admin", LABEL, 1),
    }
    assert AuditEvent.objects.filter(action="enterprise.figures").count() == 20


def test_a_reimport_changes_nothing_and_a_changed_cell_updates_only_its_figure(firms):
    run(GOOD)
    before, audited = stored(), AuditEvent.objects.count()

    again = run(GOOD)

    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    assert (stored(), AuditEvent.objects.count()) == (before, audited)

    # Only the tax is supplied (no land column): 1,300,000 元 = 130 万元; the land stays 30 亩.
    header = ["统一社会信用代码", "年度", "实缴税金（元）", "数据来源"]
    changed = run([[USCC_X, 2024, 1300000, "区发改局汇总"]], header)

    assert (changed["created"], changed["updated"], changed["unchanged"]) == (0, 1, 0)
    assert changed["changes"][0]["before"] == {"tax_paid": "123.4567"}
    assert changed["changes"][0]["after"] == {"tax_paid": "130.0000"}
    after = stored()
    assert after[USCC_X, "tax_paid", "2024"] == (D("130"), "admin", "区发改局汇总", 2)
    assert after[USCC_X, "land_area_mu", "2024"] == before[USCC_X, "land_area_mu", "2024"]


def test_a_file_with_bad_cells_is_refused_naming_row_and_column_and_writes_nothing(firms):
    run(GOOD)
    before, audited = stored(), AuditEvent.objects.count()
    header = ["统一社会信用代码", "企业名称", "年度", "用地面积", "实缴税金（万元）", "暂不评价"]
    rows = [
        [USCC_X, "", 2025, 30, -5, ""],
        [USCC_Y, "", "24年", 30, 10, ""],
        [UNKNOWN, "", 2025, 30, 10, ""],
        [USCC_Y, "", 2025, 0, 10, ""],
        [USCC_Y, "", 2025, "三十", 10, ""],
        [USCC_Y, "", 2025, 30, 10, "可能"],
        [USCC_Y, "", 2025, 31, 11, "是"],
        [USCC_Y, "", "2025年", 32, 12, ""],
        [USCC_X, "", 2026, 30, None, ""],  # a tax column with a blank tax
        [USCC_X, "", 2027, None, 5, ""],  # a land column with a blank land area
    ]

    result = run(rows, header, options={})

    errors = {(e["row"], e["column"]): e["message"] for e in result["errors"]}
    assert errors == {
        (2, "实缴税金（万元）"): "不能为负数。",
        (3, "年度"): "年度“24年”不正确，应为四位年份，如 2024。",
        (4, "统一社会信用代码"): (
            f"企业库中没有统一社会信用代码为“{UNKNOWN}”的企业，请先导入企业名录。"
        ),
        (5, "用地面积"): "用地面积不能为0（亩均指标以用地面积为分母）。",
        (6, "用地面积"): "“三十”不是有效的数字。",
        (7, "暂不评价"): "“可能”无法识别，请填“是”或“否”。",
        (9, "统一社会信用代码"): "与第 8 行重复。",
        (10, "实缴税金（万元）"): "不能为空：评价税收是必填项，没有缴税的请填0。",
        (11, "用地面积"): "不能为空：用地面积是亩均指标的分母。",
    }
    assert (result["created"], result["updated"], result["unchanged"]) == (0, 0, 0)
    assert (stored(), AuditEvent.objects.count()) == (before, audited)


def test_a_money_column_needs_a_unit_from_its_header_or_the_options(firms):
    header = ["统一社会信用代码", "年度", "实缴税金", "研发经费（美元）"]

    result = run([[USCC_X, 2024, 100, 5]], header, options={})

    assert result["errors"] == [
        {
            "row": 2,
            "column": "实缴税金",
            "message": "表头未注明金额单位：请写作“实缴税金（万元）”等，或在导入选项中选择金额单位。",
        },
        {
            "row": 2,
            "column": "研发经费（美元）",
            "message": "表头单位“美元”无法识别，金额单位应为元、千元、万元或亿元。",
        },
    ]
    assert EnterpriseFigure.objects.count() == 0
    # 100 千元 = 10 万元
    assert run([[USCC_X, 2024, 100]], header[:3], options={"unit": "千元"})["created"] == 1
    assert stored()[USCC_X, "tax_paid", "2024"][0] == D("10")


def test_flags_read_yes_no_one_zero_and_tick(firms):
    header = ["统一社会信用代码", "年度", "暂不评价", "新投产", "在建", "安全环保事故",
              "未完成节能目标"]  # fmt: skip
    rows = [[USCC_X, 2024, "是", "否", 1, 0, ""], [USCC_Y, 2024, "√", None, "否", "是", 0]]

    assert run(rows, header)["created"] == 2

    flags = {(uscc, code): value for (uscc, code, _), (value, *_) in stored().items()}
    assert flags == {
        (USCC_X, "eval_exempt"): D(1),
        (USCC_X, "eval_new_firm"): D(0),
        (USCC_X, "eval_under_construction"): D(1),
        (USCC_X, "eval_accident"): D(0),
        (USCC_Y, "eval_exempt"): D(1),
        (USCC_Y, "eval_under_construction"): D(0),
        (USCC_Y, "eval_accident"): D(1),
        (USCC_Y, "eval_energy_missed"): D(0),
    }
    importer = EvaluationDataImporter()
    assert importer.display("eval_accident", "1.0000") == "是"
    assert importer.display("tax_paid", "123.4500") == "123.45 万元"


def test_a_second_year_creates_new_figures_and_leaves_the_first_alone(firms):
    header = ["统一社会信用代码", "年度", "用地面积（亩）", "实缴税金（万元）"]
    run([[USCC_X, 2023, 30, 100]], header)
    first = stored()

    result = run([[USCC_X, "2024年", 30, 120]], header)

    assert (result["created"], result["updated"], result["unchanged"]) == (1, 0, 0)
    figures = stored()
    assert {k: v for k, v in figures.items() if k[2] == "2023"} == first
    assert figures[USCC_X, "tax_paid", "2024"] == (D("120"), "admin", LABEL, 1)
    assert figures[USCC_X, "land_area_mu", "2024"] == (D("30"), "admin", LABEL, 1)


def test_only_the_analyst_imports_and_the_description_names_the_survey_columns(personas):
    assert imports.importer_for(SLUG, personas["analyst"])
    with pytest.raises(ImportRefused, match="无权使用“亩产效益评价年度数据”导入"):
        imports.importer_for(SLUG, personas["enterprise_x"])
    description = EvaluationDataImporter.description
    assert "“工业增加值（年度）”、“研发经费支出（年度）”为统计调查数据" in description
