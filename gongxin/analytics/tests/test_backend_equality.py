"""One suite, every backend: the engine's indicator SQL gives identical rows on the live
database (SQLite, or PostgreSQL when DATABASE_URL points at it — CI runs this module on
both), on DuckDB and on Spark SQL in local mode over the Parquet snapshot, for every
grouping and several measures of a reference dataset.

"Identical" is equal after quantising (DESIGN.md): money to the column's 4 decimals as
Decimal (SQLite sums decimals as floats), percentages to 1e-6 (Spark divides DECIMALs
keeping 21 decimals, the others divide in floating point).

The SQL each key query emits per dialect is kept under sql_snapshots/ as
<name>.<dialect>.sql and compared here, so a change to the engine's SQL shows as a diff
(pretty-printed: the same tree as `queries.to_sql` renders on one line).
After an intended change, rewrite them and review the diff:

    UPDATE_SQL_SNAPSHOTS=1 .venv/bin/pytest gongxin/analytics/tests/test_backend_equality.py -k sql_snapshot

Spark needs `pip install 'gongxin[spark]'` and Java 17; without them this module fails
(it never skips). One SparkSession serves the whole module.
"""

from __future__ import annotations

import os
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from django.db import connection

from gongxin.analytics import backends, facts, runners
from gongxin.analytics.queries import FactSource, indicators
from gongxin.analytics.testing import build_reference_panel, code

PERIOD = "2024-03"
GROUPINGS = (*facts.GROUPINGS, "total")
MEASURES = ("output", "revenue", "profit")
FIELDS = ("group", "enterprises", "ytd", "prior_ytd", "yoy", "share", "contribution",
          "pull_points", "growth_face")  # fmt: skip
MONEY = Decimal("0.0001")
PERCENT = Decimal("0.000001")
SNAPSHOTS = Path(__file__).parent / "sql_snapshots"
DIALECTS = ("sqlite", "postgres", "duckdb", "spark")


@pytest.fixture(scope="module")
def spark():
    """The process's local-mode SparkSession, started once for the module."""
    started = time.monotonic()
    session = backends.spark_session()
    # A few rows per query: planning dominates, so skip adaptive planning and codegen.
    session.conf.set("spark.sql.adaptive.enabled", "false")
    session.conf.set("spark.sql.shuffle.partitions", "1")
    session.conf.set("spark.sql.codegen.wholeStage", "false")
    session.sql("SELECT 1").collect()  # the first action pays the JVM's warm-up
    print(f"\nSpark local[2] session ready in {time.monotonic() - started:.1f} s")
    yield session
    backends.stop_spark()


def _firm_numbers():
    """Other measures for the reference firms, by enterprise name: (revenue, prior,
    profit, prior). Division D's revenue had no prior-year value (a zero denominator:
    NULL on every backend), profits change sign."""
    return {
        "企业1": (130, 110, 12, 10),
        "企业2": (70, 90, -5, 4),
        "企业3": (55, 50, 0, 0),
        "企业4": (310, 0, 20, -8),
        "企业5": (25, 0, 3, 3),
        "企业6": (140000, 125000, 9000, 8000),
        "企业7": (5200, 4800, 300, 350),
    }


