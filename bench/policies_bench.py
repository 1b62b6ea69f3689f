"""Policy-matching benchmark: 1M enterprises × 200 clauses on DuckDB against a
per-enterprise Python evaluation of the same clauses.

    .venv/bin/python bench/policies_bench.py                          # 1,000,000 × 200
    .venv/bin/python bench/policies_bench.py --enterprises 50000      # quick check

Generates the data if it is not there (bench/policies_generate.py, synthetic, seeded),
generates 200 clauses (seeded: amount thresholds and bands, rates, the above-scale flag,
industry sections and divisions, regions, honors, survey features; AND groups, a third
with an OR group), checks and compiles each with the platform's own code
(`criteria.check`, `compiler.compile_clause`: one query per clause over the run's feature
table, with the structured explanation of every eligible and near-miss enterprise — actual
value, pass and near flag per criterion) and runs them on
`gongxin.policies.backends.DuckDBRunner`; a pass is a whole run: the feature table built
(`DuckDBRunner.load`), then the 200 queries:
  cold   the first pass in the process (files in the OS page cache);
  warm   the following passes (`--repeat`), median and best.
The baseline is the way json-logic style rule engines work: the same clause JSON turned
into plain rule objects (All/Any/Leaf), evaluated enterprise by enterprise on a dict of
that enterprise's facts, on a random sample (`--sample`, 10,000 by default) and scaled to
all enterprises. Building the sample's fact dicts is not timed (it favours the baseline).
Before any figure is printed, the sample's results must be identical: the same eligible
and near-miss enterprises for every clause, the same pass/near flag and actual value of
every criterion. Peak memory is the process's ru_maxrss after the DuckDB passes (before
the baseline loads its sample) and at the end. Figures go to <data>/bench-result.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
YEAR, SURVEY_PERIOD = 2024, "2024-12"


def setup_django() -> None:
    scratch = Path(tempfile.mkdtemp(prefix="gongxin-policies-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongxin.settings")
    os.environ["GONGXIN_VAR_DIR"] = str(scratch)  # nothing of the repository's var/
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'unused.sqlite3'}"  # never queried
    sys.path[:0] = [str(ROOT), str(BENCH)]
    import django

    django.setup()


# --- the clauses ---------------------------------------------------------------------------
HONORS = ("srdi", "little_giant", "single_champion", "high_tech", "tech_sme", "green_factory",
          "smart_factory", "factory_5g", "lighthouse")  # fmt: skip


def _leaf(rng: random.Random, kind: str) -> list[dict]:
    f = lambda feature, op, value, **kw: {"feature": feature, "op": op, "value": value, **kw}  # noqa: E731
    if kind == "revenue_band":
        low = rng.choice([500, 800, 1000, 1200, 1500, 3000])
        return [
            f("revenue_year_admin", "ge", low),
            f("revenue_year_admin", "lt", low * rng.choice([2, 3])),
        ]
    if kind == "revenue_min":
        return [
            f(
                "revenue_year_admin",
                rng.choice(["gt", "ge"]),
                rng.choice([0.5, 1, 2, 5]),
                unit="亿元",
            )
        ]
    if kind == "q1_new":
        return [
            f(
                "q1_output_new_declared",
                rng.choice(["gt", "ge"]),
                rng.choice([1000, 3000, 5000, 10000, 30000]),
            )
        ]
    if kind == "q1_growth":
        return [f("q1_output_growth_declared", "ge", rng.choice([5, 10, 15, 20, 25, 30]))]
    if kind == "q1_output":
        return [
            f(
                "q1_output_declared",
                rng.choice(["ge", "lt", "le"]),
                rng.choice([5000, 20000, 80000]),
            )
        ]
    if kind == "expected":
        return [
            f(
                "expected_new_output_declared",
                rng.choice(["ge", "gt"]),
                rng.choice([1, 0.5, 2, 5]),
                unit="亿元",
            )
        ]
    if kind == "survey_growth":
        return [
            f("output_growth_ytd", rng.choice(["ge", "gt"]), rng.choice([0, 5, 10, 15, 20, 30]))
        ]
    if kind == "survey_new":
        return [f("output_new_ytd", "gt", rng.choice([500, 1000, 3000, 10000]))]
    if kind == "survey_size":
        return [f("output", rng.choice(["ge", "lt"]), rng.choice([2000, 10000, 50000, 200000]))]
    if kind == "survey_revenue":
        return [f("revenue", rng.choice(["ge", "le"]), rng.choice([5000, 20000, 100000]))]
    if kind == "above_scale":
        return [f("above_scale", "eq", rng.random() < 0.6)]
    if kind == "industry":
        values = rng.sample(
            ["C", "D", "B", "13", "26", "34", "35", "36", "38", "39", "44"], rng.randint(1, 3)
        )
        return [f("industry_code", "in", values)]
    if kind == "region":
        return [f("region", "in", [str(r) for r in rng.sample(range(1, 201), rng.randint(5, 40))])]
    if kind == "honors":
        return [f("honors", "in", rng.sample(HONORS, rng.randint(1, 3)))]
    if kind == "land":
        return [f("land_mu", rng.choice(["ge", "le"]), rng.choice([10, 30, 100]))]
    raise ValueError(kind)


KINDS = ("revenue_band", "revenue_min", "q1_new", "q1_growth", "q1_output", "expected",
         "survey_growth", "survey_new", "survey_size", "survey_revenue", "above_scale",
         "industry", "region", "honors", "land")  # fmt: skip


def make_clauses(count: int, seed: int = 5) -> list[dict]:
    """`count` clauses as the library stores them: criteria JSON, provenances, award."""
    from gongxin.policies import features

    rng = random.Random(seed)
    clauses = []
    for n in range(count):
        kinds = rng.sample(KINDS, rng.randint(2, 4))
        nodes = [leaf for kind in kinds for leaf in _leaf(rng, kind)]
        if rng.random() < 0.35:  # an OR group: a title, or a second way in
            other = _leaf(rng, rng.choice(KINDS)) + _leaf(rng, rng.choice(KINDS))
            nodes.append({"any": [other[0], {"all": other[1:]}] if len(other) > 2 else other})
        criteria = {"all": nodes}
        read = set()
        for leaf in _leaves(criteria):
            read |= features.provenances_read(leaf["feature"])
        award = rng.choice([{}, {"kind": "cap", "cap": 100}, {"kind": "fixed", "amount": 20}])
        codes = {leaf["feature"] for leaf in _leaves(criteria)}
        if "q1_output_new_declared" in codes and rng.random() < 0.7:
            award = {"kind": "rate", "base": "q1_output_new_declared", "rate": 1, "cap": 100}
        clauses.append({"code": f"c{n:03d}", "criteria": criteria, "provenances": sorted(read),
                        "award": award})  # fmt: skip
    return clauses


def _leaves(tree: dict):
    from gongxin.policies.criteria import leaves

    return leaves(tree)


def compiled(clauses: list[dict]):
    """The run's feature table, and per clause (clause, tree, ctx, query, leaves)."""
    from django.conf import settings

    from gongxin.enterprises.industries import section_ranges
    from gongxin.policies import awards, criteria
    from gongxin.policies.compiler import Context, compile_clause
    from gongxin.policies.feature_table import FeatureTable

    sections = section_ranges()
    table = FeatureTable(SURVEY_PERIOD)
    out = []
    for c in clauses:
        tree = criteria.check(c["criteria"], set(c["provenances"]))
        ctx = Context(year=YEAR, provenances=frozenset(c["provenances"]),
                      near_fraction=Decimal(str(settings.POLICY_NEAR_MISS_FRACTION)),
                      near_points=Decimal(str(settings.POLICY_NEAR_MISS_POINTS)),
                      section_ranges=sections)  # fmt: skip
        award = awards.base_features(awards.check(c["award"]))
        query, found = compile_clause(tree, award, ctx, table)
        out.append((c, tree, ctx, query, found))
    return table, out


