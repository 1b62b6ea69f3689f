"""The 梯度培育 imports: the enterprise's declared figures (cultivation-data) and the
administrative records (cultivation-records), each cell one EnterpriseFigure with the
catalog's provenance, through the same base as the evaluation's annual data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from gongxin.core.audit import AuditEvent
from gongxin.core.choices import PreviewStatus
from gongxin.core.imports import services as imports
from gongxin.core.imports.exceptions import ImportRefused
from gongxin.core.testing import USCC_X, USCC_Y, xlsx
from gongxin.enterprises.models import Enterprise, EnterpriseFigure
from gongxin.evaluation.importers import CultivationDataImporter
from gongxin.evaluation.tiers import services

pytestmark = pytest.mark.django_db
DATA, RECORDS = "cultivation-data", "cultivation-records"

HEADER = [
    "统一社会信用代码", "企业名称", "年度", "营业收入总额（元）", "主营业务收入（万元）",
    "研发费用总额（万元）", "资产负债率（%）", "净利润率", "Ⅰ类知识产权数量", "从事特定细分市场年限",
    "有效期内的创新型中小企业", "符合中小企业划型标准", "主要产品属于限制类或淘汰类", "数据来源",
]  # fmt: skip
GOOD = [
    [USCC_X, "青岛甲电子有限公司", 2025, 31_250_000, 2900, 150.5, 48.2, -1.5, 2, 5,
     "是", "是", "否", "企业申报表"],
    [USCC_Y, "", "2025年", "18,000,000", None, 60, "", 4, 0, "", "否", "", "", None],
]  # fmt: skip
RECORD_HEADER = ["统一社会信用代码", "年度", "专精特新发展评价得分", "特色化指标得分（省定）",
                 "列入经营异常名录或严重失信主体名单", "近三年发生重大事故", "数据来源"]  # fmt: skip


@pytest.fixture
def firms():
    Enterprise.objects.create(uscc=USCC_X, name="青岛甲电子有限公司", industry_code="3971")
    Enterprise.objects.create(uscc=USCC_Y, name="青岛乙化工有限公司", industry_code="2614")


def run(slug, rows, header, *, options=None):
    data = xlsx([header, *rows])
    return imports.run_import(slug, "梯度培育.xlsx", data, options=options or {}, commit=True)


def stored() -> dict[tuple, tuple]:
    return {
        (f.enterprise.uscc, f.feature, f.period): (f.value, f.provenance, f.source, f.version)
        for f in EnterpriseFigure.objects.select_related("enterprise")
    }


def test_declared_figures_are_previewed_then_committed_in_catalog_units(personas, firms):
    analyst = personas["analyst"]
    upload = imports.store_file(analyst, "梯度培育.xlsx", xlsx([HEADER, *GOOD]))
    preview = imports.preview(analyst, upload, DATA, {})
    assert preview.status == PreviewStatus.READY
    assert (preview.result["created"], preview.result["errors"]) == (2, [])
    assert preview.result["changes"][0]["after"]["tier_revenue"] == "3125.0000"
    assert EnterpriseFigure.objects.count() == 0  # a preview writes nothing

    result = imports.commit(analyst, preview)

    assert (result["created"], result["updated"], result["unchanged"]) == (2, 0, 0)
    x, y, source, label = USCC_X, USCC_Y, "企业申报表", "梯度培育申报数据"
    assert stored() == {
        # 31,250,000 元 = 3125 万元
        (x, "tier_revenue", "2025"): (D("3125"), "declared", source, 1),
        (x, "tier_main_revenue", "2025"): (D("2900"), "declared", source, 1),
        (x, "tier_rnd_expense", "2025"): (D("150.5"), "declared", source, 1),
        (x, "tier_debt_ratio", "2025"): (D("48.2"), "declared", source, 1),
        (x, "tier_net_profit_margin", "2025"): (D("-1.5"), "declared", source, 1),  # a loss
        (x, "tier_ip1_count", "2025"): (D("2"), "declared", source, 1),
        (x, "tier_niche_years", "2025"): (D("5"), "declared", source, 1),
        (x, "tier_innovative_sme", "2025"): (D("1"), "declared", source, 1),
        (x, "tier_sme_size", "2025"): (D("1"), "declared", source, 1),
        (x, "tier_restricted_products", "2025"): (D("0"), "declared", source, 1),
        # 18,000,000 元 = 1800 万元; blank cells write nothing; 0 items is a value
        (y, "tier_revenue", "2025"): (D("1800"), "declared", label, 1),
        (y, "tier_rnd_expense", "2025"): (D("60"), "declared", label, 1),
        (y, "tier_net_profit_margin", "2025"): (D("4"), "declared", label, 1),
        (y, "tier_ip1_count", "2025"): (D("0"), "declared", label, 1),
        (y, "tier_innovative_sme", "2025"): (D("0"), "declared", label, 1),
    }
    assert AuditEvent.objects.filter(action="enterprise.figures").count() == 15
    # the candidate list reads them: 150.5 ÷ 3125 × 100 = 4.816% R&D ratio, revenue 3125 ≥ 1500
    jia = next(c for c in services.candidates("srdi", date(2026, 6, 30)) if c.enterprise.uscc == x)
    assert jia.result.find("revenue").status == "met"
    assert jia.result.find("rnd_ratio").actual.quantize(D("0.001")) == D("4.816")
    assert jia.sources["tier_revenue"].source == source


def test_a_reimport_changes_nothing(firms):
    run(DATA, GOOD, HEADER)
    before, audited = stored(), AuditEvent.objects.count()

    again = run(DATA, GOOD, HEADER)

    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    assert (stored(), AuditEvent.objects.count()) == (before, audited)


def test_a_bad_cell_refuses_the_file_naming_row_and_column_and_writes_nothing(firms):
    run(DATA, GOOD, HEADER)
    before, audited = stored(), AuditEvent.objects.count()
    header = ["统一社会信用代码", "年度", "资产负债率", "Ⅰ类知识产权数量", "研发人员占比",
              "研发机构级别", "拥有Ⅰ类高价值知识产权"]  # fmt: skip
    rows = [
        [USCC_X, 2025, 50, 1.5, 10, 3, "是"],
        [USCC_Y, 2025, -3, 1, 10, 3, "是"],
        [USCC_Y, 2024, 50, 1, 120, 3, "是"],
        [USCC_X, 2024, 50, 1, 10, 5, "有"],
    ]

    result = run(DATA, rows, header)

    errors = {(e["row"], e["column"]): e["message"] for e in result["errors"]}
    assert errors == {
        (2, "Ⅰ类知识产权数量"): "应为整数（项）。",
        (3, "资产负债率"): "不能为负数。",
        (4, "研发人员占比"): "应在0到100%之间。",
        (5, "研发机构级别"): "应在0到4级之间。",
        (5, "拥有Ⅰ类高价值知识产权"): "“有”无法识别，请填“是”或“否”。",
    }
    assert (result["created"], result["updated"], result["unchanged"]) == (0, 0, 0)
    assert (stored(), AuditEvent.objects.count()) == (before, audited)


def test_administrative_records_are_their_own_import(firms):
    rows = [[USCC_X, 2026, 72.5, 9, "否", "否", "工业和信息化部梯度培育平台"]]

    result = run(RECORDS, rows, RECORD_HEADER)

    assert result["created"] == 1
    figures = stored()
    assert figures[USCC_X, "tier_platform_score", "2026"] == (
        D("72.5"), "admin", "工业和信息化部梯度培育平台", 1,
    )  # fmt: skip
    assert figures[USCC_X, "tier_credit_listed", "2026"][:2] == (D("0"), "admin")
    # a declared column is not a record: the records import ignores it, writing nothing more
    ignored = run(
        RECORDS, [[USCC_X, 2026, 50]], ["统一社会信用代码", "年度", "营业收入总额（万元）"]
    )
    assert (ignored["created"], ignored["updated"]) == (0, 0)


def test_only_the_analyst_imports_and_each_importer_names_the_other(personas):
    assert imports.importer_for(DATA, personas["analyst"])
    with pytest.raises(ImportRefused, match="无权使用“梯度培育申报数据”导入"):
        imports.importer_for(DATA, personas["enterprise_x"])
    assert "梯度培育行政记录" in CultivationDataImporter.description
    declared = {c.key for c in CultivationDataImporter.columns}
    assert "tier_platform_score" not in declared and "tier_ip1_count" in declared
