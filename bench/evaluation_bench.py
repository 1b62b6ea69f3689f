"""亩产效益 evaluation benchmark: the engine's one DuckDB pass (engine.score) and the class
order (classes.assign) over a synthetic population, for each demo scheme that can run.

    .venv/bin/python bench/evaluation_bench.py                      # 100,000 firms
    .venv/bin/python bench/evaluation_bench.py --firms 1000000

The facts table is what facts.gather hands the engine (one row per firm, every input the
scheme reads, the flags); building it from the database is not timed here. Seeded
synthetic data (not real): revenue log-normal, the other inputs drawn as intensities of
it, 1% utilities (exempt), 1% accidents, 2% new firms. Figures go to stdout as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    scratch = Path(tempfile.mkdtemp(prefix="gongxin-evaluation-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongxin.settings")
    os.environ["GONGXIN_VAR_DIR"] = str(scratch)
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'unused.sqlite3'}"  # never queried
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def facts(n: int, rules: dict, seed: int = 20250301):
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute  # noqa: F401 (pa.compute)

    from gongxin.evaluation import engine

    rng = np.random.default_rng(seed)
    revenue = rng.lognormal(mean=9.0, sigma=1.0, size=n)  # 万元, median ~8100
    intensity = {
        "land_area_mu": (1 / 700, 1 / 60), "tax_paid": (0.008, 0.09), "value_added_year": (0.15, 0.35),
        "energy_year_tce": (0.01, 0.35), "electricity_year": (0.01, 0.15), "emissions_year": (0.0001, 0.002),
        "employees_year": (1 / 300, 1 / 40), "rnd_year": (0.0, 0.05), "water_year": (0.5, 5.0),
    }  # fmt: skip
    columns = {
        "enterprise_id": pa.array(np.arange(1, n + 1), pa.int64()),
        "uscc": pa.array([f"{i:018d}" for i in range(1, n + 1)]),
        "division": pa.array(rng.integers(13, 44, size=n).astype("int32")),
    }
    for code in engine.input_codes(rules):
        if code == "revenue_year_admin":
            values = revenue
        else:
            low, high = intensity[code]
            values = revenue * rng.uniform(low, high, size=n)
        missing = rng.random(n) < 0.03
        money = pa.array(np.round(values, 4)).cast(pa.decimal128(18, 4), safe=False)
        columns[code] = pa.compute.if_else(
            pa.array(missing), pa.nulls(n, pa.decimal128(18, 4)), money
        )
    shares = {"eval_exempt": 0.01, "eval_accident": 0.01, "eval_energy_missed": 0.02, "eval_new_firm": 0.02,
              "eval_under_construction": 0.01, "upgraded_last_year": 0.05}  # fmt: skip
    for code in engine.flag_codes(rules):
        columns[code] = pa.array(rng.random(n) < shares.get(code, 0.01))
    return pa.table(columns)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    setup_django()
    import yaml

    from gongxin.evaluation import classes, engine, rules
    from gongxin.evaluation.schemes import HERE

    out = {"firms": args.firms, "schemes": {}}
    for path in sorted(HERE.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        try:
            checked = rules.check_scheme(spec)
        except rules.SchemeError as error:
            out["schemes"][spec["code"]] = {"skipped": error.message}
            continue
        table = facts(args.firms, checked)
        timings = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            scored = engine.score(table, checked)
            scored_s = time.perf_counter() - started
            assigned = classes.assign(scored, checked)
            timings.append((scored_s, time.perf_counter() - started))
        counts = {k: sum(1 for c in assigned.values() if c.klass == k) for k in "ABCDT"}
        again = engine.score(table, checked)
        out["schemes"][spec["code"]] = {
            "indicators": len(checked["indicators"]),
            "score_s": [round(t[0], 3) for t in timings], "score_and_classes_s": [round(t[1], 3) for t in timings],
            "classes": counts, "repeatable": again == scored,
        }  # fmt: skip
    out["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    out["machine"] = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_avg": os.getloadavg(),
    }
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
