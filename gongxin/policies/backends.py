"""Policy matching beside the live database: the same compiled clause (one sqlglot tree,
`compiler.compile_clause`) run by DuckDB or by Spark SQL (local mode) over a Parquet
matching snapshot, and shaped into the same `services.Result` objects.

`write_snapshot(directory)` writes one Parquet file per table the compiler reads, named
like the Django table and holding only the columns the compiler can read:

  enterprises_enterprise.parquet        id, uscc, name, is_active and the registry columns
                                        of `features.SOURCES` (industry_code, region_id, …)
  enterprises_enterprisefigure.parquet  enterprise_id, feature, period, provenance, value —
                                        sorted by (feature, period, provenance), so a
                                        clause's figure reads only its row groups
  enterprises_scalerecord.parquet       enterprise_id, year, above_scale
  enterprises_honor.parquet             enterprise_id, kind, year
  evaluation_enterpriseclass.parquet    enterprise_id, year, klass (published 亩产效益 classes)
  monitoring_monthlystat.parquet        enterprise_id, period and the survey columns of
                                        `features.SOURCES`, released periods only (the
                                        compiler reads the latest released month)

A backend exposes each file as a view (DuckDB) or temp view (Spark) with the table's name,
so the compiled trees render unchanged with dialect "duckdb" or "spark". A run first loads
its feature table (`feature_table.FeatureTable`: the joins of every clause, done once) as a
table (DuckDB) or a cached temp view (Spark); each clause is then one scan of it. Money stays
DECIMAL(18, 4) as in the live tables; the rows are shaped by the same function as the live
backend's (`services._result`), so a clause gives identical Result objects everywhere.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from sqlglot import exp

from gongxin.policies.feature_table import NAME as FEATURES
from gongxin.policies.feature_table import FeatureTable

BACKENDS = ("live", "duckdb", "spark")
MONEY = pa.decimal128(18, 4)


@dataclass(frozen=True)
class Table:
    name: str
    schema: pa.Schema
    sort: tuple[str, ...]


def _registry_columns() -> list[tuple[str, pa.DataType]]:
    from gongxin.policies import features

    types = {"industry_code": pa.string(), "region_id": pa.int64(), "land_mu": pa.decimal128(12, 2)}
    names = sorted({s.args[0] for s in features.SOURCES.values() if s.kind == "registry"})
    return [(name, types.get(name, pa.string())) for name in names]


def survey_columns() -> list[str]:
    from gongxin.policies import features

    return sorted(code for code, s in features.SOURCES.items() if s.kind == "survey")


def tables() -> dict[str, Table]:
    """The matching snapshot's tables: name → (schema, sort order)."""
    found = [
        Table(
            "enterprises_enterprise",
            pa.schema([("id", pa.int64()), ("uscc", pa.string()), ("name", pa.string()),
                       ("is_active", pa.bool_()), *_registry_columns()]),
            ("id",),
        ),
        Table(
            "enterprises_enterprisefigure",
            pa.schema([("enterprise_id", pa.int64()), ("feature", pa.string()),
                       ("period", pa.string()), ("provenance", pa.string()), ("value", MONEY)]),
            ("feature", "period", "provenance", "enterprise_id"),
        ),
        Table(
            "enterprises_scalerecord",
            pa.schema([("enterprise_id", pa.int64()), ("year", pa.int64()),
                       ("above_scale", pa.bool_())]),
            ("year", "enterprise_id"),
        ),
        Table(
            "evaluation_enterpriseclass",
            pa.schema([("enterprise_id", pa.int64()), ("year", pa.int64()), ("klass", pa.string())]),
            ("year", "enterprise_id"),
        ),
        Table(
            "enterprises_honor",
            pa.schema([("enterprise_id", pa.int64()), ("kind", pa.string()), ("year", pa.int64())]),
            ("enterprise_id", "kind"),
        ),
        Table(
            "monitoring_monthlystat",
            pa.schema([("enterprise_id", pa.int64()), ("period", pa.string()),
                       *((name, MONEY) for name in survey_columns())]),
            ("period", "enterprise_id"),
        ),
    ]  # fmt: skip
    return {t.name: t for t in found}


def default_directory() -> Path:
    from django.conf import settings

    return Path(settings.VAR_DIR) / "policy-snapshot"


def write_table(directory: Path, table: Table, columns: dict[str, Any]) -> int:
    """One table of the snapshot from column arrays (lists, numpy or Arrow), sorted and
    written atomically (a reader never sees half a file)."""
    data = pa.table({name: columns[name] for name in table.schema.names}, schema=table.schema)
    if table.sort and data.num_rows:
        data = data.sort_by([(name, "ascending") for name in table.sort])
    directory.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{table.name}.", suffix=".tmp")
    os.close(handle)
    os.chmod(temporary, 0o644)
    try:
        pq.write_table(data, temporary, row_group_size=122_880)
        os.replace(temporary, directory / f"{table.name}.parquet")
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return data.num_rows


def _rows(queryset, names: Iterable[str]) -> dict[str, list]:
    names = list(names)
    columns: dict[str, list] = {name: [] for name in names}
    for row in queryset.values_list(*names).iterator(chunk_size=5000):
        for name, value in zip(names, row, strict=True):
            columns[name].append(value)
    return columns