# --- the baseline: plain rule objects, one enterprise at a time ----------------------------
class Leaf:
    """One criterion as a rule object: value getter, comparison, near-miss band."""

    def __init__(self, leaf: dict, ctx):
        from gongxin.analytics import catalog
        from gongxin.policies import features

        self.code, self.op = leaf["feature"], leaf["op"]
        self.get = _getter(self.code, features)
        value = leaf["value"]
        self.flag = isinstance(value, bool)
        if self.op == "in":
            self.values = set(value)
            if self.code == "industry_code":
                self.tests = [(*ctx.section_ranges[v.upper()], None) if v.isalpha() else (None, None, v)
                              for v in value]  # fmt: skip
            return
        if self.flag:
            self.threshold = int(value)
            return
        t = Decimal(value)
        tol = ctx.near_points if catalog.get(self.code).unit == "%" else abs(t) * ctx.near_fraction
        self.threshold, self.low, self.high = float(t), float(t - tol), float(t + tol)

    def evaluate(self, rec: dict) -> tuple:
        """(actual, passed, near) for one enterprise."""
        op = self.op
        if op == "in":
            if self.code == "honors":
                held = [k for k, y in rec["honors"] if k in self.values and y <= YEAR]
                actual = min(held) if held else None
                return actual, actual is not None, False
            actual = self.get(rec)
            if actual is None:
                return None, False, False
            if self.code == "industry_code":
                ok = any(low <= actual[:2] <= high if prefix is None else actual[: len(prefix)] == prefix
                         for low, high, prefix in self.tests)  # fmt: skip
                return actual, ok, False
            return actual, str(actual) in self.values, False
        actual = self.get(rec)
        if self.flag:
            return actual, actual == self.threshold, False
        if actual is None:
            return None, False, False
        t = self.threshold
        if op == "gt":
            ok, near = actual > t, actual >= self.low
        elif op == "ge":
            ok, near = actual >= t, actual >= self.low
        elif op == "lt":
            ok, near = actual < t, actual <= self.high
        elif op == "le":
            ok, near = actual <= t, actual <= self.high
        else:
            ok, near = actual == t, self.low <= actual <= self.high
        return actual, ok, (not ok) and near


