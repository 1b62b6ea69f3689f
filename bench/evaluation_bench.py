"""亩产效益 evaluation benchmark: the engine (`engine.evaluate`: scores and classes in one
DuckDB connection) against a pandas implementation of the same scheme, in the same run,
with identical results required before any figure is printed.

    .venv/bin/python bench/evaluation_bench.py                      # 500,000 firms
    .venv/bin/python bench/evaluation_bench.py --firms 50000 --repeat 2

The scheme (`SCHEME` below) is 浙江县域方案一's six indicators with every benchmark taken
by industry (the firm's 大类), one indicator capped at 1.5 × its weight, missing energy
and emission data scored at the population average, a bonus for high-tech firms (a flag),
exemptions (T), vetoes (accidents, missed energy targets → at best C), protections (new
firms, last year's 小升规 → at worst C), classes by shares 20/55/20/5 with A ≤ 20% and
D ≥ 5%. The facts are seeded synthetic data (not real): log-normal revenue, the other
inputs drawn as intensities of it, 3% of each input missing.

Timed: `engine.evaluate(facts, rules)` returning its Arrow table (the facts table is what
`facts.gather` hands it; reading it from the database is not timed), and the pandas
function on a DataFrame of the same facts with money as integer 1/10⁴ units (the
conversion is not timed; it favours pandas). Both get the firms in USCC order, as
facts.gather hands them over, and both use it for ties: the engine through an integer
`seq`, pandas through a stable sort on the total. Identical means: every firm's class, rank
and total score, and every indicator score (4 decimals) equal. Also the pandas code is
checked against the engine on the YAML-case populations implicitly: it must agree with
the engine on the whole synthetic population, vetoes and quotas included.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNITS = 10_000  # money and scores as integers of 1/10⁴

SCHEME = {
    "indicators": [
        {"feature": "mu_tax", "weight": 30, "benchmark": {"kind": "industry_mean"}, "cap": "1.5"},
        {"feature": "mu_value_added", "weight": 20, "benchmark": {"kind": "industry_mean"}},
        {"feature": "energy_value_added", "weight": 20, "benchmark": {"kind": "industry_mean"}, "missing": "average"},
        {"feature": "emission_value_added", "weight": 10, "benchmark": {"kind": "industry_mean"}, "missing": "average"},
        {"feature": "labour_productivity", "weight": 10, "benchmark": {"kind": "industry_mean"}},
        {"feature": "rnd_intensity", "weight": 10, "benchmark": {"kind": "industry_mean"}},
    ],
    "classes": {"method": "shares", "shares": {"A": 20, "B": 55, "C": 20, "D": 5},
                "quotas": {"A_max": 20, "D_min": 5}},
    "restrictions": [
        {"flag": "eval_exempt", "effect": "exempt"},
        {"flag": "eval_accident", "effect": "best", "class": "C"},
        {"flag": "eval_energy_missed", "effect": "best", "class": "C"},
        {"flag": "eval_new_firm", "effect": "worst", "class": "C"},
        {"flag": "upgraded_last_year", "effect": "worst", "class": "C"},
    ],
    "adjustments": [{"flag": "eval_under_construction", "points": 2, "label": "加分（测试）"}],
    "legal_basis": "浙政发〔2018〕5号（基准测试）",
}  # fmt: skip
FLAG_SHARES = {"eval_exempt": 0.01, "eval_accident": 0.01, "eval_energy_missed": 0.02,
               "eval_new_firm": 0.02, "eval_under_construction": 0.03, "upgraded_last_year": 0.05}  # fmt: skip
INTENSITY = {
    "land_area_mu": (1 / 700, 1 / 60), "tax_paid": (0.008, 0.09), "value_added_year": (0.15, 0.35),
    "energy_year_tce": (0.01, 0.35), "emissions_year": (0.0001, 0.002), "employees_year": (1 / 300, 1 / 40),
    "rnd_year": (0.0, 0.05),
}  # fmt: skip


def setup_django() -> None:
    scratch = Path(tempfile.mkdtemp(prefix="gongxin-evaluation-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongxin.settings")
    os.environ["GONGXIN_VAR_DIR"] = str(scratch)
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'unused.sqlite3'}"  # never queried
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def make_facts(n: int, rules: dict, seed: int = 20250301):
    """(Arrow facts for the engine, pandas facts for the baseline: money in 1/10⁴ units)."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    from gongxin.evaluation import engine

    rng = np.random.default_rng(seed)
    revenue = np.round(rng.lognormal(mean=9.0, sigma=1.0, size=n) * UNITS).astype("int64")
    arrow = {
        # in USCC order, as facts.gather hands them over; ids in no particular order
        "enterprise_id": pa.array(rng.permutation(n) + 1, pa.int64()),
        "uscc": pa.array([f"{i:018d}" for i in range(n)]),
        "division": pa.array(rng.integers(13, 44, size=n).astype("int32")),
    }
    frame = {name: arrow[name].to_numpy(zero_copy_only=False) for name in arrow}
    for code in engine.input_codes(rules):
        if code == "revenue_year_admin":
            units = revenue
        else:
            low, high = INTENSITY[code]
            units = np.round(revenue * rng.uniform(low, high, size=n)).astype("int64")
            units = np.maximum(units, 1)
        missing = rng.random(n) < 0.03
        arrow[code] = pa.compute.if_else(
            pa.array(missing), pa.nulls(n, pa.decimal128(18, 4)), _decimals(units)
        )
        frame[code] = pd.array(np.where(missing, 0, units), dtype="Int64")
        frame[code][missing] = pd.NA
    for code in engine.flag_codes(rules):
        held = rng.random(n) < FLAG_SHARES.get(code, 0.01)
        arrow[code], frame[code] = pa.array(held), held
    return pa.table(arrow), pd.DataFrame(frame)


