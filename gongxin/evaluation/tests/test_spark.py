"""The evaluation engine's queries on Spark SQL give exactly DuckDB's results: every
firm's class, rank, total, indicator scores and reason columns, on a seeded population of
400 firms with every scoring family, benchmark kind, missing rule, veto, protection,
bonus and quota. Needs `pip install 'gongxin[spark]'` and Java 17 (make test installs
them); without them this module fails, it never skips."""

from __future__ import annotations

import random
from decimal import Decimal as D

import pyarrow as pa

from gongxin.evaluation import engine, rules

MONEY = pa.decimal128(18, 4)
SCHEMES = [
    {"indicators": [
        {"feature": "mu_tax", "weight": 30, "benchmark": {"kind": "industry_mean"}, "cap": "1.5"},
        {"feature": "electricity_tax", "weight": 20, "benchmark": {"kind": "median"}, "missing": "average"},
        {"feature": "mu_revenue", "weight": 20, "scoring": "minmax", "floor": 20},
        {"feature": "energy_revenue", "weight": 20, "scoring": "rank", "direction": "lower"},
        {"feature": "water_revenue", "weight": 10, "benchmark": {"kind": "fixed", "value": "0.5"}},
     ],
     "classes": {"method": "shares", "shares": {"A": 20, "B": 55, "C": 20, "D": 5},
                 "quotas": {"A_max": 15, "D_min": 8}}},
    {"indicators": [{"feature": "mu_tax", "weight": 60}, {"feature": "electricity_tax", "weight": 40}],
     "classes": {"method": "thresholds", "thresholds": {"A": 120, "B": 90, "C": 50},
                 "quotas": {"A_max": 20, "D_min": 5}}},
]  # fmt: skip
RESTRICTIONS = [
    {"flag": "eval_exempt", "effect": "exempt"},
    {"flag": "eval_accident", "effect": "best", "class": "C"},
    {"flag": "eval_new_firm", "effect": "worst", "class": "C"},
]
COLUMNS = ("klass", "rank", "total", "rule", "would_be", "position", "n", "a_limit", "d_needed")


def population(n: int = 400) -> pa.Table:
    rng = random.Random(11)
    money = lambda low, high: D(str(round(rng.uniform(low, high), 4)))  # noqa: E731
    maybe = lambda value: None if rng.random() < 0.05 else value  # noqa: E731
    return pa.table({
        "enterprise_id": pa.array(range(1, n + 1), pa.int64()),
        "uscc": pa.array([f"{rng.randrange(10**17):018d}" for _ in range(n)]),
        "division": pa.array([rng.choice([13, 26, 34, 39, None]) for _ in range(n)], pa.int32()),
        "tax_paid": pa.array([maybe(money(0, 500)) for _ in range(n)], MONEY),
        "land_area_mu": pa.array([maybe(money(1, 100)) for _ in range(n)], MONEY),
        "electricity_year": pa.array([maybe(money(1, 300)) for _ in range(n)], MONEY),
        "revenue_year_admin": pa.array([maybe(money(100, 90000)) for _ in range(n)], MONEY),
        "energy_year_tce": pa.array([maybe(money(1, 5000)) for _ in range(n)], MONEY),
        "water_year": pa.array([maybe(money(10, 90000)) for _ in range(n)], MONEY),
        "eval_exempt": pa.array([rng.random() < 0.03 for _ in range(n)]),
        "eval_accident": pa.array([rng.random() < 0.05 for _ in range(n)]),
        "eval_new_firm": pa.array([rng.random() < 0.05 for _ in range(n)]),
        "eval_under_construction": pa.array([rng.random() < 0.1 for _ in range(n)]),
    })  # fmt: skip


def rows(table: pa.Table) -> dict[int, dict]:
    return {r["enterprise_id"]: r for r in table.to_pylist()}


def test_spark_gives_duckdb_s_results_for_every_firm():
    facts = population()
    for scheme in SCHEMES:
        checked = rules.check_scheme({
            **scheme, "restrictions": RESTRICTIONS,
            "adjustments": [{"flag": "eval_under_construction", "points": 3, "label": "加分"}],
        })  # fmt: skip
        duck = rows(engine.evaluate(facts, checked))
        spark = rows(engine.evaluate(facts, checked, backend="spark"))
        assert set(spark) == set(duck) and len(duck) == 400
        scores = [f"score_{i}" for i in range(len(checked["indicators"]))]
        for firm, mine in duck.items():
            theirs = spark[firm]
            assert {k: theirs[k] for k in (*COLUMNS, *scores)} == {
                k: mine[k] for k in (*COLUMNS, *scores)
            }, firm
        assert {r["klass"] for r in duck.values()} == {"A", "B", "C", "D", "T"}
