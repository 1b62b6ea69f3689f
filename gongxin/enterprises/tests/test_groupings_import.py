"""Importing clusters, chains and programs (集群/产业链/培育计划名单): memberships by
enterprise, the groupings created on first sight and audited, chain leaders, families,
errors by row and column in Chinese, all or nothing, re-import unchanged."""

from __future__ import annotations

import pytest

from gongxin.core.imports import services
from gongxin.core.imports.exceptions import ImportRefused
from gongxin.core.models import AuditEvent
from gongxin.core.testing import USCC_X, USCC_Y
from gongxin.enterprises.choices import ClusterKind
from gongxin.enterprises.models import (
    Cluster,
    ClusterMembership,
    Enterprise,
    Program,
    ProgramMembership,
)
from gongxin.enterprises.tests.test_registry_import import USCC_Z, xlsx

HEADER = ["统一社会信用代码", "企业名称", "类型", "名称", "年度", "是否链主", "所属板块"]
ROWS = [
    [USCC_X, "青岛甲机械有限公司", "产业集群", "船舶海工", "", "", "五大传统优势产业"],
    [USCC_Y, "青岛乙食品有限公司", "产业集群", "船舶海工", "", "", ""],
    [USCC_X, "青岛甲机械有限公司", "产业链", "海工装备产业链", "", "是", ""],
    [USCC_Y, "青岛乙食品有限公司", "培育计划", "倍增企业", 2024, "", ""],
    [USCC_X, "青岛甲机械有限公司", "培育计划", "倍增企业", "2024年", "", ""],
]


@pytest.fixture
def registry(db):
    x = Enterprise.objects.create(uscc=USCC_X, name="青岛甲机械有限公司")
    y = Enterprise.objects.create(uscc=USCC_Y, name="青岛乙食品有限公司")
    return x, y


def run(personas, rows, *, commit=True, user="analyst"):
    return services.run_import(
        "groupings", "集群名单.xlsx", xlsx(rows), user=personas[user], commit=commit
    )


def state():
    return (
        sorted(Cluster.objects.values_list("name", "kind", "family")),
        sorted(Program.objects.values_list("name", "year")),
        sorted(
            ClusterMembership.objects.values_list(
                "cluster__name", "enterprise__uscc", "is_chain_leader"
            )
        ),
        sorted(
            ProgramMembership.objects.values_list(
                "program__name", "program__year", "enterprise__uscc"
            )
        ),
        AuditEvent.objects.count(),
    )


def with_changes(changes):
    rows = [list(r) for r in ROWS]
    for (index, column), value in changes.items():
        rows[index][column] = value
    return [HEADER, *rows]


def test_memberships_are_created_with_their_new_groupings(personas, registry):
    result = run(personas, [HEADER, *ROWS])
    assert result["errors"] == []
    assert (result["rows"], result["created"], result["updated"]) == (5, 5, 0)
    clusters, programs, members, program_members, _ = state()
    assert clusters == [
        ("海工装备产业链", "chain", ""),
        ("船舶海工", "cluster", "五大传统优势产业"),  # the family from row 2 only
    ]
    assert programs == [("倍增企业", 2024)]
    assert set(members) == {
        ("船舶海工", USCC_X, False),
        ("船舶海工", USCC_Y, False),
        ("海工装备产业链", USCC_X, True),
    }
    assert set(program_members) == {("倍增企业", 2024, USCC_X), ("倍增企业", 2024, USCC_Y)}


def test_created_groupings_and_memberships_are_audited(personas, registry):
    run(personas, [HEADER, *ROWS])
    created = AuditEvent.objects.filter(action="cluster.create")
    assert sorted(created.values_list("object_repr", flat=True)) == ["海工装备产业链", "船舶海工"]
    assert created.get(object_repr="船舶海工").after == {
        "name": "船舶海工",
        "kind": "cluster",
        "family": "五大传统优势产业",
    }
    program = AuditEvent.objects.get(action="program.create")
    assert (program.object_repr, program.after) == (
        "2024年倍增企业",
        {"name": "倍增企业", "year": 2024},
    )
    assert program.reason.startswith("导入文件“集群名单.xlsx”")
    assert AuditEvent.objects.filter(action="cluster_member.create").count() == 3
    assert AuditEvent.objects.filter(action="program_member.create").count() == 2


def test_reimporting_the_same_file_changes_nothing(personas, registry):
    run(personas, [HEADER, *ROWS])
    before = state()
    result = run(personas, [HEADER, *ROWS])
    assert (result["created"], result["updated"], result["unchanged"]) == (0, 0, 5)
    assert state() == before


def test_a_known_cluster_takes_members_without_being_created_again(personas, registry):
    Cluster.objects.create(name="船舶海工", kind=ClusterKind.CLUSTER, family="五大传统优势产业")
    result = run(personas, [HEADER, *ROWS[:2]], commit=False)
    assert [c["after"]["new_group"] for c in result["changes"]] == [False, False]
    run(personas, [HEADER, *ROWS[:2]])
    assert Cluster.objects.count() == 1
    assert not AuditEvent.objects.filter(action__in=["cluster.create", "cluster.update"]).exists()