def _decimals(units):
    """int64 units of 1/10⁴ as DECIMAL(18, 4), exactly (the unscaled 128-bit integers)."""
    import numpy as np
    import pyarrow as pa

    words = np.empty((len(units), 2), "int64")
    words[:, 0], words[:, 1] = units, np.where(units < 0, -1, 0)
    return pa.Array.from_buffers(
        pa.decimal128(18, 4), len(units), [None, pa.py_buffer(words.tobytes())]
    )


# --- the pandas implementation of SCHEME's rules -------------------------------------------
def round4(x):
    """Half away from zero at 4 decimals, as the engine does (the ten-thousandths first
    rounded to 6 places, engine._rounded); → int units. Scores are never negative."""
    import numpy as np

    y = np.round(np.asarray(x, dtype="float64") * UNITS, 6)
    lower = np.floor(y)
    return np.where(y - lower >= 0.5, lower + 1, lower)


def pandas_evaluate(df, rules: dict):
    import numpy as np
    import pandas as pd

    from gongxin.evaluation.features import RATIOS

    out = pd.DataFrame({"enterprise_id": df["enterprise_id"], "uscc": df["uscc"]})
    exempt = np.zeros(len(df), bool)
    for r in rules["restrictions"]:
        if r["effect"] == "exempt":
            exempt |= df[r["flag"]].to_numpy()
    total = np.zeros(len(df), "int64")
    for i, item in enumerate(rules["indicators"]):
        ratio = RATIOS[item["feature"]]
        num, den = df[ratio.numerator], df[ratio.denominator]
        ok = (~exempt) & num.notna().to_numpy() & (den.fillna(0).to_numpy() > 0)
        num_u = np.where(ok, num.fillna(0).to_numpy("int64"), 0)
        den_u = np.where(ok, den.fillna(0).to_numpy("int64"), 0)
        value = np.where(ok, (num_u / UNITS) / np.where(ok, den_u / UNITS, 1) * ratio.scale, np.nan)
        sums = (
            pd.DataFrame({"d": df["division"], "n": num_u, "m": den_u})
            .groupby("d")[["n", "m"]]
            .transform("sum")
        )
        bench = (
            (sums["n"].to_numpy() / UNITS)
            / np.where(sums["m"].to_numpy() > 0, sums["m"].to_numpy() / UNITS, np.nan)
            * ratio.scale
        )
        part = value / bench
        if "cap" in item:
            part = np.minimum(part, float(item["cap"]))
        score = np.where(ok, round4(np.maximum(part, 0) * float(item["weight"])), np.nan)
        if item["missing"] == "average":
            present = ~np.isnan(score) & ~exempt
            fill = round4((score[present].sum() / UNITS) / present.sum())
        else:
            fill = 0
        score = np.where(exempt, np.nan, np.where(np.isnan(score), fill, score))
        out[f"score_{i}"] = score
        total += np.where(exempt, 0, score).astype("int64")
    for a in rules["adjustments"]:
        total += np.where(df[a["flag"]].to_numpy(), int(float(a["points"]) * UNITS), 0)
    out["exempt"], out["total"] = exempt, np.where(exempt, -1, total)
    return _pandas_classes(out, df, rules)


