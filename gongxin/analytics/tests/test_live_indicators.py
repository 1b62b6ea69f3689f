"""The engine over the live tables (register, monthly statistics), with the analyst's
view and the suppressed view of other roles."""

from __future__ import annotations

import io
import json
from decimal import Decimal as D

import pytest
from django.core.management import call_command

from gongxin.analytics import runners
from gongxin.analytics.testing import build_reference_panel
from gongxin.enterprises.models import Enterprise


@pytest.fixture
def panel(db):
    build_reference_panel()


def as_dict(rows):
    q = D("0.0001")
    return {
        r.group: (
            r.enterprises,
            D(str(r.ytd)),
            D(str(r.yoy)).quantize(q),
            D(str(r.contribution)).quantize(q),
            D(str(r.pull_points)).quantize(q),
        )
        for r in rows
    }


def test_by_section_on_the_register_of_the_year(panel):
    rows = runners.indicator_table("section", "2024-03")
    # C: yoy 250/240−1 = 4.1667%; Δ 10 of 60 → 16.6667%; pull 10/520 = 1.9231 points
    # D: yoy 330/280−1 = 17.8571%; 83.3333%; 9.6154 points; total 580/520−1 = 11.5385%
    assert as_dict(rows) == {
        "D": (2, D("330"), D("17.8571"), D("83.3333"), D("9.6154")),
        "C": (3, D("250"), D("4.1667"), D("16.6667"), D("1.9231")),
        "total": (5, D("580"), D("11.5385"), D("100.0000"), D("11.5385")),
    }
    assert {r.group: r.name for r in rows}["C"] == "制造业"


def test_other_roles_see_small_cells_suppressed(panel):
    rows = {r.group: r for r in runners.indicator_table("section", "2024-03", suppress=True)}
    # D has 2 firms → hidden; C would then be revealed by total − D → hidden too
    assert rows["D"].suppressed and rows["C"].suppressed
    assert rows["D"].as_json()["ytd"] is None
    assert not rows["total"].suppressed and rows["total"].as_json()["ytd"] == 580.0


def test_the_command_prints_the_documented_shape(panel):
    out = io.StringIO()
    call_command("indicators", "--period", "2024-03", "--by", "division", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert set(rows[0]) == {
        "group",
        "name",
        "enterprises",
        "ytd",
        "prior_ytd",
        "yoy",
        "share",
        "contribution",
        "pull_points",
        "growth_face",
        "suppressed",
    }
    by_group = {r["group"]: r for r in rows}
    assert by_group["44"]["name"] == "电力、热力生产和供应业"
    assert by_group["total"]["enterprises"] == 5


@pytest.mark.parametrize("by", ["section", "division", "size_band", "cluster", "program"])
def test_duckdb_over_the_snapshot_agrees_with_the_live_database(panel, tmp_path, settings, by):
    from gongxin.enterprises.models import Cluster, ClusterMembership, Program, ProgramMembership

    cluster = Cluster.objects.create(name="芯屏")
    program = Program.objects.create(name="倍增企业", year=2024)
    for firm in Enterprise.objects.filter(industry_code__in=["3971", "4411"]):
        ClusterMembership.objects.create(cluster=cluster, enterprise=firm)
        ProgramMembership.objects.create(program=program, enterprise=firm)
    settings.VAR_DIR = tmp_path
    call_command("snapshot", stdout=io.StringIO())
    live = runners.indicator_table(by, "2024-03")
    snap = runners.indicator_table(by, "2024-03", backend="duckdb")
    q = D("0.0001")

    def norm(rows):
        return sorted(
            (
                r.group,
                r.enterprises,
                *(
                    None if v is None else D(str(v)).quantize(q)
                    for v in (
                        r.ytd,
                        r.prior_ytd,
                        r.yoy,
                        r.share,
                        r.contribution,
                        r.pull_points,
                        r.growth_face,
                    )
                ),
            )
            for r in rows
        )

    assert norm(live) == norm(snap)
    assert len(live) > 1


def test_overlapping_groups_are_measured_against_the_whole_register(panel):
    from gongxin.enterprises.models import Program, ProgramMembership

    program = Program.objects.create(name="倍增企业", year=2024)
    for firm in Enterprise.objects.filter(industry_code="4411"):
        ProgramMembership.objects.create(program=program, enterprise=firm)
    row = runners.indicator_table("program", "2024-03")[0]
    # 倍增: 330 vs 280 → share 330/580 = 56.8966%; pull 50/520 = 9.6154 points (not its own
    # growth 17.8571, which a sum over the program's rows alone would give)
    assert D(str(row.share)).quantize(D("0.0001")) == D("56.8966")
    assert D(str(row.pull_points)).quantize(D("0.0001")) == D("9.6154")
    assert D(str(row.contribution)).quantize(D("0.0001")) == D("83.3333")


def test_a_title_held_at_two_levels_counts_the_enterprise_once(panel, tmp_path, settings):
    from gongxin.enterprises.models import Honor

    one = Enterprise.objects.get(name="企业1")  # 120 vs 100
    two = Enterprise.objects.get(name="企业2")  # 80 vs 100
    Honor.objects.create(enterprise=one, kind="high_tech", level="municipal", year=2022)
    Honor.objects.create(enterprise=one, kind="high_tech", level="national", year=2024)
    Honor.objects.create(enterprise=two, kind="high_tech", level="national", year=2023)
    Honor.objects.create(enterprise=two, kind="high_tech", level="national", year=2025)  # later
    settings.VAR_DIR = tmp_path
    call_command("snapshot", stdout=io.StringIO())
    for backend in ("live", "duckdb"):
        (row,) = [
            r
            for r in runners.indicator_table("honor", "2024-03", backend=backend)
            if r.group == "high_tech"
        ]
        # 企业1 once (two levels), 企业2 once: 200 vs 200
        assert (row.enterprises, D(str(row.ytd)), D(str(row.prior_ytd))) == (
            2,
            D("200"),
            D("200"),
        ), backend