def _getter(code: str, features):
    source = features.source_of(code)
    if source.kind == "honors":
        return None  # read by the leaf itself
    if source.kind == "above_scale":
        return lambda rec: 1 if rec["above_scale"] else 0
    if source.kind == "registry":
        column = source.args[0]
        return lambda rec: rec[column]
    if source.kind in ("figure", "survey"):
        return lambda rec: rec.get(code)
    a, b = (_getter(x, features) for x in source.args)
    if source.kind == "diff":

        def diff(rec):
            x, y = a(rec), b(rec)
            return None if x is None or y is None else round(x - y, 4)

        return diff

    def yoy(rec):
        x, y = a(rec), b(rec)
        if y is None or y <= 0 or x is None:
            return None
        return round((x / y - 1) * 100, 6)

    return yoy


class Group:
    """An AND/OR group of rule objects: children are groups or leaf numbers."""

    def holds(self, outcome: list, relaxed: bool) -> bool:
        test = all if self.all else any
        return test(
            (c.holds(outcome, relaxed) if isinstance(c, Group) else (outcome[c][1] or (relaxed and outcome[c][2])))
            for c in self.children
        )  # fmt: skip


class Rule:
    """A clause as rule objects; leaves numbered in the compiler's order (depth first)."""

    def __init__(self, tree: dict, ctx):
        raw: list[dict] = []
        self.root = _number(tree, raw)
        self.leaves = [Leaf(leaf, ctx) for leaf in raw]

    def evaluate(self, rec: dict):
        outcome = [leaf.evaluate(rec) for leaf in self.leaves]
        if self.root.holds(outcome, False):
            return "eligible", outcome
        if self.root.holds(outcome, True):
            return "near_miss", outcome
        return None, None


