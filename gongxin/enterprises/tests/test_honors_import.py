"""Importing honors and qualifications (荣誉资质名单): titles and levels read from the
ways bureau lists write them, enterprises from the registry, errors by row and column in
Chinese, all or nothing, re-import unchanged."""

from __future__ import annotations

import pytest

from gongxin.core.imports import services
from gongxin.core.imports.exceptions import ImportRefused
from gongxin.core.models import AuditEvent
from gongxin.core.testing import USCC_X, USCC_Y
from gongxin.enterprises.models import Enterprise, Honor
from gongxin.enterprises.tests.test_registry_import import USCC_Z, xlsx

HEADER = ["统一社会信用代码", "企业名称", "称号", "级别", "认定年度", "批次/文号"]
ROWS = [
    [USCC_X, "青岛甲机械有限公司", "专精特新“小巨人”企业", "国家级", 2024, "第六批"],
    [USCC_X, "青岛甲机械有限公司", "专精特新中小企业", "省", "2022年", ""],
    [USCC_Y, "青岛乙食品有限公司", "高新技术企业", "国家", 2023, "鲁科字〔2023〕12号"],
    [USCC_Y, "青岛乙食品有限公司", "5g工厂", "市级", 2024, None],
]


@pytest.fixture
def registry(db):
    x = Enterprise.objects.create(uscc=USCC_X, name="青岛甲机械有限公司")
    y = Enterprise.objects.create(uscc=USCC_Y, name="青岛乙食品有限公司")
    return x, y


def run(personas, rows, *, commit=True, user="analyst"):
    return services.run_import(
        "honors", "荣誉资质.xlsx", xlsx(rows), user=personas[user], commit=commit
    )


def state():
    return (
        sorted(Honor.objects.values_list("enterprise__uscc", "kind", "level", "year", "document")),
        AuditEvent.objects.count(),
    )


def with_changes(changes):
    rows = [list(r) for r in ROWS]
    for (index, column), value in changes.items():
        rows[index][column] = value
    return [HEADER, *rows]


def test_honors_are_created_with_kind_level_year_and_audited(personas, registry):
    result = run(personas, [HEADER, *ROWS])
    assert result["errors"] == []
    assert (result["rows"], result["created"], result["updated"]) == (4, 4, 0)
    assert set(state()[0]) == {
        (USCC_X, "little_giant", "national", 2024, "第六批"),
        (USCC_X, "srdi", "provincial", 2022, ""),
        (USCC_Y, "factory_5g", "municipal", 2024, ""),
        (USCC_Y, "high_tech", "national", 2023, "鲁科字〔2023〕12号"),
    }
    events = AuditEvent.objects.filter(action="honor.create")
    assert events.count() == 4
    first = events.get(object_repr="2024年国家级专精特新“小巨人”企业")
    assert first.after == {
        "enterprise": registry[0].pk,
        "kind": "little_giant",
        "level": "national",
        "year": 2024,
        "document": "第六批",
    }
    assert first.reason.startswith("导入文件“荣誉资质.xlsx”")


def test_reimporting_the_same_file_changes_nothing(personas, registry):
    run(personas, [HEADER, *ROWS])
    before = state()
    result = run(personas, [HEADER, *ROWS])
    assert (result["created"], result["updated"], result["unchanged"]) == (0, 0, 4)
    assert state() == before


