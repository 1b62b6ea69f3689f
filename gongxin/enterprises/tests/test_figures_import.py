"""Importing declared and administrative figures (企业申报, 行政记录) that policies read."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from gongxin.core.imports import services as imports
from gongxin.core.testing import USCC_X, USCC_Y, xlsx
from gongxin.enterprises.models import Enterprise, EnterpriseFigure

pytestmark = pytest.mark.django_db
HEADER = ["统一社会信用代码", "企业名称", "指标", "期别", "数值", "单位", "来源", "出处"]


@pytest.fixture
def firms():
    Enterprise.objects.create(uscc=USCC_X, name="青岛甲电子有限公司", industry_code="3971")
    Enterprise.objects.create(uscc=USCC_Y, name="青岛乙化工有限公司", industry_code="2614")


def run(rows):
    return imports.run_import("figures", "申报数据.xlsx", xlsx([HEADER, *rows]), commit=True)


GOOD = [
    [
        USCC_X,
        "甲",
        "一季度工业产值（企业申报）",
        "2024年一季度",
        3.2,
        "亿元",
        "企业申报",
        "开门红申报表",
    ],
    [
        USCC_X,
        "甲",
        "上年一季度工业产值（企业申报）",
        "2024-Q1",
        280000000,
        "元",
        "企业申报",
        "开门红申报表",
    ],
    [USCC_Y, "乙", "上年营业收入（税务）", "2023", 1500, "万元", "行政记录", "区税务局"],
]


def test_figures_are_stored_in_wan_yuan_and_reimport_is_unchanged(firms):
    result = run(GOOD)
    assert (result["created"], result["errors"]) == (3, [])
    stored = {
        (f.feature, f.period): (f.value, f.provenance) for f in EnterpriseFigure.objects.all()
    }
    # 3.2亿元 = 32000万元; 280,000,000元 = 28000万元
    assert stored == {
        ("q1_output_declared", "2024-Q1"): (D("32000"), "declared"),
        ("q1_output_prior_declared", "2024-Q1"): (D("28000"), "declared"),
        ("revenue_year_admin", "2023"): (D("1500"), "admin"),
    }
    again = run(GOOD)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)


def test_each_bad_cell_is_named_and_nothing_is_written(firms):
    rows = [
        [USCC_X, "甲", "利润率", "2024", 1, "", "企业申报", ""],  # not importable here
        [USCC_X, "甲", "上年营业收入（税务）", "2023", 1, "万元", "企业申报", ""],  # wrong source
        [
            USCC_X,
            "甲",
            "一季度工业产值（企业申报）",
            "2024年三月",
            1,
            "万元",
            "企业申报",
            "",
        ],  # period
        [USCC_X, "甲", "一季度工业产值（企业申报）", "2024-Q1", 1, "%", "企业申报", ""],  # unit
        [
            USCC_X,
            "甲",
            "一季度工业产值（企业申报）",
            "2024-Q1",
            "三亿",
            "亿元",
            "企业申报",
            "",
        ],  # text
    ]
    errors = {(e["row"], e["column"]): e["message"] for e in run(rows)["errors"]}
    assert errors[2, "指标"].startswith("指标“利润率”不能经此导入")
    assert errors[3, "来源"] == "指标“上年营业收入（税务）”的来源应为行政记录。"
    assert errors[4, "期别"].startswith("期别“2024年三月”与指标“一季度工业产值（企业申报）”不符")
    assert errors[5, "单位"] == "单位“%”与指标“一季度工业产值（企业申报）”（万元）不符。"
    assert errors[6, "数值"] == "“三亿”不是有效的数字。"
    assert EnterpriseFigure.objects.count() == 0
