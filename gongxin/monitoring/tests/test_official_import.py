"""Importing official (published) growth rates: Chinese headers, scopes, idempotent
re-import, each kind of bad input named by row and column with nothing written."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from gongxin.core.imports import services as imports
from gongxin.core.models import AuditEvent
from gongxin.core.testing import xlsx
from gongxin.monitoring.models import OfficialFigure

pytestmark = pytest.mark.django_db

HEADER = ["期别", "范围/行业", "指标", "增速（%）", "总量(亿元)", "发布单位", "发布日期"]
ROWS = [
    ["2024-06", "全区", "规模以上工业增加值", 6.2, None, "区统计局", "2024-07-15"],
    ["2024-06", "C 制造业", "规上工业增加值（可比价）", "6.5%", None, "区统计局", "2024-07-15"],
    ["2024年1-6月", "39", "规上工业总产值", -2.3, None, "区统计局", None],
    ["2024-06", "五大传统优势产业", "规上工业总产值", 3.1, 1805.3, "区统计局", None],
]


def run(data: bytes, *, commit: bool = True, name: str = "官方发布.xlsx"):
    return imports.run_import("official", name, data, commit=commit)


def test_a_good_file_creates_one_figure_per_period_scope_and_indicator():
    result = run(xlsx([HEADER, *ROWS]))
    assert (result["created"], result["errors"]) == (4, [])
    total = OfficialFigure.objects.get(scope_kind="total", indicator="value_added")
    assert (total.period, total.scope_code, total.scope_name) == ("2024-06", "", "全区")
    assert total.growth == Decimal("6.20") and total.source == "区统计局"
    assert total.published_on == dt.date(2024, 7, 15) and total.provenance == "survey"
    section = OfficialFigure.objects.get(scope_kind="section")
    assert (section.scope_code, section.scope_name, section.growth) == (
        "C",
        "制造业",
        Decimal("6.5"),
    )
    division = OfficialFigure.objects.get(scope_kind="division")
    # "2024年1-6月" is the cumulative period ending in June
    assert (division.period, division.scope_code, division.growth) == (
        "2024-06",
        "39",
        Decimal("-2.3"),
    )
    group = OfficialFigure.objects.get(scope_kind="group")
    # 1805.3 亿元 = 18053000 万元
    assert (group.scope_name, group.value) == ("五大传统优势产业", Decimal("18053000"))
    assert AuditEvent.objects.filter(action="stats.official_import").count() == 4


def test_reimport_is_unchanged_and_a_corrected_rate_is_an_update():
    run(xlsx([HEADER, *ROWS]))
    again = run(xlsx([HEADER, *ROWS]))
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 4)
    corrected = [list(row) for row in ROWS]
    corrected[0][3] = 6.3  # the bureau revised the region's rate
    result = run(xlsx([HEADER, *corrected]))
    assert (result["updated"], result["unchanged"]) == (1, 3)
    assert result["changes"][0]["before"] == {"growth": "6.20"}
    assert result["changes"][0]["after"] == {"growth": "6.30"}
    figure = OfficialFigure.objects.get(scope_kind="total")
    assert (figure.growth, figure.version) == (Decimal("6.3"), 2)
    assert AuditEvent.objects.filter(action="stats.official_import").count() == 5


BAD = {
    "bad period": (
        ["2024-13", "全区", "规上工业增加值", 6.2],
        {
            "row": 2,
            "column": "期别",
            "message": "统计期“2024-13”无法识别，应写作YYYY-MM（本年累计）。",
        },
    ),
    "text in the growth cell": (
        ["2024-06", "全区", "规上工业增加值", "增长6.2"],
        {"row": 2, "column": "增速（%）", "message": "“增长6.2”不是有效的数字。"},
    ),
    "unknown indicator": (
        ["2024-06", "全区", "地区生产总值", 5.1],
        {
            "row": 2,
            "column": "指标",
            "message": "指标“地区生产总值”无法识别，应为：规上工业增加值、规上工业总产值、"
            "规上工业营业收入、规上工业利润总额、工业投资、工业技改投资。",
        },
    ),
    "a 小类 as scope": (
        ["2024-06", "1311", "规上工业总产值", 5.1],
        {
            "row": 2,
            "column": "范围/行业",
            "message": "行业代码“C1311”是小类；官方发布数据按门类或大类填写（如 C、39）。",
        },
    ),
    "empty growth": (
        ["2024-06", "全区", "规上工业增加值", None],
        {"row": 2, "column": "增速（%）", "message": "“增速（%）”不能为空。"},
    ),
}


@pytest.mark.parametrize("kind", list(BAD))
def test_each_bad_input_is_named_by_row_and_column_and_nothing_is_written(kind):
    row, error = BAD[kind]
    header = HEADER[:4]
    good = ["2024-06", "全区", "规上工业总产值", 1.0]
    result = run(xlsx([header, row, good]))
    assert result["file"] == "官方发布.xlsx"
    assert result["errors"] == [error]
    assert (result["created"], result["updated"]) == (0, 0)
    assert OfficialFigure.objects.count() == 0


def test_a_duplicate_row_is_named_with_the_row_it_repeats():
    header = HEADER[:4]
    row = ["2024-06", "全区", "规上工业增加值", 6.2]
    # "规模以上工业增加值" and "规上工业增加值" are one indicator
    result = run(xlsx([header, row, ["2024-06", "全区", "规模以上工业增加值", 6.2]]))
    assert result["errors"] == [{"row": 3, "column": "指标", "message": "与第 2 行重复。"}]
    assert OfficialFigure.objects.count() == 0


def test_a_csv_in_gbk_is_read_too():
    text = "统计期,范围,指标,增速(%)\n2024-06,全区,规上工业增加值,6.2\n"
    result = run(text.encode("gb18030"), name="官方发布.csv")
    assert (result["created"], result["errors"]) == (1, [])


def test_the_command_previews_with_dry_run_and_prints_the_framework_shape(tmp_path, capsys):
    path = tmp_path / "官方发布.xlsx"
    path.write_bytes(xlsx([HEADER, *ROWS]))
    call_command("stats", "import-official", str(path), "--dry-run", "--json")
    result = json.loads(capsys.readouterr().out)
    assert {k: result[k] for k in ("file", "rows", "created", "updated", "unchanged")} == {
        "file": "官方发布.xlsx", "rows": 4, "created": 4, "updated": 0, "unchanged": 0,
    }  # fmt: skip
    assert OfficialFigure.objects.count() == 0
    call_command("stats", "import-official", str(path), "--json")
    assert json.loads(capsys.readouterr().out)["created"] == 4
    assert OfficialFigure.objects.count() == 4
    bad = tmp_path / "错.xlsx"
    bad.write_bytes(xlsx([HEADER[:4], ["2024-06", "全区", "GDP", 1]]))
    with pytest.raises(CommandError, match="有 1 处错误"):
        call_command("stats", "import-official", str(bad), "--json")


def test_only_the_analyst_has_the_upload_page(client_for):
    url = reverse("imports:upload", args=["official"])
    assert client_for("analyst").get(url).status_code == 200
    for persona in ("supervisor", "leader", "reporter_a", "enterprise_x"):
        assert client_for(persona).get(url).status_code == 403