def write_snapshot(directory: Path | None = None) -> dict[str, int]:
    """The live database's matching tables as Parquet under `directory` (default
    VAR_DIR/policy-snapshot); returns the row count of each table."""
    from gongxin.enterprises.models import Enterprise, EnterpriseFigure, Honor, ScaleRecord
    from gongxin.evaluation.models import EnterpriseClass
    from gongxin.monitoring.models import MonthlyStat, PeriodRelease

    directory = directory or default_directory()
    spec = tables()
    released = PeriodRelease.objects.values_list("period", flat=True)
    sources = {
        "enterprises_enterprise": Enterprise.objects.all(),
        "enterprises_enterprisefigure": EnterpriseFigure.objects.all(),
        "enterprises_scalerecord": ScaleRecord.objects.all(),
        "enterprises_honor": Honor.objects.all(),
        "evaluation_enterpriseclass": EnterpriseClass.objects.all(),
        "monitoring_monthlystat": MonthlyStat.objects.filter(period__in=released),
    }
    return {
        name: write_table(directory, spec[name], _rows(sources[name], spec[name].schema.names))
        for name in spec
    }


# --- running a compiled clause ----------------------------------------------------------


class DuckDBRunner:
    """A private DuckDB database whose views (or, with `in_memory`, tables loaded once) carry
    the Django tables' names over the snapshot's files. Calls are serialised."""

    dialect = "duckdb"

    def __init__(self, directory: Path, *, in_memory: bool = False, threads: int | None = None):
        self.con = duckdb.connect(config={"threads": threads} if threads else {})
        self._lock = threading.Lock()
        for name in tables():
            relation = self.con.read_parquet(str(Path(directory) / f"{name}.parquet"))
            if in_memory:
                relation.create(name)
            else:
                relation.create_view(name)

    def sql(self, query: exp.Select) -> str:
        return query.sql(dialect=self.dialect, identify=True)

    def load(self, table: FeatureTable) -> None:
        """The run's feature table, materialised once (replacing the previous run's)."""
        with self._lock:
            self.con.execute(f"DROP TABLE IF EXISTS {FEATURES}")
            # in enterprise order, so each clause's matches come out (almost) sorted
            self.con.sql(self.sql(table.query())).order("enterprise_id").create(FEATURES)

    def arrow(self, query: exp.Select) -> pa.Table:
        """The rows as an Arrow table (the structured explanation columns, not shaped)."""
        with self._lock:
            return self.con.sql(self.sql(query)).to_arrow_table()

    def __call__(self, query: exp.Select) -> list[dict]:
        with self._lock:
            result = self.con.sql(self.sql(query))
            names = result.columns
            return [_plain(dict(zip(names, row, strict=True))) for row in result.fetchall()]

    def close(self) -> None:
        self.con.close()


class SparkRunner:
    """Spark SQL in local mode (the process's session from gongxin.analytics.backends)
    over the snapshot's files as temp views with the Django tables' names. Temp views
    belong to the session: a runner registers them again before each query."""

    dialect = "spark"

    def __init__(self, directory: Path, session: Any = None):
        from gongxin.analytics.backends import spark_session

        self.directory = Path(directory)
        self.session = session or spark_session()
        self.frames = {
            name: self.session.read.parquet(str(self.directory / f"{name}.parquet"))
            for name in tables()
        }

    def sql(self, query: exp.Select) -> str:
        return query.sql(dialect=self.dialect, identify=True)

    def _register(self) -> None:
        for name, frame in self.frames.items():
            frame.createOrReplaceTempView(name)

    def load(self, table: FeatureTable) -> None:
        """The run's feature table as a cached temp view (computed once, at first use)."""
        if FEATURES in self.frames:
            self.frames.pop(FEATURES).unpersist()
        self._register()
        self.frames[FEATURES] = self.session.sql(self.sql(table.query())).cache()

    def __call__(self, query: exp.Select) -> list[dict]:
        self._register()
        return [_plain(row.asDict()) for row in self.session.sql(self.sql(query)).collect()]

    def close(self) -> None:
        if FEATURES in self.frames:
            self.frames[FEATURES].unpersist()
        for name in self.frames:
            self.session.catalog.dropTempView(name)


def runner(backend: str, directory: Path | None = None) -> Any:
    from gongxin.policies.services import LiveRunner

    if backend == "live":
        return LiveRunner()
    if backend == "duckdb":
        return DuckDBRunner(directory or default_directory())
    if backend == "spark":
        return SparkRunner(directory or default_directory())
    raise ValueError(f"未知的计算后端“{backend}”，应为：{'、'.join(BACKENDS)}。")


def _plain(row: dict) -> dict:
    """A backend's row with the live backend's Python types: integers for the flags and
    ids (Spark and DuckDB give int; a DECIMAL(x, 0) would come back as Decimal)."""
    out = {}
    for name, value in row.items():
        if isinstance(value, Decimal) and (
            name[:2] in ("p_", "n_", "x_") or name in ("eligible", "near_miss", "enterprise_id")
        ):
            value = int(value)
        out[name] = value
    return out


def match(
    as_of: date,
    policy_code: str | None = None,
    *,
    all_rows: bool = False,
    backend: str = "duckdb",
    directory: Path | None = None,
    refresh: bool = True,
) -> list:
    """services.match on `backend`. For duckdb and spark the snapshot in `directory`
    (default VAR_DIR/policy-snapshot) is first rewritten from the live database unless
    `refresh` is false (a snapshot written elsewhere, e.g. the benchmark's)."""
    from gongxin.core.errors import ServiceError
    from gongxin.policies import services

    if backend not in BACKENDS:
        raise ServiceError(f"未知的计算后端“{backend}”，应为：{'、'.join(BACKENDS)}。")
    clauses = list(services.clauses_in_force(as_of, policy_code))
    if policy_code and not clauses:
        raise ServiceError(f"政策“{policy_code}”不存在或在{as_of:%Y-%m-%d}不在有效期内。")
    if backend != "live" and refresh:
        write_snapshot(directory or default_directory())
    run = runner(backend, directory)
    try:
        return services.evaluate_all(clauses, as_of, all_rows=all_rows, runner=run)
    finally:
        if hasattr(run, "close"):
            run.close()