def test_a_chain_leader_flag_and_a_family_are_updated_and_blanks_keep_them(personas, registry):
    run(personas, [HEADER, *ROWS])
    rows = with_changes({(2, 5): "否", (1, 6): "传统优势产业", (0, 6): ""})
    result = run(personas, rows)
    assert result["errors"] == []
    # row 3 names the cluster's new family, row 4 the leader flag; row 2's blank keeps it
    assert (result["created"], result["updated"], result["unchanged"]) == (0, 2, 3)
    assert Cluster.objects.get(name="船舶海工").family == "传统优势产业"
    assert not ClusterMembership.objects.get(cluster__name="海工装备产业链").is_chain_leader
    family = AuditEvent.objects.get(action="cluster.update")  # once for the cluster
    assert (family.before, family.after) == (
        {"family": "五大传统优势产业"},
        {"family": "传统优势产业"},
    )
    leader = AuditEvent.objects.get(action="cluster_member.update")
    assert (leader.before, leader.after) == ({"is_chain_leader": True}, {"is_chain_leader": False})
    # a blank 是否链主 leaves the flag as it is
    rows = with_changes({(2, 5): "", (1, 6): "传统优势产业", (0, 6): ""})
    assert run(personas, rows)["unchanged"] == 5


def test_a_program_of_another_year_is_another_program(personas, registry):
    run(personas, [HEADER, *ROWS])
    result = run(personas, with_changes({(3, 4): 2025, (4, 4): "2025"}))
    assert (result["created"], result["unchanged"]) == (2, 3)
    assert sorted(Program.objects.values_list("year", flat=True)) == [2024, 2025]


@pytest.mark.parametrize(
    ("changes", "row", "column", "message"),
    [
        (
            {(1, 0): "9137021116357890"},
            3,
            "统一社会信用代码",
            "统一社会信用代码应为18位，实际为16位。",
        ),
        (
            {(1, 0): USCC_Z},
            3,
            "统一社会信用代码",
            f"企业库中没有统一社会信用代码为“{USCC_Z}”的企业，请先导入企业名录。",
        ),
        (
            {(0, 2): "开发区"},
            2,
            "类型",
            "类型“开发区”无法识别，请填产业集群、产业链或培育计划。",
        ),
        ({(3, 4): ""}, 5, "年度", "培育计划按年度区分，须填写“年度”。"),
        ({(3, 4): "二〇二四"}, 5, "年度", "年度“二〇二四”不正确，应为四位年份，如 2024。"),
        ({(3, 5): "是"}, 5, "是否链主", "培育计划没有链主，“是否链主”应留空。"),
        ({(2, 5): "也许"}, 4, "是否链主", "“也许”无法识别，请填“是”或“否”。"),
        (
            {(3, 6): "五大传统优势产业"},
            5,
            "所属板块",
            "“所属板块”只用于产业集群和产业链，培育计划应留空。",
        ),
        (
            {(1, 2): "产业链"},
            3,
            "类型",
            "“船舶海工”在第 2 行是产业集群，这里是产业链，请统一。",
        ),
        (
            {(1, 6): "三大战略新兴产业"},
            3,
            "所属板块",
            "“船舶海工”在第 2 行的所属板块是“五大传统优势产业”，这里是“三大战略新兴产业”，请统一。",
        ),
        ({(2, 3): ""}, 4, "名称", "“名称”不能为空。"),
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


def test_a_cluster_registered_as_another_kind_is_an_error(personas, registry):
    Cluster.objects.create(name="船舶海工", kind=ClusterKind.CHAIN)
    before = state()
    result = run(personas, [HEADER, *ROWS])
    assert result["errors"][0] == {
        "row": 2,
        "column": "类型",
        "message": "“船舶海工”已登记为产业链，不是产业集群。",
    }
    assert state() == before


def test_a_duplicate_row_is_an_error(personas, registry):
    # 产业集群 and 产业链 of one name are one grouping: the same enterprise twice.
    rows = [HEADER, ROWS[0], [USCC_X, "", "集群", "船舶 海工", "2024", "", ""]]
    result = run(personas, rows)
    assert result["errors"] == [
        {"row": 3, "column": "统一社会信用代码", "message": "与第 2 行重复。"}
    ]
    assert Cluster.objects.count() == 0


def test_a_preview_then_commit_writes_what_it_showed(personas, registry):
    from gongxin.core.imports.services import commit, preview, store_file

    data = xlsx([HEADER, *ROWS])
    stored = store_file(personas["analyst"], "集群名单.xlsx", data)
    shown = preview(personas["analyst"], stored, "groupings")
    assert shown.result["created"] == 5 and not state()[0]  # the preview wrote nothing
    result = commit(personas["analyst"], shown)
    assert result["created"] == 5
    assert len(state()[2]) == 3


def test_only_the_analyst_may_import_groupings(personas, registry):
    with pytest.raises(ImportRefused):
        run(personas, [HEADER, *ROWS], user="leader")