def _number(tree: dict, raw: list) -> Group:
    group = Group.__new__(Group)
    group.all = "all" in tree
    group.children = []
    for child in tree["all" if group.all else "any"]:
        if "feature" in child:
            group.children.append(len(raw))
            raw.append(child)
        else:
            group.children.append(_number(child, raw))
    return group


def load_sample(directory: Path, ids: list[int]) -> list[dict]:
    """The sample's facts, one dict per enterprise (floats, as JSON rule engines get them)."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    wanted = set(ids)
    key = __import__("pyarrow").array(sorted(wanted))

    def read(name, column="enterprise_id", **filters):
        table = pq.read_table(directory / f"{name}.parquet")
        table = table.filter(pc.is_in(table[column], value_set=key))
        for k, v in filters.items():
            table = table.filter(pc.equal(table[k], v))
        return table.to_pylist()

    recs = {}
    for row in read("enterprises_enterprise", "id"):
        recs[row["id"]] = {"id": row["id"], "is_active": row["is_active"], "industry_code": row["industry_code"],
                           "region_id": row["region_id"],
                           "land_mu": None if row["land_mu"] is None else float(row["land_mu"]),
                           "above_scale": False, "honors": []}  # fmt: skip
    for row in read("enterprises_scalerecord", year=YEAR):
        recs[row["enterprise_id"]]["above_scale"] = row["above_scale"]
    for row in read("enterprises_honor"):
        recs[row["enterprise_id"]]["honors"].append((row["kind"], row["year"]))
    periods = {"revenue_year_admin": str(YEAR - 1), "expected_new_output_declared": str(YEAR)}
    for row in read("enterprises_enterprisefigure"):
        if row["period"] == periods.get(row["feature"], f"{YEAR}-Q1"):
            recs[row["enterprise_id"]][row["feature"]] = float(row["value"])
    for row in read("monitoring_monthlystat", period=SURVEY_PERIOD):
        for name in ("output", "output_prior", "revenue", "revenue_prior"):
            value = row[name]
            recs[row["enterprise_id"]][name] = None if value is None else float(value)
    return [recs[i] for i in sorted(recs)]


# --- the run --------------------------------------------------------------------------------
def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--clauses", type=int, default=200)
    parser.add_argument("--sample", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="warm passes")
    parser.add_argument("--data", type=Path, help="default bench/data/policies-<enterprises>")
    parser.add_argument("--in-memory", action="store_true",
                        help="load the snapshot into DuckDB tables first (default: views over Parquet)")  # fmt: skip
    args = parser.parse_args()
    setup_django()
    import pyarrow as pa
    import pyarrow.compute as pc
    from policies_generate import generate

    from gongxin.policies.backends import DuckDBRunner

    data = args.data or BENCH / "data" / f"policies-{args.enterprises}"
    if not (data / "enterprises_enterprise.parquet").exists():
        started = time.perf_counter()
        print(f"generating {data} …", flush=True)
        print(
            generate(data, args.enterprises), f"{time.perf_counter() - started:.1f} s", flush=True
        )

    clauses = make_clauses(args.clauses)
    started = time.perf_counter()
    table, jobs = compiled(clauses)
    compile_s = time.perf_counter() - started

    started = time.perf_counter()
    runner = DuckDBRunner(data, in_memory=args.in_memory)
    open_s = time.perf_counter() - started

    def one_pass():
        """A run: the feature table built, then every clause's query."""
        started, cpu = time.perf_counter(), time.process_time()
        runner.load(table)
        loaded = time.perf_counter() - started
        tables = [runner.arrow(query) for (_, _, _, query, _) in jobs]
        return time.perf_counter() - started, time.process_time() - cpu, tables, loaded

    cold_s, cold_cpu, tables, cold_load = one_pass()
    warm = [one_pass() for _ in range(args.repeat)]
    warm = [(w[0], w[1], w[3]) for w in warm]
    duck_peak = peak_mb()
    eligible = sum(int(t["eligible"].to_numpy().sum()) for t in tables)
    rows = sum(t.num_rows for t in tables)
    rng = random.Random(7)
    sample_ids = rng.sample(range(1, args.enterprises + 1), min(args.sample, args.enterprises))
    key = pa.array(sorted(sample_ids), pa.int64())
    duck = {}  # DuckDB's outcome for the sample's enterprises
    for (c, _, _, _, found), t in zip(jobs, tables, strict=True):
        cols = t.filter(pc.is_in(t["enterprise_id"], value_set=key)).to_pydict()
        for i, eid in enumerate(cols["enterprise_id"]):
            status = "eligible" if cols["eligible"][i] else "near_miss"
            flags = tuple(
                (cols[f"p_{k}"][i], cols[f"n_{k}"][i], _q(cols[f"a_{k}"][i]))
                for k in range(len(found))
            )
            duck[(c["code"], eid)] = (status, flags)  # fmt: skip

    del tables
    records = load_sample(data, sample_ids)
    rules = [(c["code"], Rule(tree, ctx)) for (c, tree, ctx, _, _) in jobs]
    started, cpu = time.perf_counter(), time.process_time()
    python = {}
    for rec in records:
        if not rec["is_active"]:
            continue
        for code, rule in rules:
            status, outcome = rule.evaluate(rec)
            if status:
                python[(code, rec["id"])] = (status, outcome)
    python_s, python_cpu = time.perf_counter() - started, time.process_time() - cpu

    duck_sample = duck
    assert set(duck_sample) == set(python), "different eligible/near-miss sets on the sample"
    for key, (status, outcome) in python.items():
        mine = (status, tuple((int(p), int(n), _q(a)) for a, p, n in outcome))
        assert mine == duck_sample[key], (key, mine, duck_sample[key])

    scale = args.enterprises / len(sample_ids)
    warm_s = [w[0] for w in warm]
    result = {
        "enterprises": args.enterprises, "clauses": len(jobs), "layout": "in-memory" if args.in_memory else "parquet-views",
        "result_rows": rows, "eligible": eligible, "near_miss": rows - eligible,
        "compile_s": round(compile_s, 3), "open_s": round(open_s, 3),
        "feature_columns": len(table.columns), "feature_table_cold_s": round(cold_load, 3),
        "feature_table_warm_s": [round(w[2], 3) for w in warm],
        "duckdb_cold_s": round(cold_s, 3), "duckdb_cold_cpu_s": round(cold_cpu, 3),
        "duckdb_warm_s": [round(x, 3) for x in warm_s], "duckdb_warm_cpu_s": [round(w[1], 3) for w in warm],
        "duckdb_warm_median_s": round(statistics.median(warm_s), 3), "duckdb_warm_best_s": round(min(warm_s), 3),
        "sample": len(sample_ids), "sample_matches": len(python),
        "python_sample_s": round(python_s, 3), "python_sample_cpu_s": round(python_cpu, 3),
        "python_scaled_s": round(python_s * scale, 1),
        "ratio_vs_warm_median": round(python_s * scale / statistics.median(warm_s), 1),
        "ratio_vs_cold": round(python_s * scale / cold_s, 1),
        "peak_mb_after_duckdb": round(duck_peak), "peak_mb_end": round(peak_mb()),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "load_avg": os.getloadavg()},
    }  # fmt: skip
    import duckdb

    result["machine"]["duckdb"] = duckdb.__version__
    print(json.dumps(result, ensure_ascii=False, indent=1))
    (data / "bench-result.json").write_text(json.dumps(result, indent=1), encoding="utf-8")


def _q(value):
    """An actual value as compared: numbers to 4 decimals (the explanation's precision)."""
    if value is None or isinstance(value, str):
        return value
    return round(float(Decimal(str(value)).quantize(Decimal("0.0001"))), 4)


if __name__ == "__main__":
    main()
