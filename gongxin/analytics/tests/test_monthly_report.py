"""The monthly report on a Parquet snapshot (the code bench/ times at national scale) agrees
with the live engine, the brief's movers and the early warnings, and with figures worked
out by hand."""

from __future__ import annotations

from decimal import Decimal as D

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from gongxin.analytics import runners
from gongxin.analytics.backends import write_snapshot
from gongxin.analytics.facts import GROUPINGS
from gongxin.analytics.monthly_report import connection, monthly_report, plan
from gongxin.analytics.testing import build_reference_panel, code
from gongxin.enterprises.models import Enterprise, ScaleRecord
from gongxin.monitoring.brief import movers
from gongxin.monitoring.models import MonthlyStat
from gongxin.monitoring.warnings import early_warnings

Q = D("0.0001")
FIGURES = ("ytd", "prior_ytd", "yoy", "share", "contribution", "pull_points", "growth_face")


def quantised(value):
    return None if value is None else D(str(value)).quantize(Q)


def as_rows(rows) -> list[tuple]:
    return sorted(
        (str(r["group"]), r["enterprises"], *(quantised(r[k]) for k in FIGURES)) for r in rows
    )


def live_rows(by: str, period: str) -> list[tuple]:
    rows = runners.indicator_table(by, period)
    rows = [r for r in rows if r.group != "total"] if by != "total" else rows[-1:]
    return sorted(
        (r.group, r.enterprises, *(quantised(getattr(r, k)) for k in FIGURES)) for r in rows
    )


def to_hive(directory, out):
    """The snapshot rewritten as facts/period=YYYY-MM/data.parquet (one folder a month)."""
    facts = pq.read_table(directory / "facts.parquet")
    for period in sorted(set(facts.column("period").to_pylist())):
        folder = out / "facts" / f"period={period}"
        folder.mkdir(parents=True)
        month = facts.filter(pc.equal(facts.column("period"), period))
        pq.write_table(month.drop_columns(["period"]), folder / "data.parquet")
    (out / "groups.parquet").write_bytes((directory / "groups.parquet").read_bytes())
    return out


@pytest.fixture
def snapshot(db, tmp_path):
    from gongxin.enterprises.models import Cluster, ClusterMembership, Program, ProgramMembership

    build_reference_panel()
    cluster = Cluster.objects.create(name="芯屏")
    program = Program.objects.create(name="倍增企业", year=2024)
    for firm in Enterprise.objects.filter(industry_code__in=["3971", "4411"]):
        ClusterMembership.objects.create(cluster=cluster, enterprise=firm)
        ProgramMembership.objects.create(program=program, enterprise=firm)
    write_snapshot(tmp_path / "snap")
    return tmp_path / "snap"


def test_every_grouping_equals_the_live_engine_and_the_hand_figures(snapshot, tmp_path):
    report = monthly_report(snapshot, "2024-03")
    tables = report["indicators"]["output"]
    assert set(tables) == {"total", *GROUPINGS}
    for by in ("total", *GROUPINGS):
        assert as_rows(tables[by]) == live_rows(by, "2024-03"), by
    # by hand (testing.py): C 250 vs 240 → +4.1667%, Δ10 of Δ60 → contribution 16.6667%,
    # pull 10/520 → 1.9231 points; D 330 vs 280 → +17.8571%, 83.3333%, 9.6154 points
    section = {r["group"]: r for r in tables["section"]}
    assert quantised(section["C"]["yoy"]) == D("4.1667")
    assert quantised(section["C"]["pull_points"]) == D("1.9231")
    assert quantised(section["D"]["contribution"]) == D("83.3333")
    assert [r["group"] for r in tables["section"]] == ["D", "C"]  # YTD descending
    (total,) = tables["total"]
    assert (total["enterprises"], total["ytd"], total["prior_ytd"]) == (5, D(580), D(520))
    # the 芯屏 cluster (3971 + both 4411: 380 vs 320) against the whole register:
    # share 380/580 = 65.5172%, pull 60/520 = 11.5385 points
    (cluster,) = tables["cluster"]
    assert cluster["enterprises"] == 3
    assert quantised(cluster["share"]) == D("65.5172")
    assert quantised(cluster["pull_points"]) == D("11.5385")
    # a hive-partitioned snapshot gives the same report
    hive = to_hive(snapshot, tmp_path / "hive")
    assert monthly_report(hive, "2024-03") == report


