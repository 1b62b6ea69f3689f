"""National-scale benchmark: the monthly report on DuckDB/Parquet against pandas.

    .venv/bin/python bench/run.py                       # 500,000 enterprises × 36 months
    .venv/bin/python bench/run.py --enterprises 20000   # quick check

Generates the panel if it is not there (bench/generate.py), then runs, each in its own
process so that its peak memory (ru_maxrss) is its own:
  duckdb         gongxin.analytics.monthly_report, `--repeat` times in one process:
                 cold = the first report of the process, warm = the second;
  pandas         bench/pandas_report.py, loading the needed columns of every month;
  pandas-filter  the same with pyarrow's `filters=` on the period (`--no-filter` skips it).
Every run's report must equal DuckDB's (same groups and counts, values within 1e-9
relative); the figures are printed and written as JSON beside the data.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import pickle
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
REL, ABS = 1e-9, 1e-9


def child(kind: str, directory: Path, period: str, measures: tuple, repeat: int, out: Path):
    sys.path[:0] = [str(ROOT), str(BENCH)]
    start = time.perf_counter()
    if kind == "duckdb":
        from gongxin.analytics.monthly_report import monthly_report

        def run():
            return monthly_report(directory, period, measures=measures)
    else:
        from pandas_report import pandas_report

        def run():
            return pandas_report(directory, period, measures=measures, pushdown=kind != "pandas")

    imported = time.perf_counter() - start
    times, cpu, report = [], [], None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        report = run()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)  # every thread of the process
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
    with out.open("wb") as f:
        pickle.dump(
            {"times": times, "cpu": cpu, "import": imported, "peak": peak, "report": report}, f
        )


def spawn(kind: str, directory: Path, period: str, measures: tuple, repeat: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.pkl"
        command = [sys.executable, __file__, "--child", kind, "--data", str(directory),
                   "--period", period, "--measures", ",".join(measures),
                   "--repeat", str(repeat), "--child-out", str(out)]  # fmt: skip
        subprocess.run(command, check=True, cwd=ROOT)  # noqa: S603 (our interpreter and script)
        with out.open("rb") as f:
            return pickle.load(f)  # noqa: S301 (written by our own child process)


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    a, b = float(a), float(b)
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return math.isclose(a, b, rel_tol=REL, abs_tol=ABS)


def compare(expected: dict, got: dict, label: str) -> int:
    """Raises AssertionError at the first difference; returns the number of values compared."""
    compared = 0
    for measure, tables in expected["indicators"].items():
        for by, rows in tables.items():
            theirs = {r["group"]: r for r in got["indicators"][measure][by]}
            ours = {r["group"]: r for r in rows}
            assert ours.keys() == theirs.keys(), (
                f"{label}: {measure}/{by} groups differ: "
                f"{sorted(map(str, ours.keys() ^ theirs.keys()))[:10]}"
            )
            for group, row in ours.items():
                other = theirs[group]
                assert row["enterprises"] == other["enterprises"], (label, measure, by, group)
                for key, value in row.items():
                    if key in ("group", "enterprises"):
                        continue
                    assert _close(value, other[key]), (label, measure, by, group, key, value,
                                                       other[key])  # fmt: skip
                    compared += 1
    for side in ("gainers", "losers"):
        ours, theirs = expected["movers"][side], got["movers"][side]
        assert [e for e, _ in ours] == [e for e, _ in theirs], (label, side, ours, theirs)
        assert all(_close(a, b) for (_, a), (_, b) in zip(ours, theirs, strict=True)), label
        compared += len(ours)
    for kind, columns in expected["warnings"].items():
        other = got["warnings"][kind]
        assert columns["enterprise_id"] == other["enterprise_id"], (
            f"{label}: {kind} warnings differ: {len(columns['enterprise_id'])} vs "
            f"{len(other['enterprise_id'])}"
        )
        for name, values in columns.items():
            if name != "enterprise_id":
                assert all(_close(a, b) for a, b in zip(values, other[name], strict=True)), (
                    label, kind, name)  # fmt: skip
                compared += len(values)
    return compared


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=500_000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--period", default="2024-12")
    parser.add_argument("--data", default="", help="a snapshot directory (default: generated)")
    parser.add_argument("--measures", default="output", help="comma-separated, or 'all'")
    parser.add_argument("--repeat", type=int, default=7, help="DuckDB reports in its process")
    parser.add_argument("--pandas-repeat", type=int, default=1)
    parser.add_argument("--no-filter", action="store_true", help="skip the pandas-filter run")
    parser.add_argument("--child", choices=("duckdb", "pandas", "pandas-filter"))
    parser.add_argument("--child-out", default="")
    args = parser.parse_args()
    from generate import MEASURES

    measures = MEASURES if args.measures == "all" else tuple(args.measures.split(","))
    directory = Path(args.data or BENCH / "data" / f"{args.enterprises}x{args.months}")
    if args.child:
        child(args.child, directory, args.period, measures, args.repeat, Path(args.child_out))
        return
    if not (directory / "groups.parquet").exists():
        from generate import generate

        print(f"generating {directory} …", flush=True)
        generate(directory, args.enterprises, args.months)

    load_before = os.getloadavg()
    results = {"duckdb": spawn("duckdb", directory, args.period, measures, args.repeat)}
    kinds = ["pandas"] if args.no_filter else ["pandas", "pandas-filter"]
    for kind in kinds:
        results[kind] = spawn(kind, directory, args.period, measures, args.pandas_repeat)
    reference = results["duckdb"]["report"]
    for kind in kinds:
        compared = compare(reference, results[kind]["report"], kind)
    warnings = {k: len(v["enterprise_id"]) for k, v in reference["warnings"].items()}
    groups = sum(len(rows) for rows in reference["indicators"][measures[0]].values())

    duck = results["duckdb"]["times"]
    warm = duck[1:] or duck
    median_warm = sorted(warm)[len(warm) // 2]
    summary = {
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "data": str(directory.relative_to(ROOT) if directory.is_relative_to(ROOT) else directory),
        "period": args.period,
        "measures": list(measures),
        "groups_per_measure": groups,
        "warnings": warnings,
        "values_compared_per_pandas_run": compared,
        "duckdb_cold_s": round(duck[0], 3),
        "duckdb_warm_s": round(duck[1], 3) if len(duck) > 1 else None,
        "duckdb_warm_min_s": round(min(warm), 3),
        "duckdb_warm_median_s": round(median_warm, 3),
        "duckdb_warm_cpu_s": round(
            min(results["duckdb"]["cpu"][1:] or results["duckdb"]["cpu"]), 3
        ),
        "duckdb_peak_mb": round(results["duckdb"]["peak"] / 2**20),
    }
    for kind in kinds:
        key = kind.replace("-", "_")
        summary[f"{key}_s"] = round(min(results[kind]["times"]), 3)
        summary[f"{key}_cpu_s"] = round(min(results[kind]["cpu"]), 3)
        summary[f"{key}_peak_mb"] = round(results[kind]["peak"] / 2**20)
        best = min(results[kind]["times"])
        summary[f"{key}_over_duckdb_warm"] = round(best / warm[0], 1)
        summary[f"{key}_over_duckdb_warm_median"] = round(best / median_warm, 1)
    summary["duckdb_all_runs_s"] = [round(t, 3) for t in duck]
    summary["load_average_before_after"] = [round(x, 2) for x in (*load_before, *os.getloadavg())]
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    print(f"OK: identical reports ({compared:,} values compared per pandas run)")
    (directory / "bench-result.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
