"""Backends beside the live database: a Parquet snapshot laid out by period that DuckDB
queries with the same indicator SQL.

`write_snapshot(directory)` writes two files:
  facts.parquet   one row per enterprise and month of the year's above-scale register:
                  period, enterprise_id, section, division, town, zone and every measure
                  with its prior-year value — sorted by period, so a month's rows are
                  contiguous and DuckDB reads little more than the month it needs;
  groups.parquet  (enterprise_id, year, grouping, group_key) for the overlapping
                  groupings: cluster, chain, program, honor.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from sqlglot import exp

from gongxin.analytics import facts as live_facts
from gongxin.analytics.queries import FactSource, indicators, to_sql

OVERLAPPING = ("cluster", "chain", "program", "honor")


def write_snapshot(directory: Path) -> dict[str, int]:
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
    pq.write_table(
        pa.table(columns, schema=schema), directory / "facts.parquet", row_group_size=100_000
    )

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
    for h in Honor.objects.values("enterprise_id", "kind", "year").distinct():
        for year in years:
            if h["year"] <= year:
                add(h["enterprise_id"], year, "honor", h["kind"])
    schema = pa.schema([("enterprise_id", pa.int64()), ("year", pa.int64()), ("grouping", pa.string()),
                        ("group_key", pa.string())])  # fmt: skip
    pq.write_table(pa.table(groups, schema=schema), directory / "groups.parquet")
    return {"facts": len(columns["period"]), "groups": len(groups["group_key"])}


def _parquet(path: Path, alias: str) -> exp.Table:
    """read_parquet('<path>') AS alias — the path enters as a literal node."""
    return exp.Table(
        this=exp.func("read_parquet", exp.Literal.string(str(path))),
        alias=exp.TableAlias(this=exp.to_identifier(alias)),
    )


def _snapshot_facts(directory: Path, by: str, measure: str, period: str) -> exp.Select:
    f = "f"
    base = exp.select(
        exp.alias_(exp.column("period", f), "period"),
        exp.alias_(exp.column(measure, f), "current"),
        exp.alias_(exp.column(f"{measure}_prior", f), "prior"),
    ).from_(_parquet(directory / "facts.parquet", f))
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
        _parquet(directory / "groups.parquet", g),
        on=exp.and_(
            exp.EQ(this=exp.column("enterprise_id", g), expression=exp.column("enterprise_id", f)),
            exp.EQ(this=exp.column("year", g), expression=exp.Literal.number(int(period[:4]))),
            exp.EQ(this=exp.column("grouping", g), expression=exp.Literal.string(by)),
        ),
    )  # fmt: skip


def run_duckdb(directory: Path, by: str, measure: str, period: str) -> list[tuple]:
    population = FactSource(_snapshot_facts(directory, "total", measure, period))
    query = indicators(
        FactSource(_snapshot_facts(directory, by, measure, period)), period, population
    )
    with duckdb.connect() as con:
        return con.sql(to_sql(query, "duckdb")).fetchall()