@pytest.fixture
def reference(db, tmp_path, settings):
    """build_reference_panel() with two larger firms (size bands), other measures, and
    every grouping populated: towns, a zone, a cluster, a chain, programs of this and
    another year, honors of past and future years. Then the Parquet snapshot."""
    from gongxin.accounts.models import Unit
    from gongxin.enterprises.models import (
        Cluster,
        ClusterMembership,
        Enterprise,
        Honor,
        Program,
        ProgramMembership,
        ScaleRecord,
    )
    from gongxin.monitoring.models import MonthlyStat

    build_reference_panel(PERIOD)
    for n, industry, cur, prior in ((6, "2614", 150000, 120000), (7, "3971", 5000, 5200)):
        firm = Enterprise.objects.create(uscc=code(n), name=f"企业{n}", industry_code=industry)
        ScaleRecord.objects.create(enterprise=firm, year=2024, above_scale=True)
        MonthlyStat.objects.create(enterprise=firm, period=PERIOD, output=cur, output_prior=prior)
    for name, (rev, rev_prior, profit, profit_prior) in _firm_numbers().items():
        MonthlyStat.objects.filter(enterprise__name=name).update(
            revenue=rev, revenue_prior=rev_prior, profit=profit, profit_prior=profit_prior
        )
    firms = {f.name: f for f in Enterprise.objects.all()}

    east = Unit.objects.create(name="东城街道", kind="town")
    west = Unit.objects.create(name="西城镇", kind="town")
    zone = Unit.objects.create(name="高新区", kind="zone")
    for names, unit in (("企业1 企业2 企业4", east), ("企业3 企业7", west), ("企业5 企业6", zone)):
        Enterprise.objects.filter(name__in=names.split()).update(region=unit)

    cluster = Cluster.objects.create(name="芯屏集群", kind="cluster")
    chain = Cluster.objects.create(name="新能源汽车链", kind="chain")
    for names, group in (("企业3 企业4 企业6", cluster), ("企业1 企业4", chain)):
        for name in names.split():
            ClusterMembership.objects.create(cluster=group, enterprise=firms[name])
    doubling = Program.objects.create(name="倍增企业", year=2024)
    earlier = Program.objects.create(name="重点培育企业", year=2023)  # another year: no row
    for names, program in (("企业3 企业5 企业7", doubling), ("企业1", earlier)):
        for name in names.split():
            ProgramMembership.objects.create(program=program, enterprise=firms[name])
    for name, kind, year in (("企业1", "srdi", 2023), ("企业4", "high_tech", 2022),
                             ("企业6", "high_tech", 2024), ("企业2", "srdi", 2025)):  # fmt: skip
        Honor.objects.create(enterprise=firms[name], kind=kind, level="provincial", year=year)

    settings.VAR_DIR = tmp_path
    backends.write_snapshot(runners.snapshot_dir())


