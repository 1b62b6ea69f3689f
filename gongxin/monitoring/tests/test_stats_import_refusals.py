"""Acceptance 3 of the statistics import: every kind of bad input is named by row and
column in Chinese and nothing is written; a process killed in the middle of the write
leaves no rows behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from gongxin.core.imports import services as imports
from gongxin.core.testing import USCC_X, USCC_Y, xlsx
from gongxin.enterprises.models import Enterprise
from gongxin.monitoring.models import MonthlyStat
from gongxin.monitoring.tests.test_stats_import import HEADER, ROWS

GOOD = list(ROWS[0])


def row(**changes):
    values = dict(zip(HEADER, GOOD, strict=True))
    values.update(changes)
    return [values[h] for h in HEADER]


@pytest.fixture
def firms(db):
    Enterprise.objects.create(uscc=USCC_X, name="青岛甲电子有限公司", industry_code="3971")
    Enterprise.objects.create(uscc=USCC_Y, name="青岛乙化工有限公司", industry_code="2614")


def run(data, **options):
    return imports.run_import("stats", "月报.xlsx", data, options=options, commit=True)


def test_each_bad_cell_is_named_by_row_and_column_and_nothing_is_written(firms):
    output, prior = HEADER[3], HEADER[4]
    rows = [
        HEADER,
        row(统一社会信用代码="91370211264123450D"),  # row 2: check digit
        row(**{output: "一百二十万"}),  # row 3: text in a number cell
        row(**{prior: -5}),  # row 4: negative output
        row(**{output: "nan"}),  # row 5: numpy's NaN as text
        row(**{output: "NaN"}),  # row 6: NaN as text (a script's export; a float NaN
        # cell cannot exist in .xlsx: openpyxl and pandas write it as a blank)
        row(统计期="2024-13"),  # row 7: no such month
        list(ROWS[1]),  # row 8: good
        list(ROWS[1]),  # row 9: the same enterprise and month again
    ]
    result = run(xlsx(rows))
    errors = {(e["row"], e["column"]): e["message"] for e in result["errors"]}
    assert "校验位错误" in errors[2, "统一社会信用代码"]
    assert errors[3, output] == "“一百二十万”不是有效的数字。"
    assert errors[4, prior] == "不能为负数。"
    assert errors[5, output] == "“nan”不是有效的数字。"
    assert errors[6, output] == "“NaN”不是有效的数字。"
    assert errors[7, "统计期"] == "统计期“2024-13”无法识别，应写作YYYY-MM。"
    duplicate = [message for (r, _), message in errors.items() if r == 9]
    assert duplicate == ["与第 8 行重复。"]
    assert result["created"] == 0
    assert MonthlyStat.objects.count() == 0


def test_an_error_value_cell_refuses_the_file_naming_the_cell(firms):
    result = run(xlsx([HEADER, row(**{HEADER[3]: "#N/A"})]))  # a lookup that found nothing
    assert [e["message"] for e in result["errors"]] == [
        "工作表“Sheet”的 D2（#N/A）单元格是错误值，请修正公式或数据后重新上传。"
    ]
    assert MonthlyStat.objects.count() == 0


def test_a_header_with_an_unknown_unit_refuses_the_file(firms):
    header = list(HEADER)
    header[5] = "营业收入(万美元)"
    result = run(xlsx([header, *ROWS]))
    assert result["errors"][0]["column"] == "营业收入(万美元)"
    assert "万美元" in result["errors"][0]["message"]
    assert MonthlyStat.objects.count() == 0


def test_a_good_file_imported_twice_is_all_unchanged_the_second_time(firms):
    assert run(xlsx([HEADER, *ROWS]))["created"] == 2
    again = run(xlsx([HEADER, *ROWS]))
    assert (again["created"], again["updated"], again["unchanged"], again["errors"]) == (
        0,
        0,
        2,
        [],
    )


KILLED_IMPORT = """
import os, signal, sys
import django
django.setup()
from django.core.management import call_command
from gongxin.enterprises.models import Enterprise
from gongxin.monitoring import services

for i, code in enumerate(sys.argv[2:]):
    Enterprise.objects.create(uscc=code, name=f"企业{i}", industry_code="3971")

def killed(*args, **kwargs):
    # every month row is written, the transaction not yet committed: die here, as
    # `kill -9` or a power cut would
    os.kill(os.getpid(), signal.SIGKILL)

services.audit.record_many = killed
call_command("stats", "import", sys.argv[1], "--json")
"""

COUNT = """
import django
django.setup()
from gongxin.enterprises.models import Enterprise
from gongxin.monitoring.models import MonthlyStat
print(Enterprise.objects.count(), MonthlyStat.objects.count())
"""


def test_a_process_killed_mid_import_leaves_no_rows(tmp_path):
    """Its own SQLite file: the killed process must not share the test database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gongxin.test_settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'killed.sqlite3'}",
    }
    python = sys.executable

    def django_run(code: str, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603 (our own interpreter and code)
            [python, "-c", textwrap.dedent(code), *args], env=env, capture_output=True, text=True
        )

    migrate = subprocess.run(  # noqa: S603
        [python, "-m", "django", "migrate", "-v0"], env=env, capture_output=True, text=True
    )
    assert migrate.returncode == 0, migrate.stderr
    path = tmp_path / "月报.xlsx"
    path.write_bytes(xlsx([HEADER, *ROWS]))
    killed = django_run(KILLED_IMPORT, str(path), USCC_X, USCC_Y)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    count = django_run(COUNT)
    assert count.returncode == 0, count.stderr
    # the enterprises committed before the import are there; the import's months are not
    assert count.stdout.split() == ["2", "0"]