def _pandas_classes(out, df, rules: dict):
    import numpy as np

    best, worst = np.ones(len(df), "int64"), np.full(len(df), 4, "int64")
    for r in rules["restrictions"]:
        held = df[r["flag"]].to_numpy()
        grade = "ABCD".index(r.get("class", "A")) + 1
        if r["effect"] == "best":
            best = np.where(held, np.maximum(best, grade), best)
        elif r["effect"] == "worst":
            worst = np.where(held, np.minimum(worst, grade), worst)
    # the frame is in USCC order (as the engine's facts): a stable sort keeps it for ties
    ranked = out[~out["exempt"]].sort_values("total", ascending=False, kind="stable")
    rank = np.zeros(len(out), "int64")
    rank[ranked.index.to_numpy()] = np.arange(1, len(ranked) + 1)
    order = ranked.index.to_numpy()
    rest = order[best[order] == 1]
    vetoed = order[best[order] > 1]
    n = len(rest)
    shares = rules["classes"]["shares"]
    a_end = int(shares["A"]) * n // 100
    b_end = (int(shares["A"]) + int(shares["B"])) * n // 100
    d_count = -(-int(shares["D"]) * n // 100)
    pos = np.arange(1, n + 1)
    cls = np.where(pos <= a_end, 1, np.where(pos <= b_end, 2, np.where(pos <= n - d_count, 3, 4)))
    cls = np.minimum(cls, worst[rest])
    quotas = rules["classes"]["quotas"]
    a_limit = int(quotas["A_max"]) * n // 100
    in_a = np.flatnonzero(cls == 1)
    cls[in_a[a_limit:]] = 2
    needed = -(-int(quotas["D_min"]) * n // 100)
    have = int((cls == 4).sum())
    if have < needed:
        candidates = [j for j in range(n - 1, -1, -1) if cls[j] != 4 and worst[rest[j]] == 4]
        cls[candidates[: needed - have]] = 4
    klass = np.full(len(out), "T", dtype="<U1")
    klass[rest] = np.array(list("ABCD"))[cls - 1]
    if len(vetoed):
        keys = -out["total"].to_numpy()[rest]
        at = np.minimum(np.searchsorted(keys, -out["total"].to_numpy()[vetoed], side="left"), n - 1)
        would = cls[at] if n else np.full(len(vetoed), 3)
        final = np.minimum(np.maximum(would, best[vetoed]), worst[vetoed])
        klass[vetoed] = np.array(list("ABCD"))[final - 1]
    out["klass"], out["rank"] = klass, rank
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=3, help="warm runs of each side")
    args = parser.parse_args()
    setup_django()
    import numpy as np
    import pyarrow.compute  # noqa: F401 (pa.compute)

    from gongxin.evaluation import engine, rules

    checked = rules.check_scheme(SCHEME)
    facts, frame = make_facts(args.firms, checked)

    def timed(fn, *a):
        started, cpu = time.perf_counter(), time.process_time()
        result = fn(*a)
        return time.perf_counter() - started, time.process_time() - cpu, result

    cold = timed(engine.evaluate, facts, checked)
    warm = [timed(engine.evaluate, facts, checked) for _ in range(args.repeat)]
    duck = warm[-1][2].sort_by("enterprise_id")  # the engine returns no particular order
    duck_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    pandas_runs = [timed(pandas_evaluate, frame, checked) for _ in range(args.repeat)]
    pdf = pandas_runs[-1][2].sort_values("enterprise_id")

    # identical results, firm by firm
    n_ind = len(checked["indicators"])
    d_class = np.array(duck["klass"].to_pylist())
    assert (d_class == pdf["klass"].to_numpy()).all(), "classes differ"
    d_rank = np.array([r or 0 for r in duck["rank"].to_pylist()])
    assert (d_rank == pdf["rank"].to_numpy()).all(), "ranks differ"
    d_total = np.array([-1 if t is None else int(t * UNITS) for t in duck["total"].to_pylist()])
    assert (d_total == pdf["total"].to_numpy()).all(), "totals differ"
    for i in range(n_ind):
        d_score = np.array(
            [np.nan if s is None else float(s * UNITS) for s in duck[f"score_{i}"].to_pylist()]
        )
        p_score = pdf[f"score_{i}"].to_numpy(dtype="float64")
        assert np.array_equal(d_score, p_score, equal_nan=True), f"indicator {i} scores differ"

    duck_s = [w[0] for w in warm]
    pandas_s = [p[0] for p in pandas_runs]
    result = {
        "firms": args.firms, "indicators": n_ind, "benchmark": "industry_mean (大类)",
        "engine_cold_s": round(cold[0], 3), "engine_warm_s": [round(x, 3) for x in duck_s],
        "engine_warm_cpu_s": [round(w[1], 3) for w in warm],
        "engine_warm_median_s": round(statistics.median(duck_s), 3),
        "pandas_s": [round(x, 3) for x in pandas_s], "pandas_median_s": round(statistics.median(pandas_s), 3),
        "ratio_pandas_over_engine": round(statistics.median(pandas_s) / statistics.median(duck_s), 1),
        "identical": True,
        "classes": {k: int((d_class == k).sum()) for k in "ABCDT"},
        "peak_mb_after_engine": round(duck_peak),
        "peak_mb_end": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load_avg": os.getloadavg()},
    }  # fmt: skip
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
