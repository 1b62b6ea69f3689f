"""Importing the monthly statistics: header variants and units, 万元 storage, revisions,
unknown enterprises, release before anyone but the analyst sees a month."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from gongxin.core.imports import services as imports
from gongxin.core.models import AuditEvent
from gongxin.core.testing import USCC_X, USCC_Y, xlsx
from gongxin.enterprises.models import Enterprise
from gongxin.monitoring import services
from gongxin.monitoring.models import MonthlyStat, StatRevision


@pytest.fixture
def firms(db):
    Enterprise.objects.create(uscc=USCC_X, name="青岛甲电子有限公司", industry_code="3971")
    Enterprise.objects.create(uscc=USCC_Y, name="青岛乙化工有限公司", industry_code="2614")


HEADER = [
    "统计期",
    "统一社会信用代码",
    "单位详细名称",
    "工业总产值(当年价格)(千元)本年累计",
    "工业总产值(千元)上年同期",
    "营业收入(千元)",
    "上年同期营业收入(千元)",
    "从业人员平均人数(人)",
]
ROWS = [
    ["2024-03", USCC_X, "甲", 123456, 100000, 150000, 140000, 320],
    ["2024-03", USCC_Y, "乙", 5000, 6000, None, None, 45],
]


def run(data, *, commit=True, **options):
    return imports.run_import("stats", "月报.xlsx", data, options=options, commit=commit)


def test_thousand_yuan_become_wan_yuan_and_blank_cells_stay_empty(firms):
    result = run(xlsx([HEADER, *ROWS]))
    assert (result["created"], result["errors"]) == (2, [])
    x = MonthlyStat.objects.get(enterprise__uscc=USCC_X, period="2024-03")
    # 123456 千元 = 12345.6 万元; 100000 千元 = 10000 万元
    assert (x.output, x.output_prior) == (Decimal("12345.6000"), Decimal("10000.0000"))
    assert (x.revenue, x.revenue_prior, x.employees) == (
        Decimal("15000"),
        Decimal("14000"),
        Decimal("320"),
    )
    y = MonthlyStat.objects.get(enterprise__uscc=USCC_Y)
    assert y.revenue is None and y.output == Decimal("500")


def test_reimport_is_unchanged_and_a_changed_month_is_a_kept_revision(firms):
    run(xlsx([HEADER, *ROWS]))
    again = run(xlsx([HEADER, *ROWS]))
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    revised = [list(ROWS[0]), ROWS[1]]
    revised[0][3] = 124000  # the enterprise corrected its March output
    result = run(xlsx([HEADER, *revised]))
    assert (result["updated"], result["unchanged"]) == (1, 1)
    x = MonthlyStat.objects.get(enterprise__uscc=USCC_X)
    assert x.output == Decimal("12400") and x.revised
    revision = StatRevision.objects.get(stat=x)
    assert revision.before == {"output": "12345.6000"} and revision.after == {
        "output": "12400.0000"
    }
    assert AuditEvent.objects.filter(action="stats.import").count() == 3


def test_an_unknown_enterprise_and_a_bad_code_are_named_by_row_and_column(firms):
    bad = [
        HEADER,
        ["2024-03", "91370211264123450D", "错码", 1, 1, 1, 1, 1],
        ["2024-03", "91370211MA3C8K2L6B", "未登记", 1, 1, 1, 1, 1],
    ]
    result = run(xlsx(bad))
    errors = {(e["row"], e["column"]): e["message"] for e in result["errors"]}
    assert "校验位错误" in errors[(2, "统一社会信用代码")]
    assert MonthlyStat.objects.count() == 0
    unknown = run(xlsx([HEADER, ["2024-03", "91370211MA3C8K2L6B", "未登记", 1, 1, 1, 1, 1]]))
    assert unknown["errors"] == [
        {
            "row": 2,
            "column": "统一社会信用代码",
            "message": "企业库中没有统一社会信用代码为“91370211MA3C8K2L6B”的企业，请先导入企业名录。",
        }
    ]


def test_an_unknown_header_unit_is_an_error_naming_the_column(firms):
    header = list(HEADER)
    header[3] = "工业总产值(万美元)本年累计"
    result = run(xlsx([header, *ROWS]))
    assert result["errors"][0]["column"] == "工业总产值(万美元)本年累计"
    assert "万美元" in result["errors"][0]["message"]
    assert MonthlyStat.objects.count() == 0


def test_without_a_unit_in_the_header_the_declared_unit_is_used(firms):
    header = ["统一社会信用代码", "工业总产值本年累计", "工业总产值上年同期"]
    data = xlsx([header, [USCC_X, 2, 1]])
    refused = run(data, period="2024-03")
    assert "未注明金额单位" in refused["errors"][0]["message"]
    ok = run(data, period="2024-03", unit="亿元")
    assert ok["created"] == 1
    # 2 亿元 = 20000 万元
    assert MonthlyStat.objects.get().output == Decimal("20000")


def test_the_command_prints_the_framework_shape(firms, tmp_path, capsys):
    path = tmp_path / "月报.xlsx"
    path.write_bytes(xlsx([HEADER, *ROWS]))
    call_command("stats", "import", str(path), "--dry-run", "--json")
    result = json.loads(capsys.readouterr().out)
    assert {k: result[k] for k in ("rows", "created", "updated", "unchanged")} == {
        "rows": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
    }
    assert MonthlyStat.objects.count() == 0
    empty = tmp_path / "空.csv"
    empty.write_bytes(b"")
    with pytest.raises(CommandError):
        call_command("stats", "import", str(empty), "--json")


def test_a_month_is_visible_to_the_enterprise_only_after_release(firms, personas):
    run(xlsx([HEADER, *ROWS]))
    x_user = personas["enterprise_x"]
    assert MonthlyStat.objects.restrict(x_user).count() == 0
    assert MonthlyStat.objects.restrict(personas["analyst"]).count() == 2
    services.release_period(personas["analyst"], "2024-03")
    mine = MonthlyStat.objects.restrict(x_user)
    assert [s.enterprise.uscc for s in mine] == [USCC_X]
    for persona in ("supervisor", "leader", "reporter_a", "sysadmin", "auditadmin"):
        assert MonthlyStat.objects.restrict(personas[persona]).count() == 0