def test_a_new_document_updates_the_honor_and_a_blank_one_keeps_it(personas, registry):
    run(personas, [HEADER, *ROWS])
    result = run(personas, with_changes({(1, 5): "鲁工信字〔2022〕3号", (0, 5): ""}))
    assert (result["created"], result["updated"], result["unchanged"]) == (0, 1, 3)
    assert Honor.objects.get(kind="little_giant").document == "第六批"
    update = AuditEvent.objects.get(action="honor.update")
    assert (update.before, update.after) == (
        {"document": ""},
        {"document": "鲁工信字〔2022〕3号"},
    )


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ('专精特新"小巨人"企业', "little_giant"),
        ("小巨人", "little_giant"),
        ("专精特新 中小企业", "srdi"),
        ("单项冠军", "single_champion"),
        ("高企", "high_tech"),
        ("科技型中小企业", "tech_sme"),
        ("绿色工厂", "green_factory"),
        ("智能工厂", "smart_factory"),
        ("5G全连接工厂", "factory_5g"),
        ("灯塔工厂", "lighthouse"),
    ],
)
def test_titles_are_read_as_lists_write_them(personas, registry, written, kind):
    result = run(personas, [HEADER, [USCC_X, "", written, "国家级", 2024, ""]])
    assert result["errors"] == []
    assert Honor.objects.get().kind == kind


@pytest.mark.parametrize(
    ("written", "level"),
    [("国家级", "national"), ("国家", "national"), ("省级", "provincial"), ("省", "provincial"),
     ("市", "municipal"), ("区级", "district"), ("区（市）级", "district"), ("县级", "district")],
)  # fmt: skip
def test_levels_are_read_with_their_common_variants(personas, registry, written, level):
    result = run(personas, [HEADER, [USCC_X, "", "绿色工厂", written, 2024, ""]])
    assert result["errors"] == []
    assert Honor.objects.get().level == level


def test_headers_may_be_written_differently(personas, registry):
    header = ["社会信用代码", "荣誉称号", "认定级别", "年度", "文号"]
    result = run(personas, [header, [USCC_X, "高新技术企业", "国家级", 2024, "x"]])
    assert (result["errors"], result["created"]) == ([], 1)


@pytest.mark.parametrize(
    ("changes", "row", "column", "message"),
    [
        (
            {(2, 0): "91370211163578907X"},
            4,
            "统一社会信用代码",
            "统一社会信用代码校验位错误，请核对是否抄错。",
        ),
        (
            {(2, 0): USCC_Z},
            4,
            "统一社会信用代码",
            f"企业库中没有统一社会信用代码为“{USCC_Z}”的企业，请先导入企业名录。",
        ),
        (
            {(1, 2): "优秀企业"},
            3,
            "称号",
            "称号“优秀企业”无法识别，应为以下之一：创新型中小企业、专精特新中小企业、专精特新“小巨人”企业、"
            "制造业单项冠军、高新技术企业、科技型中小企业、绿色工厂、智能工厂、5G工厂、灯塔工厂。",
        ),
        (
            {(0, 3): "世界级"},
            2,
            "级别",
            "级别“世界级”无法识别，请填国家级、省级、市级或区级。",
        ),
        (
            {(3, 4): "24"},
            5,
            "认定年度",
            "认定年度“24”不正确，应为四位年份，如 2024。",
        ),
        ({(3, 4): ""}, 5, "认定年度", "“认定年度”不能为空。"),
        ({(0, 2): None}, 2, "称号", "“称号”不能为空。"),
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
    # "省" and "省级" are the same level: the second row repeats the first.
    result = run(personas, [HEADER, ROWS[1], [USCC_X, "", "专精特新", "省级", 2022, ""]])
    assert result["errors"] == [
        {"row": 3, "column": "统一社会信用代码", "message": "与第 2 行重复。"}
    ]
    assert Honor.objects.count() == 0


def test_the_preview_names_the_registry_enterprise_and_a_differing_written_name(personas, registry):
    rows = [HEADER, [USCC_X, "青岛甲机械厂", "绿色工厂", "省级", 2024, ""]]
    result = run(personas, rows, commit=False)
    assert result["changes"][0]["key"] == (
        f"青岛甲机械有限公司（{USCC_X}）［表中写作“青岛甲机械厂”］ 2024年省级绿色工厂"
    )
    assert Honor.objects.count() == 0  # a dry run


def test_only_the_analyst_may_import_honors(personas, registry):
    with pytest.raises(ImportRefused):
        run(personas, [HEADER, *ROWS], user="supervisor")
