"""Backends beside the live database: a Parquet snapshot laid out by period that DuckDB
(`run_duckdb`) or Spark SQL in local mode (`run_spark`, optional extra `gongxin[spark]`)
queries with the same indicator SQL tree, transpiled by sqlglot.

`write_snapshot(directory)` writes two files:
  facts.parquet   one row per enterprise and month of the year's above-scale register:
                  period, enterprise_id, section, division, town, zone and every measure
                  with its prior-year value — sorted by period, so a month's rows are
                  contiguous and DuckDB reads little more than the month it needs;
  groups.parquet  (enterprise_id, year, grouping, group_key) for the overlapping
                  groupings: cluster, chain, program, honor.
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import tempfile
import threading
import warnings
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from sqlglot import exp

from gongxin.analytics import facts as live_facts
from gongxin.analytics.queries import FactSource, indicators, to_sql

OVERLAPPING = ("cluster", "chain", "program", "honor")


def write_snapshot(directory: Path) -> dict[str, int]:
    from django.db.models import Min

    from gongxin.accounts.models import Unit
    from gongxin.enterprises import industries
    from gongxin.enterprises.models import (
        ClusterMembership,
        Enterprise,
        Honor,
        ProgramMembership,
        ScaleRecord,
    )
    from gongxin.monitoring.models import VALUE_FIELDS, MonthlyStat

    directory.mkdir(parents=True, exist_ok=True)
    register = set(
        ScaleRecord.objects.filter(above_scale=True).values_list("enterprise_id", "year")
    )
    kinds = dict(Unit.objects.values_list("pk", "kind"))
    firms = {
        pk: (code, region)
        for pk, code, region in Enterprise.objects.values_list("pk", "industry_code", "region_id")
    }
    columns: dict[str, list] = {
        name: []
        for name in (
            "period",
            "enterprise_id",
            "section",
            "division",
            "town",
            "zone",
            *VALUE_FIELDS,
        )
    }
    rows = MonthlyStat.objects.order_by("period", "enterprise_id").values_list(
        "period", "enterprise_id", *VALUE_FIELDS
    )
    for period, enterprise_id, *values in rows.iterator(chunk_size=5000):
        if (enterprise_id, int(period[:4])) not in register:
            continue
        code, region = firms[enterprise_id]
        columns["period"].append(period)
        columns["enterprise_id"].append(enterprise_id)
        columns["section"].append(industries.section_of(code) if code else "?")
        columns["division"].append(code[:2] if code else "?")
        columns["town"].append(str(region) if region and kinds.get(region) == "town" else None)
        columns["zone"].append(str(region) if region and kinds.get(region) == "zone" else None)
        for name, value in zip(VALUE_FIELDS, values, strict=True):
            columns[name].append(value)
    decimal = pa.decimal128(18, 4)
    schema = pa.schema([("period", pa.string()), ("enterprise_id", pa.int64()), ("section", pa.string()),
                        ("division", pa.string()), ("town", pa.string()), ("zone", pa.string()),
                        *((name, decimal) for name in VALUE_FIELDS)])  # fmt: skip
    _write_by_period(pa.table(columns, schema=schema), directory / "facts.parquet")

    groups: dict[str, list] = {"enterprise_id": [], "year": [], "grouping": [], "group_key": []}

    def add(enterprise_id, year, grouping, key):
        groups["enterprise_id"].append(enterprise_id)
        groups["year"].append(year)
        groups["grouping"].append(grouping)
        groups["group_key"].append(str(key))

    years = sorted({year for _, year in register})
    for m in ClusterMembership.objects.values("enterprise_id", "cluster_id", "cluster__kind"):
        for year in years:
            add(m["enterprise_id"], year, m["cluster__kind"], m["cluster_id"])
    for m in ProgramMembership.objects.values("enterprise_id", "program_id", "program__year"):
        add(m["enterprise_id"], m["program__year"], "program", m["program_id"])
    # once per enterprise and title, from the first year it held the title at any level
    first_held = Honor.objects.values("enterprise_id", "kind").annotate(first=Min("year"))
    for h in first_held:
        for year in years:
            if h["first"] <= year:
                add(h["enterprise_id"], year, "honor", h["kind"])
    schema = pa.schema([("enterprise_id", pa.int64()), ("year", pa.int64()), ("grouping", pa.string()),
                        ("group_key", pa.string())])  # fmt: skip
    pq.write_table(pa.table(groups, schema=schema), directory / "groups.parquet")
    return {"facts": len(columns["period"]), "groups": len(groups["group_key"])}


def _write_by_period(table: pa.Table, path: Path) -> None:
    """Rows already sorted by period, written so that no row group spans two months and
    decimals are stored as integers: DuckDB then skips every other month by its row-group
    statistics and decodes less (bench/RESULTS.md, "Layout finding")."""
    periods = table.column("period").to_pylist()
    with pq.ParquetWriter(path, table.schema, store_decimal_as_integer=True) as writer:
        start = 0
        while start < len(periods):
            end = start
            while end < len(periods) and periods[end] == periods[start]:
                end += 1
            writer.write_table(table.slice(start, end - start), row_group_size=200_000)
            start = end


def _parquet(path: Path, alias: str, dialect: str = "duckdb") -> exp.Table:
    """The Parquet file as a table named `alias`; the path enters as an AST node.

    DuckDB: read_parquet('<path>') AS alias. Spark: parquet.`<path>` AS alias — a table
    in the `parquet` data-source namespace whose name is the path, a quoted identifier
    (sqlglot's own read_parquet → Spark rendering does not escape backticks)."""
    alias_node = exp.TableAlias(this=exp.to_identifier(alias))
    if dialect == "spark":
        return exp.Table(
            this=exp.to_identifier(str(path), quoted=True),
            db=exp.to_identifier("parquet"),
            alias=alias_node,
        )
    return exp.Table(this=exp.func("read_parquet", exp.Literal.string(str(path))), alias=alias_node)


def _snapshot_facts(
    directory: Path, by: str, measure: str, period: str, dialect: str = "duckdb"
) -> exp.Select:
    f = "f"
    base = exp.select(
        exp.alias_(exp.column("period", f), "period"),
        exp.alias_(exp.column(measure, f), "current"),
        exp.alias_(exp.column(f"{measure}_prior", f), "prior"),
    ).from_(_parquet(directory / "facts.parquet", f, dialect))
    base = base.where(exp.EQ(this=exp.column("period", f), expression=exp.Literal.string(period)))
    if by == "total":
        return base.select(exp.alias_(exp.Literal.string("total"), "group_key"))
    if by in ("section", "division", "town", "zone"):
        query = base.select(exp.alias_(exp.column(by, f), "group_key"))
        return (
            query
            if by in ("section", "division")
            else query.where(exp.column(by, f).is_(exp.null()).not_())
        )
    if by == "size_band":
        case = exp.Case()
        for key, lower, _ in live_facts.SIZE_BANDS:
            case = case.when(
                exp.GTE(
                    this=exp.Coalesce(
                        this=exp.column("output", f), expressions=[exp.Literal.number(0)]
                    ),
                    expression=exp.Literal.number(lower),
                ),
                exp.Literal.string(key),
            )
        return base.select(exp.alias_(case, "group_key"))
    g = "g"
    return base.select(exp.alias_(exp.column("group_key", g), "group_key")).join(
        _parquet(directory / "groups.parquet", g, dialect),
        on=exp.and_(
            exp.EQ(this=exp.column("enterprise_id", g), expression=exp.column("enterprise_id", f)),
            exp.EQ(this=exp.column("year", g), expression=exp.Literal.number(int(period[:4]))),
            exp.EQ(this=exp.column("grouping", g), expression=exp.Literal.string(by)),
        ),
    )  # fmt: skip


def snapshot_query(directory: Path, by: str, measure: str, period: str, dialect: str) -> exp.Select:
    """The indicator query over the snapshot, with the Parquet files named for `dialect`."""
    population = FactSource(_snapshot_facts(directory, "total", measure, period, dialect))
    return indicators(
        FactSource(_snapshot_facts(directory, by, measure, period, dialect)), period, population
    )


def run_duckdb(directory: Path, by: str, measure: str, period: str) -> list[tuple]:
    query = snapshot_query(directory, by, measure, period, "duckdb")
    with duckdb.connect() as con:
        return con.sql(to_sql(query, "duckdb")).fetchall()


# Spark SQL (local mode) ---------------------------------------------------------------


class BackendUnavailable(RuntimeError):
    """A backend's prerequisite (a Python package, a Java runtime) is not installed."""


SPARK_MISSING = "未安装 Spark 后端：pip install 'gongxin[spark]'"
JAVA_MISSING = "Spark 后端需要 Java 17 运行环境（Debian：apt-get install openjdk-17-jre-headless）"
# Columns of the indicator rows that are percentages: Spark computes them as DECIMAL,
# DuckDB and the live databases as floating point; the rows carry floats, like DuckDB's.
_PERCENT_COLUMNS = range(4, 9)  # yoy, share, contribution, pull_points, growth_face

# Errors only, on stderr (Spark's default profile warns about the platform). Spark's own
# logger is configured too: Spark announces "Setting default log level" unless the level
# its logger has equals the root's.
_LOG4J2 = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = stderr
appender.stderr.type = Console
appender.stderr.name = stderr
appender.stderr.target = SYSTEM_ERR
appender.stderr.layout.type = PatternLayout
appender.stderr.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n
logger.spark.name = org.apache.spark
logger.spark.level = error
"""

_spark_lock = threading.Lock()
_spark_session: Any = None


def spark_session() -> Any:
    """The process's local-mode SparkSession (local[2]), created on first use and reused:
    no web UI, bound to the loopback interface, quiet logging, Spark 4's default ANSI
    mode (the engine's SQL guards every division with NULLIF)."""
    global _spark_session
    with _spark_lock:
        if _spark_session is not None:
            return _spark_session
        try:
            from pyspark.sql import SparkSession
        except ImportError as error:
            raise BackendUnavailable(SPARK_MISSING) from error
        with warnings.catch_warnings():
            # PySpark checks the pandas version on its first call into Java and warns
            # about pandas 3 (installed here for other uses); the engine passes no pandas
            # objects. Importing the module that checks, once, keeps the warning out.
            warnings.filterwarnings(
                "ignore", "PySpark does not yet fully support pandas", FutureWarning
            )
            import pyspark.testing.utils  # noqa: F401
        if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
            raise BackendUnavailable(JAVA_MISSING)
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        scratch = Path(tempfile.mkdtemp(prefix="gongxin-spark-"))
        atexit.register(shutil.rmtree, scratch, ignore_errors=True)
        log_config = scratch / "log4j2.properties"
        log_config.write_text(_LOG4J2, encoding="utf-8")
        session = (
            SparkSession.builder.master("local[2]")
            .appName("gongxin")
            .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={log_config}")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.sql.warehouse.dir", str(scratch / "warehouse"))
            .config("spark.sql.session.timeZone", "UTC")
            # DECIMAL ÷ DECIMAL keeps 21 decimals instead of rounding the ratio to ~7,
            # so percentages agree with DuckDB's and PostgreSQL's (17 integer digits left)
            .config("spark.sql.decimalOperations.allowPrecisionLoss", "false")
            .getOrCreate()
        )
        session.sparkContext.setLogLevel("ERROR")
        # py4j logs each connection it closes at INFO, down to interpreter shutdown when
        # the handlers' streams may already be closed.
        logging.getLogger("py4j").setLevel(logging.WARNING)
        _spark_session = session
        return session


def stop_spark() -> None:
    """Stop the process's SparkSession, if one was started (tests; long-lived workers)."""
    global _spark_session
    with _spark_lock:
        if _spark_session is not None:
            _spark_session.stop()
            _spark_session = None


def _spark_row(row: Any) -> tuple:
    values = tuple(row)
    return tuple(
        float(v) if i in _PERCENT_COLUMNS and isinstance(v, Decimal) else v
        for i, v in enumerate(values)
    )


def run_spark(directory: Path, by: str, measure: str, period: str) -> list[tuple]:
    """The same indicator SQL as `run_duckdb`, as Spark SQL over the same snapshot."""
    query = snapshot_query(directory, by, measure, period, "spark")
    rows = spark_session().sql(to_sql(query, "spark")).collect()
    return [_spark_row(row) for row in rows]
