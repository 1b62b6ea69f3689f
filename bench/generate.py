"""A national-scale synthetic panel in the snapshot layout (synthetic, seeded, not real data).

    .venv/bin/python bench/generate.py [--enterprises 500000] [--months 36] [--out bench/data/N]

Writes, like `gongxin.analytics.backends.write_snapshot`:
  facts.parquet   one row per enterprise and month: period, enterprise_id, section, division,
                  town, zone and every measure with its `_prior` (prior-year same-period YTD),
                  DECIMAL(18,4) in 万元 (employees in persons); sorted by (period, enterprise_id)
                  in the layout `--layout` names (bench/layouts.py; by default "month-int":
                  row groups cut at month ends, decimals stored as INT64);
  groups.parquet  (enterprise_id, year, grouping, group_key) for cluster, chain, program, honor.

Calibration (order of magnitude only): 500k firms is China's count of above-scale industrial
enterprises; annual output is 2000万元 + a lognormal (median 6000万元, σ 1.4), so a few
hundred firms are above 10亿元 and the mean is ~3亿元; firm growth ~ N(4%, 15%) a year
plus monthly noise; a common seasonal profile (Feb low, Dec high). The panel is balanced:
every firm is in the register of every year. Values are drawn with numpy and written with
pyarrow, month by month (about a minute for 18M rows on this machine).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from layouts import LAYOUTS, FactsWriter

MEASURES = ("output", "revenue", "profit", "tax", "energy_tce", "value_added", "employees")
LAST_PERIOD = (2024, 12)
DEFAULT_LAYOUT = "month-int"
DECIMAL = pa.decimal128(18, 4)
# GB/T 4754-2017: B 采矿业 06–12, C 制造业 13–43, D 电力、热力、燃气及水 44–46
SECTIONS = {**dict.fromkeys(range(6, 13), "B"), **dict.fromkeys(range(13, 44), "C"),
            **dict.fromkeys(range(44, 47), "D")}  # fmt: skip
TOWNS, ZONES, CLUSTERS, CHAINS, PROGRAMS = 2800, 600, 200, 60, 20
HONORS = ("srdi", "little_giant", "single_champion", "high_tech", "tech_sme", "green_factory",
          "smart_factory", "factory_5g", "lighthouse")  # fmt: skip
HONOR_RATES = (0.08, 0.01, 0.002, 0.15, 0.12, 0.03, 0.02, 0.01, 0.0005)
SEASON = np.array([0.055, 0.060, 0.085, 0.083, 0.084, 0.086, 0.082, 0.083, 0.086, 0.087,
                   0.090, 0.119])  # fmt: skip


def periods(months: int) -> list[str]:
    year, month = LAST_PERIOD
    out = []
    for k in range(months):
        index = year * 12 + (month - 1) - k
        out.append(f"{index // 12}-{index % 12 + 1:02d}")
    return out[::-1]


def _decimal(values: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """float64 万元 → DECIMAL(18,4), rounded to 4 places, built from int128 buffers."""
    scaled = np.rint(values * 10_000).astype(np.int64)
    pairs = np.empty((len(scaled), 2), dtype=np.int64)
    pairs[:, 0] = scaled
    pairs[:, 1] = scaled >> 63  # sign extension: little-endian two's complement int128
    bitmap = None
    if valid is not None and not valid.all():
        bitmap = pa.array(valid).buffers()[1]
        nulls = int((~valid).sum())
        return pa.Array.from_buffers(DECIMAL, len(scaled), [bitmap, pa.py_buffer(pairs)], nulls)
    return pa.Array.from_buffers(DECIMAL, len(scaled), [None, pa.py_buffer(pairs)], 0)


def _flows(rng: np.random.Generator, n: int, years: int):
    """Monthly flows (n, years, 12) of every measure for `years` consecutive years."""
    base = 2000 + rng.lognormal(np.log(6000), 1.4, n)  # 万元 a year
    growth = np.clip(rng.normal(0.04, 0.15, (n, years)), -0.7, 2.0)
    growth[:, 0] = 0
    level = base[:, None] * np.cumprod(1 + growth, axis=1)  # (n, years)
    season = SEASON[None, None, :] * rng.lognormal(0, 0.12, (n, years, 12))
    output = level[:, :, None] * season
    revenue = output * rng.lognormal(np.log(0.97), 0.08, n)[:, None, None]
    revenue *= rng.lognormal(0, 0.03, output.shape)
    margin = rng.normal(0.06, 0.05, (n, years))[:, :, None]
    profit = revenue * (margin + rng.normal(0, 0.02, output.shape))
    tax = np.maximum(revenue * rng.uniform(0.015, 0.05, n)[:, None, None], 0)
    energy = output * rng.lognormal(np.log(0.05), 0.9, n)[:, None, None]
    value_added = output * rng.uniform(0.18, 0.35, n)[:, None, None]
    staff = np.maximum(np.rint(8 * base**0.55), 20)[:, None] * np.cumprod(
        1 + np.clip(rng.normal(0.01, 0.05, (n, years)), -0.5, 1), axis=1
    )
    employees = np.rint(staff[:, :, None] * rng.lognormal(0, 0.01, (n, years, 12)))
    return {"output": output, "revenue": revenue, "profit": profit, "tax": tax,
            "energy_tce": energy, "value_added": value_added}, employees  # fmt: skip


def generate(
    out: Path,
    enterprises: int = 500_000,
    months: int = 36,
    seed: int = 20241231,
    layout: str = DEFAULT_LAYOUT,
) -> dict[str, int]:
    rng = np.random.default_rng(seed)
    n = enterprises
    wanted = periods(months)
    first_year = int(wanted[0][:4])
    years = LAST_PERIOD[0] - first_year + 2  # one more year for the prior-year values
    flows, employees = _flows(rng, n, years)
    ytd = {m: np.cumsum(v, axis=2) for m, v in flows.items()}
    ytd["employees"] = employees  # average headcount so far: a level, not a sum
    energy_reported = rng.random(n) > 0.03  # 3% of firms file no energy form

    division = rng.choice(np.arange(6, 47), n, p=_division_weights())
    section = np.array([SECTIONS.get(d, "?") for d in range(47)])[division]
    division_s = np.char.zfill(division.astype(str), 2)
    in_zone = rng.random(n) < 0.3
    town_weight = rng.lognormal(0, 1.0, TOWNS)
    town = 1 + rng.choice(TOWNS, n, p=town_weight / town_weight.sum())
    region = np.where(in_zone, TOWNS + 1 + rng.integers(0, ZONES, n), town).astype(str)
    ids = pa.array(np.arange(1, n + 1, dtype=np.int64))
    static = {
        "section": pa.array(section),
        "division": pa.array(division_s),
        "town": pa.array(np.where(in_zone, None, region).tolist(), pa.string()),
        "zone": pa.array(np.where(in_zone, region, None).tolist(), pa.string()),
    }
    schema = pa.schema([("period", pa.string()), ("enterprise_id", pa.int64()),
                        ("section", pa.string()), ("division", pa.string()),
                        ("town", pa.string()), ("zone", pa.string()),
                        *((f"{m}{s}", DECIMAL) for m in MEASURES for s in ("", "_prior"))])  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    writer = FactsWriter(out, layout, schema)
    try:
        for period in wanted:
            y, m = int(period[:4]) - first_year + 1, int(period[5:]) - 1
            columns = {"period": pa.array([period] * n), "enterprise_id": ids, **static}
            for measure in MEASURES:
                valid = energy_reported if measure == "energy_tce" else None
                columns[measure] = _decimal(ytd[measure][:, y, m], valid)
                columns[f"{measure}_prior"] = _decimal(ytd[measure][:, y - 1, m], valid)
            writer.write_month(period, pa.table(columns, schema=schema))
    finally:
        writer.close()
    groups = _groups(rng, n, list(range(first_year, LAST_PERIOD[0] + 1)), division)
    pq.write_table(groups, out / "groups.parquet")
    return {"facts": n * len(wanted), "groups": groups.num_rows}


def _division_weights() -> np.ndarray:
    w = np.ones(41)
    w[:7] = 0.4  # mining is small
    w[38:] = 0.6  # utilities
    for d, extra in ((13, 2), (26, 2.5), (30, 2.5), (33, 2), (34, 3), (35, 2.5), (36, 2),
                     (38, 2.5), (39, 2.5), (29, 2)):  # fmt: skip
        w[d - 6] *= extra
    return w / w.sum()


def _groups(rng: np.random.Generator, n: int, years: list[int], division: np.ndarray) -> pa.Table:
    parts: list[tuple[np.ndarray, int, str, np.ndarray]] = []
    # clusters: by industry with noise, 45% of firms in one, 10% in a second
    home = (division * 5 + rng.integers(0, 5, n)) % CLUSTERS + 1
    one = rng.random(n) < 0.45
    two = one & (rng.random(n) < 0.22)
    second = (home + 1 + rng.integers(0, CLUSTERS - 1, n)) % CLUSTERS + 1
    chain = CLUSTERS + 1 + (division * 3 + rng.integers(0, 3, n)) % CHAINS
    in_chain = rng.random(n) < 0.3
    honored = [rng.random(n) < rate for rate in HONOR_RATES]
    since = rng.integers(years[0] - 5, years[-1] + 1, (len(HONORS), n))
    for year in years:
        parts.append((np.flatnonzero(one), year, "cluster", home[one]))
        parts.append((np.flatnonzero(two), year, "cluster", second[two]))
        parts.append((np.flatnonzero(in_chain), year, "chain", chain[in_chain]))
        member = rng.random(n) < 0.06
        program = 1 + (year - years[0]) * PROGRAMS + rng.integers(0, PROGRAMS, n)
        parts.append((np.flatnonzero(member), year, "program", program[member]))
        for k, kind in enumerate(HONORS):
            has = honored[k] & (since[k] <= year)
            parts.append((np.flatnonzero(has), year, "honor", np.full(has.sum(), kind)))
    return pa.table(
        {
            "enterprise_id": pa.array(np.concatenate([p[0] + 1 for p in parts]), pa.int64()),
            "year": pa.array(np.concatenate([np.full(len(p[0]), p[1]) for p in parts]), pa.int64()),
            "grouping": pa.array(np.concatenate([np.full(len(p[0]), p[2]) for p in parts])),
            "group_key": pa.array(np.concatenate([p[3].astype(str) for p in parts])),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=500_000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--seed", type=int, default=20241231)
    parser.add_argument("--layout", choices=LAYOUTS, default=DEFAULT_LAYOUT)
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    out = Path(args.out or Path(__file__).parent / "data" / f"{args.enterprises}x{args.months}")
    start = time.perf_counter()
    counts = generate(out, args.enterprises, args.months, args.seed, args.layout)
    print(f"{out}: facts {counts['facts']:,} rows, groups {counts['groups']:,} rows "
          f"in {time.perf_counter() - start:.1f} s")  # fmt: skip


if __name__ == "__main__":
    main()
