"""Synthetic data for the policy-matching benchmark (not real data), written straight into
the matching snapshot's layout (`gongxin.policies.backends.tables()`): one Parquet file
per table the clause compiler reads, the same columns and types as
`backends.write_snapshot` writes from the live database.

    .venv/bin/python bench/policies_generate.py bench/data/policies-1000000 --enterprises 1000000

Seeded (numpy PCG64), vectorised. Shape, for N enterprises:
  enterprises_enterprise        N; 2% not active; industry codes drawn over the GB/T 4754
                                divisions (two thirds in manufacturing C 13–43), 200 regions
  enterprises_scalerecord       2N (2023 and 2024); 30% above scale in 2024
  monitoring_monthlystat        the 2024 above-scale firms × 2024-11 and 2024-12 (output,
                                revenue and their prior-year values, 万元, one decimal)
  enterprises_enterprisefigure  revenue_year_admin of 2023 and 2022 for every firm
                                (tax records), Q1 output and prior-year Q1 output declared
                                by 20%, expected new output declared by 10% (≈ 2.5N rows)
  enterprises_honor             ~10% of firms hold 1–2 titles, certified 2015–2025
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

ROOT = Path(__file__).resolve().parent.parent
SEED = 20241231
HONOR_KINDS = ("srdi", "little_giant", "single_champion", "high_tech", "tech_sme",
               "green_factory", "smart_factory", "factory_5g", "lighthouse")  # fmt: skip
HONOR_WEIGHTS = (0.25, 0.03, 0.01, 0.3, 0.25, 0.06, 0.05, 0.04, 0.01)


def _money(values: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """万元 to one decimal (source figures in 千元) as DECIMAL(18, 4); masked → NULL."""
    array = pa.array(np.round(values, 1), mask=mask)
    return array.cast(pa.decimal128(18, 4))


def _divisions() -> np.ndarray:
    manufacturing = [f"{d:02d}" for d in range(13, 44)]
    other = [f"{d:02d}" for d in (1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 44, 45, 46, 47, 48, 49, 50)]
    return np.array(manufacturing + other), np.array(
        [2 / 3 / len(manufacturing)] * len(manufacturing) + [1 / 3 / len(other)] * len(other)
    )


def generate(directory: Path, n: int, seed: int = SEED) -> dict[str, int]:
    from gongxin.policies import backends

    rng = np.random.default_rng(seed)
    spec = backends.tables()
    ids = np.arange(1, n + 1, dtype=np.int64)
    counts = {}

    divisions, weights = _divisions()
    division = rng.choice(divisions, size=n, p=weights)
    klass = rng.choice(np.array(["11", "12", "21", "31", "39", "41", "90"]), size=n)
    industry = np.char.add(division, klass)
    digits = np.char.zfill(ids.astype(str), 9)
    counts["enterprises_enterprise"] = backends.write_table(
        directory,
        spec["enterprises_enterprise"],
        {
            "id": ids,
            "uscc": np.char.add(np.char.add("91370211", digits), "X"),
            "name": np.char.add("合成企业", digits),
            "is_active": rng.random(n) >= 0.02,
            "industry_code": industry,
            "region_id": pa.array(rng.integers(1, 201, n), mask=rng.random(n) < 0.05),
            "land_mu": pa.array(np.round(rng.lognormal(3.5, 1.0, n), 2)).cast(pa.decimal128(12, 2)),
        },
    )

    above = rng.random(n) < 0.30
    above_2023 = np.where(rng.random(n) < 0.9, above, ~above)
    counts["enterprises_scalerecord"] = backends.write_table(
        directory,
        spec["enterprises_scalerecord"],
        {
            "enterprise_id": np.concatenate([ids, ids]),
            "year": np.repeat(np.array([2023, 2024], dtype=np.int64), n),
            "above_scale": np.concatenate([above_2023, above]),
        },
    )

    # survey: the above-scale firms, two released months
    firms = ids[above]
    m = len(firms)
    size = rng.lognormal(10.0, 1.2, m)  # YTD output at 2024-12, 万元
    growth = rng.normal(0.06, 0.15, m)
    stat = {"enterprise_id": [], "period": [], "output": [], "output_prior": [],
            "revenue": [], "revenue_prior": []}  # fmt: skip
    for period, share in (("2024-11", 11 / 12), ("2024-12", 1.0)):
        output = size * share * rng.normal(1.0, 0.01, m)
        prior = output / (1 + growth)
        prior_zero = rng.random(m) < 0.01  # newly above scale: no prior-year figure
        stat["enterprise_id"].append(firms)
        stat["period"].append(np.full(m, period))
        stat["output"].append(output)
        stat["output_prior"].append(np.where(prior_zero, 0.0, prior))
        stat["revenue"].append(output * rng.normal(0.95, 0.05, m))
        stat["revenue_prior"].append(prior * rng.normal(0.95, 0.05, m))
    missing = np.concatenate([rng.random(m) < 0.02 for _ in range(2)])  # unreported cells
    counts["monitoring_monthlystat"] = backends.write_table(
        directory,
        spec["monitoring_monthlystat"],
        {
            "enterprise_id": np.concatenate(stat["enterprise_id"]),
            "period": np.concatenate(stat["period"]),
            **{
                name: _money(np.concatenate(stat[name]), missing if name == "revenue" else None)
                for name in ("output", "output_prior", "revenue", "revenue_prior")
            },
        },
    )

    # figures: tax records for every firm, declarations by some
    parts = []

    def figures(who, feature, period, provenance, values):
        parts.append((who, np.full(len(who), feature), np.full(len(who), period),
                      np.full(len(who), provenance), values))  # fmt: skip

    revenue = rng.lognormal(7.0, 1.3, n)  # 万元; median ≈ 1100
    figures(ids, "revenue_year_admin", "2023", "admin", revenue)
    figures(ids, "revenue_year_admin", "2022", "admin", revenue * rng.normal(0.95, 0.1, n))
    q1 = ids[rng.random(n) < 0.20]
    prior_q1 = rng.lognormal(9.5, 1.3, len(q1))
    growth_q1 = rng.normal(0.10, 0.12, len(q1))
    figures(q1, "q1_output_declared", "2024-Q1", "declared", prior_q1 * (1 + growth_q1))
    figures(q1, "q1_output_prior_declared", "2024-Q1", "declared", prior_q1)
    plans = ids[rng.random(n) < 0.10]
    figures(plans, "expected_new_output_declared", "2024", "declared",
            rng.lognormal(8.5, 1.5, len(plans)))  # fmt: skip
    counts["enterprises_enterprisefigure"] = backends.write_table(
        directory,
        spec["enterprises_enterprisefigure"],
        {
            "enterprise_id": np.concatenate([p[0] for p in parts]),
            "feature": np.concatenate([p[1] for p in parts]),
            "period": np.concatenate([p[2] for p in parts]),
            "provenance": np.concatenate([p[3] for p in parts]),
            "value": _money(np.concatenate([p[4] for p in parts])),
        },
    )

    holders = ids[rng.random(n) < 0.10]
    second = holders[rng.random(len(holders)) < 0.3]
    who = np.concatenate([holders, second])
    kinds = rng.choice(np.array(HONOR_KINDS), size=len(who), p=HONOR_WEIGHTS)
    counts["enterprises_honor"] = backends.write_table(
        directory,
        spec["enterprises_honor"],
        {"enterprise_id": who, "kind": kinds, "year": rng.integers(2015, 2026, len(who))},
    )
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    started = time.perf_counter()
    counts = generate(args.directory, args.enterprises, args.seed)
    print(f"{args.directory}: {counts} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
