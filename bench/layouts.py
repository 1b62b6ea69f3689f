"""Facts layouts to compare, and a converter from one generated panel to the others.

    .venv/bin/python bench/layouts.py bench/data/500000x36 [--layouts ...]          # write
    .venv/bin/python bench/layouts.py bench/data/500000x36 --time [--layouts ...]   # compare

Every layout holds the same rows sorted by (period, enterprise_id); they differ in how a
month is found and how a decimal is stored:
  rg100k-flba   what `backends.write_snapshot` writes today: one facts.parquet, row groups of
                100,000 rows that straddle months, DECIMAL(18,4) as fixed-length bytes
                (pyarrow's default);
  month-flba    one facts.parquet, row groups cut at month ends (≤ 125,000 rows), decimals
                as fixed-length bytes;
  month-int     the same with the decimals stored as INT64 (`store_decimal_as_integer`,
                still DECIMAL(18,4) to every reader);
  hive-int      facts/period=YYYY-MM/data.parquet, one folder per month, INT64 decimals;
  enterprise-int  not laid out by period: sorted by (enterprise_id, period), row groups of
                100,000 rows, so every row group holds every month (written by DuckDB's COPY:
                INT64 decimals). The same rows in a different order
                (`convert` only; `FactsWriter` writes month by month).
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

LAYOUTS = ("rg100k-flba", "month-flba", "month-int", "hive-int", "enterprise-int")
MONTH_ROW_GROUP = 125_000  # ≥ 2 row groups a month at national scale: both cores read


class FactsWriter:
    """Writes a panel month by month in one of the LAYOUTS."""

    def __init__(self, out: Path, layout: str, schema: pa.Schema):
        if layout not in LAYOUTS:
            raise ValueError(f"unknown layout {layout!r}: one of {', '.join(LAYOUTS)}")
        self.out, self.layout, self.schema = out, layout, schema
        self.options = {
            "compression": "snappy",
            "store_decimal_as_integer": layout.endswith("-int"),
        }
        self.writer: pq.ParquetWriter | None = None
        self.pending: list[pa.Table] = []  # rg100k: rows carried to the next row group
        out.mkdir(parents=True, exist_ok=True)
        if layout.startswith("hive"):
            shutil.rmtree(out / "facts", ignore_errors=True)
        else:
            self.writer = pq.ParquetWriter(out / "facts.parquet", schema, **self.options)

    def write_month(self, period: str, table: pa.Table) -> None:
        if self.layout == "rg100k-flba":
            assert self.writer is not None
            self.pending.append(table)
            carried = pa.concat_tables(self.pending)
            whole = carried.num_rows // 100_000 * 100_000
            if whole:
                self.writer.write_table(carried.slice(0, whole), row_group_size=100_000)
            self.pending = [carried.slice(whole)]
        elif self.layout.startswith("month"):
            assert self.writer is not None
            self.writer.write_table(table, row_group_size=MONTH_ROW_GROUP)
        else:
            folder = self.out / "facts" / f"period={period}"
            folder.mkdir(parents=True, exist_ok=True)
            pq.write_table(
                table.drop_columns(["period"]),
                folder / "data.parquet",
                row_group_size=MONTH_ROW_GROUP,
                **self.options,
            )

    def close(self) -> None:
        if self.writer is not None:
            rest = [t for t in self.pending if t.num_rows]
            if rest:
                self.writer.write_table(pa.concat_tables(rest), row_group_size=100_000)
            self.writer.close()


def convert(source: Path, out: Path, layout: str) -> None:
    """Rewrite the panel in `source` (facts.parquet, one month per row-group run) as `layout`."""
    if layout == "enterprise-int":
        import duckdb

        out.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(config={"memory_limit": "8GB", "preserve_insertion_order": True})
        facts = con.read_parquet(str(source / "facts.parquet"))
        facts.order("enterprise_id, period").to_parquet(
            str(out / "facts.parquet"), compression="snappy", row_group_size=100_000
        )
        shutil.copy(source / "groups.parquet", out / "groups.parquet")
        return
    facts = pq.ParquetFile(source / "facts.parquet")
    schema = facts.schema_arrow
    writer = FactsWriter(out, layout, schema)
    periods = [p for (p,) in _distinct_periods(source)]
    for period in periods:
        month = pq.read_table(source / "facts.parquet", filters=[("period", "=", period)])
        writer.write_month(period, month.cast(schema))
    writer.close()
    groups = out / "groups.parquet"
    if not groups.exists():
        shutil.copy(source / "groups.parquet", groups)


def _distinct_periods(source: Path) -> list[tuple[str]]:
    import duckdb

    path = str(source / "facts.parquet")
    return duckdb.sql(
        "SELECT DISTINCT period FROM read_parquet($path) ORDER BY period", params={"path": path}
    ).fetchall()


def timings(directories: list[Path], period: str, repeat: int, rounds: int) -> None:
    """The DuckDB report on each layout, each in a fresh process, `rounds` times in turn (the
    machine is shared: interleaving spreads the noise over every layout alike)."""
    from run import spawn

    seen: dict[Path, list[dict]] = {d: [] for d in directories}
    for _ in range(rounds):
        for directory in directories:
            seen[directory].append(spawn("duckdb", directory, period, ("output",), repeat))
    print(f"{'layout':34s} {'MB':>6s} {'cold s':>7s} {'warm s':>7s} {'warm cpu s':>10s}")
    for directory, runs in seen.items():
        size = sum(f.stat().st_size for f in directory.rglob("facts*") if f.is_file())
        size += sum(f.stat().st_size for f in (directory / "facts").rglob("*.parquet")) if (
            directory / "facts").is_dir() else 0  # fmt: skip
        cold = min(r["times"][0] for r in runs)
        warm = min(min(r["times"][1:]) for r in runs)
        warm_cpu = min(min(r["cpu"][1:]) for r in runs)
        print(f"{directory.name:34s} {size / 2**20:6.0f} {cold:7.3f} {warm:7.3f} {warm_cpu:10.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("--layouts", nargs="*", default=[x for x in LAYOUTS if x != "month-int"])
    parser.add_argument("--time", action="store_true", help="time the report on each layout")
    parser.add_argument("--period", default="2024-12")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    outs = [args.source.parent / f"{args.source.name}-{layout}" for layout in args.layouts]
    if args.time:
        timings([args.source, *outs], args.period, args.repeat, args.rounds)
        return
    for layout, out in zip(args.layouts, outs, strict=True):
        start = time.perf_counter()
        convert(args.source, out, layout)
        print(f"{out}: {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