def test_movers_rank_as_the_brief_does(snapshot):
    report = monthly_report(snapshot, "2024-03")
    names = dict(Enterprise.objects.values_list("pk", "name"))
    gainers, losers = movers("2024-03")
    assert [(names[e], d) for e, d in report["movers"]["gainers"]] == [
        (r["name"], r["delta"]) for r in gainers
    ]
    assert [(names[e], d) for e, d in report["movers"]["losers"]] == [
        (r["name"], r["delta"]) for r in losers
    ]
    # by hand: +50 (4411, 300 vs 250), +20 (1311), +10 (3971); −20 (2614); the 0 is neither
    assert [d for _, d in report["movers"]["gainers"]] == [D(50), D(20), D(10)]
    assert [d for _, d in report["movers"]["losers"]] == [D(-20)]


def firm(n, months, revenue=None):
    enterprise = Enterprise.objects.create(uscc=code(n), name=f"企业{n}", industry_code="1311")
    ScaleRecord.objects.create(enterprise=enterprise, year=2024, above_scale=True)
    for period, (cur, prior) in months.items():
        MonthlyStat.objects.create(
            enterprise=enterprise, period=period, output=cur, output_prior=prior,
            revenue=revenue if period == "2024-06" else None,
        )  # fmt: skip
    return enterprise


@pytest.mark.parametrize("balanced", [False, True])
def test_warnings_are_the_early_warnings(db, tmp_path, balanced):
    def months(june, earlier=None):
        if earlier is None:
            earlier = [june] * 3 if balanced else []
        return dict(zip(["2024-03", "2024-04", "2024-05", "2024-06"][-1 - len(earlier) :],
                        [*earlier, june], strict=True))  # fmt: skip

    firm(1, months((80, 100)), revenue=5000)  # −20% < −10%: decline
    # +12% → +9% → +6% → +2%: falling three months in a row
    firm(2, months((102, 100), [(112, 100), (109, 100), (106, 100)]), revenue=5000)
    firm(3, months((1000, 950)), revenue=900)  # 900 / 6 × 12 = 1800 < 2000: below scale
    firm(4, months((90, 100)), revenue=1000)  # exactly −10% and exactly 2000: neither
    firm(5, months((105, 100)), revenue=3000)
    write_snapshot(tmp_path / "snap")

    report = monthly_report(tmp_path / "snap", "2024-06")
    ((aligned,),) = connection().execute(plan(tmp_path / "snap", "2024-06", ("output",), 5,
                                             "-10", "2000").aligned).fetchall()  # fmt: skip
    assert aligned is balanced  # the positional join when the months line up, else by id
    ids = dict(Enterprise.objects.values_list("name", "pk"))
    found = {
        (enterprise_id, kind)
        for kind, columns in report["warnings"].items()
        for enterprise_id in columns["enterprise_id"]
    }
    assert found == {(w.enterprise_id, w.kind) for w in early_warnings("2024-06")}
    assert found == {(ids["企业1"], "decline"), (ids["企业2"], "falling"),
                     (ids["企业3"], "below_scale")}  # fmt: skip
    assert report["warnings"]["decline"]["yoy"] == [pytest.approx(-20)]
    assert report["warnings"]["falling"]["yoy_before"] == [pytest.approx(12)]
    assert report["warnings"]["falling"]["yoy"] == [pytest.approx(2)]
    assert report["warnings"]["below_scale"]["annual_revenue"] == [pytest.approx(1800)]