def _money(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(MONEY, ROUND_HALF_UP)


def _percent(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(PERCENT, ROUND_HALF_UP)


def normalised(rows: list[runners.IndicatorRow]) -> dict[str, tuple]:
    return {
        r.group: (
            r.enterprises,
            _money(r.ytd),
            _money(r.prior_ytd),
            *(_percent(getattr(r, name)) for name in FIELDS[4:]),
        )
        for r in rows
    }


def _live_name() -> str:
    return f"live ({connection.vendor})"


@pytest.mark.parametrize("measure", MEASURES)
@pytest.mark.parametrize("by", GROUPINGS)
def test_every_backend_gives_the_same_rows(reference, spark, by, measure):
    results = {
        name: normalised(runners.indicator_table(by, PERIOD, measure, backend=backend))
        for name, backend in ((_live_name(), "live"), ("duckdb", "duckdb"), ("spark", "spark"))
    }
    live = results[_live_name()]
    assert len(live) >= (1 if by == "total" else 2), live  # groups and the total row
    for name, rows in results.items():
        assert rows == live, f"{name} differs from {_live_name()} for {by}/{measure}"


def test_spark_rows_have_duckdbs_types(reference, spark):
    duck = runners._run("section", "revenue", PERIOD, "duckdb")
    sparks = runners._run("section", "revenue", PERIOD, "spark")
    assert [tuple(type(v) for v in row) for row in sorted(sparks)] == [
        tuple(type(v) for v in row) for row in sorted(duck)
    ]
    d = {row[0]: row for row in sparks}["D"]
    assert isinstance(d[2], Decimal) and d[4] is None  # D's revenue had no prior: yoy NULL


@pytest.fixture
def plain_panel(db, tmp_path, settings):
    build_reference_panel(PERIOD)
    settings.VAR_DIR = tmp_path
    backends.write_snapshot(runners.snapshot_dir())


@pytest.mark.parametrize("backend", ["live", "duckdb", "spark"])
def test_hand_computed_figures_on_every_backend(plain_panel, spark, backend):
    # As in test_live_indicators: C 250 vs 240, D 330 vs 280, total 580 vs 520 (万元).
    # C: yoy 250/240−1 = 4.166667%; share 250/580 = 43.103448%; Δ 10 of 60 → 16.666667%;
    #    pull 10/520 = 1.923077 points; growing 2 of 3 → 66.666667%
    # D: yoy 17.857143%; share 56.896552%; 83.333333%; 9.615385 points; growing 1 of 2
    rows = normalised(runners.indicator_table("section", PERIOD, backend=backend))
    P = _percent
    assert rows == {
        "C": (3, _money(250), _money(240), P("4.166667"), P("43.103448"), P("16.666667"),
              P("1.923077"), P("66.666667")),
        "D": (2, _money(330), _money(280), P("17.857143"), P("56.896552"), P("83.333333"),
              P("9.615385"), P("50")),
        "total": (5, _money(580), _money(520), P("11.538462"), P("100"), P("100"),
                  P("11.538462"), P("60")),
    }  # fmt: skip


def test_the_command_takes_the_spark_backend(plain_panel, spark):
    import io
    import json

    from django.core.management import call_command

    out = io.StringIO()
    call_command(
        "indicators", "--period", PERIOD, "--by", "section", "--backend", "spark", "--json",
        stdout=out,
    )  # fmt: skip
    rows = {r["group"]: r for r in json.loads(out.getvalue())}
    assert rows["C"]["name"] == "制造业" and rows["total"]["ytd"] == 580.0
    assert round(rows["D"]["yoy"], 4) == 17.8571


# Per-dialect SQL snapshots ------------------------------------------------------------


def _key_queries(dialect: str) -> dict[str, str]:
    """The key queries with fixed tables, period and paths, rendered for `dialect`."""
    from gongxin.enterprises.industries import section_ranges

    by_group = indicators(FactSource("facts"), PERIOD)
    against_population = indicators(FactSource("facts"), PERIOD, FactSource("population"))
    queries = {
        "indicators_by_group": by_group,
        "indicators_against_population": against_population,
    }
    if dialect in ("sqlite", "postgres"):
        ranges = section_ranges()
        queries["live_by_section"] = indicators(
            FactSource(facts.facts("section", "output", PERIOD, ranges)),
            PERIOD,
            FactSource(facts.facts("total", "output", PERIOD, ranges)),
        )
        queries["live_by_cluster"] = indicators(
            FactSource(facts.facts("cluster", "output", PERIOD, ranges)),
            PERIOD,
            FactSource(facts.facts("total", "output", PERIOD, ranges)),
        )
    else:
        snapshot = Path("/srv/gongxin/snapshot")
        for by in ("section", "cluster"):
            queries[f"snapshot_by_{by}"] = backends.snapshot_query(
                snapshot, by, "output", PERIOD, dialect
            )
    return {
        name: query.sql(dialect=dialect, identify=True, pretty=True) + "\n"
        for name, query in queries.items()
    }


@pytest.mark.parametrize("dialect", DIALECTS)
def test_sql_snapshot(dialect):
    update = os.environ.get("UPDATE_SQL_SNAPSHOTS") == "1"
    rendered = _key_queries(dialect)
    for name, sql in rendered.items():
        path = SNAPSHOTS / f"{name}.{dialect}.sql"
        if update:
            SNAPSHOTS.mkdir(exist_ok=True)
            path.write_text(sql, encoding="utf-8")
        assert path.exists(), f"{path.name} missing: run with UPDATE_SQL_SNAPSHOTS=1"
        assert path.read_text(encoding="utf-8") == sql, (
            f"the {dialect} SQL of {name} changed: review, then UPDATE_SQL_SNAPSHOTS=1"
        )
    kept = {p.name for p in SNAPSHOTS.glob(f"*.{dialect}.sql")}
    assert kept == {f"{name}.{dialect}.sql" for name in rendered}, "stale snapshot files"
