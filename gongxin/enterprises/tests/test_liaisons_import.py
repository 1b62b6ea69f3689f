"""Importing liaison officers (包联干部名单): one officer per enterprise, year and level;
the phone number is personal data (masked in the audit trail, bureau roles only)."""

from __future__ import annotations

import pytest

from gongxin.core.imports import services
from gongxin.core.imports.exceptions import ImportRefused
from gongxin.core.models import AuditEvent
from gongxin.core.testing import USCC_X, USCC_Y
from gongxin.enterprises.models import Enterprise, Liaison
from gongxin.enterprises.services import mask_phone, may_see_liaison_phone
from gongxin.enterprises.tests.test_registry_import import USCC_Z, xlsx

HEADER = ["统一社会信用代码", "企业名称", "年度", "包联级别", "包联干部", "职务/单位", "联系电话"]
ROWS = [
    [USCC_X, "青岛甲机械有限公司", 2024, "市级", "张 三", "市工信局副局长", "13812345678"],
    [USCC_X, "青岛甲机械有限公司", 2024, "区级", "李四", "区工信局", "0532-86881234"],
    [USCC_Y, "青岛乙食品有限公司", 2024, "镇街", "王五", "", ""],
]


@pytest.fixture
def registry(db):
    x = Enterprise.objects.create(uscc=USCC_X, name="青岛甲机械有限公司")
    y = Enterprise.objects.create(uscc=USCC_Y, name="青岛乙食品有限公司")
    return x, y


def run(personas, rows, *, commit=True, user="analyst"):
    return services.run_import(
        "liaisons", "包联干部.xlsx", xlsx(rows), user=personas[user], commit=commit
    )


def state():
    return (
        sorted(
            Liaison.objects.values_list(
                "enterprise__uscc", "year", "level", "officer_name", "title", "phone"
            )
        ),
        AuditEvent.objects.count(),
    )


def with_changes(changes):
    rows = [list(r) for r in ROWS]
    for (index, column), value in changes.items():
        rows[index][column] = value
    return [HEADER, *rows]


def test_officers_are_created_by_level_and_audited_with_the_phone_masked(personas, registry):
    result = run(personas, [HEADER, *ROWS])
    assert result["errors"] == []
    assert (result["rows"], result["created"]) == (3, 3)
    assert set(state()[0]) == {
        (USCC_X, 2024, "city", "张三", "市工信局副局长", "13812345678"),
        (USCC_X, 2024, "district", "李四", "区工信局", "0532-86881234"),
        (USCC_Y, 2024, "town", "王五", "", ""),
    }
    event = AuditEvent.objects.get(action="liaison.create", object_repr="2024年市级包联：张三")
    assert event.after["phone"] == "138****5678"
    assert event.after["officer_name"] == "张三"
    assert "13812345678" not in str(list(AuditEvent.objects.values_list("after", flat=True)))


def test_reimporting_the_same_file_changes_nothing(personas, registry):
    run(personas, [HEADER, *ROWS])
    before = state()
    result = run(personas, [HEADER, *ROWS])
    assert (result["created"], result["updated"], result["unchanged"]) == (0, 0, 3)
    assert state() == before


def test_blank_contact_cells_keep_the_officers_contact(personas, registry):
    run(personas, [HEADER, *ROWS])
    result = run(personas, with_changes({(0, 5): "", (0, 6): None}))
    assert result["unchanged"] == 3
    assert Liaison.objects.get(level="city").phone == "13812345678"


def test_another_officer_replaces_the_old_one_with_their_own_contact(personas, registry):
    run(personas, [HEADER, *ROWS])
    result = run(personas, with_changes({(0, 4): "赵六", (0, 5): "", (0, 6): ""}))
    assert (result["updated"], result["unchanged"]) == (1, 2)
    city = Liaison.objects.get(level="city")
    assert (city.officer_name, city.title, city.phone) == ("赵六", "", "")
    update = AuditEvent.objects.get(action="liaison.update")
    assert update.before == {
        "officer_name": "张三",
        "title": "市工信局副局长",
        "phone": "138****5678",
    }
    assert update.after == {"officer_name": "赵六", "title": "", "phone": ""}


@pytest.mark.parametrize(
    ("written", "level"),
    [("市", "city"), ("区(市)级", "district"), ("区县级", "district"), ("镇街级", "town"),
     ("街道级", "town")],
)  # fmt: skip
def test_levels_are_read_with_their_common_variants(personas, registry, written, level):
    result = run(personas, [HEADER, [USCC_X, "", 2024, written, "张三", "", ""]])
    assert result["errors"] == []
    assert Liaison.objects.get().level == level


@pytest.mark.parametrize(
    ("changes", "row", "column", "message"),
    [
        (
            {(2, 0): "91370211163578907"},
            4,
            "统一社会信用代码",
            "统一社会信用代码应为18位，实际为17位。",
        ),
        (
            {(2, 0): USCC_Z},
            4,
            "统一社会信用代码",
            f"企业库中没有统一社会信用代码为“{USCC_Z}”的企业，请先导入企业名录。",
        ),
        (
            {(1, 3): "省级"},
            3,
            "包联级别",
            "包联级别“省级”无法识别，请填市级、区级或镇街级。",
        ),
        ({(0, 2): 1999.5}, 2, "年度", "年度“1999.5”不正确，应为四位年份，如 2024。"),
        ({(0, 2): None}, 2, "年度", "“年度”不能为空。"),
        ({(2, 4): ""}, 4, "包联干部", "“包联干部”不能为空。"),
        (
            {(1, 6): "请联系办公室"},
            3,
            "联系电话",
            "联系电话“请联系办公室”格式不正确，只能包含数字、“-”“+”和括号。",
        ),
    ],
)
def test_bad_input_is_an_error_naming_row_and_column_and_nothing_is_written(
    personas, registry, changes, row, column, message
):
    before = state()
    result = run(personas, with_changes(changes))
    assert result["errors"] == [{"row": row, "column": column, "message": message}]
    assert result["created"] == 0
    assert state() == before


def test_a_duplicate_row_is_an_error(personas, registry):
    rows = [HEADER, ROWS[0], [USCC_X, "", "2024年", "市", "赵六", "", ""]]
    result = run(personas, rows)
    assert result["errors"] == [
        {"row": 3, "column": "统一社会信用代码", "message": "与第 2 行重复。"}
    ]
    assert Liaison.objects.count() == 0


def test_the_phone_is_for_bureau_roles_only(personas):
    seen = {name: may_see_liaison_phone(user) for name, user in personas.items()}
    assert {name for name, yes in seen.items() if yes} == {"supervisor", "leader", "analyst"}
    assert mask_phone("0532-86881234") == "053******1234"
    assert mask_phone("110") == "***"


def test_only_the_analyst_may_import_liaisons(personas, registry):
    with pytest.raises(ImportRefused):
        run(personas, [HEADER, *ROWS], user="enterprise_x")
