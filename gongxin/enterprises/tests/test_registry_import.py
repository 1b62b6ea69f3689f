"""Importing the enterprise registry (企业名录): codes checked, regions resolved, errors
by row and column in Chinese, all or nothing, re-import unchanged."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from gongxin.accounts.choices import UnitKind
from gongxin.accounts.models import Unit, UnitAlias
from gongxin.core.imports import services
from gongxin.core.imports.exceptions import ImportRefused
from gongxin.core.models import AuditEvent
from gongxin.core.testing import USCC_X, USCC_Y, xlsx
from gongxin.enterprises.models import Enterprise, ScaleRecord

USCC_Z = "91370211MA3C4D5E7Y"  # valid: both checks hold
HEADER = ["统一社会信用代码", "企业名称", "行业代码", "所属镇街/功能区", "用地面积(亩)", "从业人员", "是否规上", "年度"]  # fmt: skip
ROWS = [
    [USCC_X, "青岛甲机械有限公司", "C3442", "黄岛街道", "56.5", 320, "是", 2024],
    [USCC_Y, "青岛乙食品有限公司", "1311", "开发区", "", "", "否", 2024],
    [USCC_Z, "青岛丙电子有限公司", "c 3971", "", 12, 45, "", ""],
]


@pytest.fixture
def regions(db):
    town = Unit.objects.create(name="黄岛街道", kind=UnitKind.TOWN)
    zone = Unit.objects.create(name="经济技术开发区", kind=UnitKind.ZONE)
    UnitAlias.objects.create(unit=zone, alias="开发区")
    return town, zone


def csv_bytes(rows, encoding: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def run(personas, rows, *, commit=True, name="企业名录.xlsx", data=None):
    return services.run_import(
        "enterprises", name, data or xlsx(rows), user=personas["analyst"], commit=commit
    )


def state():
    return (
        sorted(Enterprise.objects.values_list("uscc", "name", "industry_code", "version")),
        sorted(ScaleRecord.objects.values_list("enterprise__uscc", "year", "above_scale")),
        AuditEvent.objects.count(),
    )


def test_the_registry_is_created_with_industry_region_and_scale(personas, regions):
    town, zone = regions
    result = run(personas, [HEADER, *ROWS])
    assert result["errors"] == []
    assert (result["rows"], result["created"], result["updated"]) == (3, 3, 0)
    x = Enterprise.objects.get(uscc=USCC_X)
    assert (x.name, x.industry_code, x.region, x.land_mu, x.employees) == (
        "青岛甲机械有限公司",
        "3442",
        town,
        Decimal("56.50"),
        320,
    )
    assert Enterprise.objects.get(uscc=USCC_Y).region == zone  # through the alias 开发区
    z = Enterprise.objects.get(uscc=USCC_Z)
    assert (z.industry_code, z.region, z.land_mu) == ("3971", None, Decimal("12.00"))
    assert sorted(ScaleRecord.objects.values_list("enterprise__uscc", "year", "above_scale")) == [
        (USCC_Y, 2024, False),
        (USCC_X, 2024, True),
    ]
    events = AuditEvent.objects.filter(action="enterprise.create")
    assert events.count() == 3  # one per enterprise, its register entry included
    after = events.get(object_repr="青岛甲机械有限公司").after
    assert after["above_scale_2024"] is True
    assert after["industry_code"] == "3442"
    assert events.first().reason.startswith("导入文件“企业名录.xlsx”")


def test_reimporting_the_same_file_changes_nothing(personas, regions):
    run(personas, [HEADER, *ROWS])
    before = state()
    result = run(personas, [HEADER, *ROWS])
    assert result["errors"] == []
    assert (result["created"], result["updated"], result["unchanged"]) == (0, 0, 3)
    assert state() == before


def test_a_changed_row_updates_one_enterprise_with_one_audit_row(personas, regions):
    run(personas, [HEADER, *ROWS])
    rows = [list(r) for r in ROWS]
    rows[1][6] = "是"  # Y enters the register
    rows[1][5] = 88
    rows[0][4] = ""  # blank: X's land area stays as it is
    result = run(personas, [HEADER, *rows])
    assert (result["created"], result["updated"], result["unchanged"]) == (0, 1, 2)
    y = Enterprise.objects.get(uscc=USCC_Y)
    assert (y.employees, y.version) == (88, 2)
    assert ScaleRecord.objects.get(enterprise=y, year=2024).above_scale is True
    assert Enterprise.objects.get(uscc=USCC_X).land_mu == Decimal("56.50")
    update = AuditEvent.objects.get(action="enterprise.update")
    assert update.before == {"employees": None, "above_scale_2024": False}
    assert update.after == {"employees": 88, "above_scale_2024": True}


def bad(rows_changed):
    rows = [list(r) for r in ROWS]
    for (index, column), value in rows_changed.items():
        rows[index][column] = value
    return [HEADER, *rows]


def test_a_bad_uscc_is_an_error_naming_row_column_and_reason(personas, regions):
    before = state()
    result = run(personas, bad({(1, 0): "91370211163578907X"}))
    assert result["errors"] == [
        {
            "row": 3,
            "column": "统一社会信用代码",
            "message": "统一社会信用代码校验位错误，请核对是否抄错。",
        }
    ]
    assert result["created"] == 0
    assert state() == before


def test_a_short_uscc_names_its_length(personas, regions):
    result = run(personas, bad({(0, 0): "9137021126412345"}))
    assert result["errors"][0]["row"] == 2
    assert "应为18位，实际为16位" in result["errors"][0]["message"]


def test_an_unknown_industry_is_an_error(personas, regions):
    before = state()
    result = run(personas, bad({(2, 2): "C9999"}))
    assert len(result["errors"]) == 1
    error = result["errors"][0]
    assert (error["row"], error["column"]) == (4, "行业代码")
    assert "不在《国民经济行业分类》（GB/T 4754-2017）中" in error["message"]
    assert state() == before


def test_a_division_is_not_enough_for_an_enterprise(personas, regions):
    result = run(personas, bad({(2, 2): "C39"}))
    assert "须填写到4位小类代码" in result["errors"][0]["message"]


def test_an_unknown_region_is_an_error_naming_it(personas, regions):
    before = state()
    result = run(personas, bad({(0, 3): "不存在街道"}))
    assert result["errors"] == [
        {
            "row": 2,
            "column": "所属镇街/功能区",
            "message": "镇街/功能区“不存在街道”不存在，请先在单位管理中建立。",
        }
    ]
    assert state() == before


def test_a_department_is_not_a_region(personas, regions):
    result = run(personas, bad({(0, 3): "区工业和信息化局"}))
    assert "不是镇街或功能区" in result["errors"][0]["message"]


def test_scale_without_year_and_bad_flags_are_errors(personas, regions):
    result = run(personas, bad({(0, 7): "", (1, 6): "可能"}))
    messages = {(e["row"], e["column"]): e["message"] for e in result["errors"]}
    assert messages == {
        (2, "年度"): "填写了“是否规上”，须同时填写“年度”。",
        (3, "是否规上"): "“可能”无法识别，请填“是”或“否”。",
    }


def test_a_dry_run_writes_nothing(personas, regions):
    before = state()
    result = run(personas, [HEADER, *ROWS], commit=False)
    assert (result["created"], result["errors"]) == (3, [])
    assert state() == before


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_a_csv_in_gbk_or_utf8_imports(personas, regions, encoding):
    data = csv_bytes([HEADER, *ROWS], encoding)
    result = run(personas, None, name="企业名录.csv", data=data)
    assert result["errors"] == []
    assert result["created"] == 3
    assert Enterprise.objects.get(uscc=USCC_Y).name == "青岛乙食品有限公司"


def test_headers_may_be_written_differently(personas, regions):
    header = ["社会信用代码", "单位名称", "国民经济行业代码", "所属镇街", "用地面积（亩）", "从业人员数"]  # fmt: skip
    result = run(personas, [header, [USCC_X, "青岛甲机械有限公司", "3442", "黄岛街道", 5, 6]])
    assert (result["errors"], result["created"]) == ([], 1)


def test_only_the_analyst_may_import(personas, regions):
    with pytest.raises(ImportRefused):
        services.run_import(
            "enterprises", "企业名录.xlsx", xlsx([HEADER, *ROWS]), user=personas["supervisor"]
        )
