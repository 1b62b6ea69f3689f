"""The same monthly report as `gongxin.analytics.monthly_report`, written the way a pandas
user would: `pd.read_parquet(engine="pyarrow")` of only the needed columns, the decimals
cast to float64 by Arrow, one vectorised group-by per grouping over every measure at once.

`pandas_report(directory, period, pushdown=False)` loads the facts' needed columns for
every month (the baseline the issue describes); with `pushdown=True` it passes
`filters=[("period", "in", months)]` so pyarrow reads only the row groups of the months
the report needs (what a pandas user who knows pyarrow's filters would write).

It returns the structure of `monthly_report` with floats for the decimals.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

MEASURES = ("output", "revenue", "profit", "tax", "energy_tce", "value_added", "employees")
GROUPINGS = ("section", "division", "town", "zone", "cluster", "chain", "program", "honor",
             "size_band")  # fmt: skip
OVERLAPPING = ("cluster", "chain", "program", "honor")
SIZE_BANDS = (("band_1", 100000), ("band_2", 10000), ("band_3", 2000), ("band_4", 0))


def _window(period: str) -> list[str]:
    year, month = int(period[:4]), int(period[5:])
    return [f"{year}-{m:02d}" for m in range(max(1, month - 3), month + 1)]


def _value_columns(measures: tuple[str, ...]) -> list[str]:
    values = dict.fromkeys(["output", "output_prior", "revenue"])
    for measure in measures:
        values.update(dict.fromkeys([measure, f"{measure}_prior"]))
    return list(values)


def _read(path: Path, columns: list[str], filters=None) -> pd.DataFrame:
    frame = pd.read_parquet(
        path, engine="pyarrow", columns=columns, filters=filters, dtype_backend="pyarrow"
    )
    # DECIMAL(18,4) → float64: cast by Arrow (astype to a numpy float would go through
    # Python Decimal objects and take minutes at this size)
    decimals = [c for c in frame.columns if "decimal" in str(frame[c].dtype)]
    frame[decimals] = frame[decimals].astype("float64[pyarrow]").astype("float64")
    return frame


def load(directory: Path, period: str, measures: tuple[str, ...], pushdown: bool):
    months = _window(period)
    columns = ["period", "enterprise_id", "section", "division", "town", "zone",
               *_value_columns(measures)]  # fmt: skip
    facts_path = directory / "facts.parquet"
    if not facts_path.exists():
        facts_path = directory / "facts"  # hive partitions: pyarrow adds the period column
    facts = _read(facts_path, columns, [("period", "in", months)] if pushdown else None)
    groups = pd.read_parquet(directory / "groups.parquet", engine="pyarrow")
    return facts, groups


def _indicators(month: pd.DataFrame, members: pd.DataFrame, measures, totals) -> dict:
    cur, prior = list(measures), [f"{m}_prior" for m in measures]
    grow = [f"{m}_growing" for m in measures]
    values = month[cur + prior].copy()
    for m in measures:
        values[f"{m}_growing"] = (month[m] > month[f"{m}_prior"]).astype("int64")
    keys = {
        "total": pd.Series("total", index=month.index),
        "section": month["section"],
        "division": month["division"],
        "town": month["town"],
        "zone": month["zone"],
        "size_band": pd.Series(
            np.select([month["output"].fillna(0).to_numpy() >= lower for _, lower in SIZE_BANDS],
                      [key for key, _ in SIZE_BANDS], default=None),
            index=month.index),
    }  # fmt: skip
    frames: dict[str, tuple[pd.DataFrame, pd.Series]] = {k: (values, v) for k, v in keys.items()}
    member_values = members[cur + prior].copy()
    for m in measures:
        member_values[f"{m}_growing"] = (members[m] > members[f"{m}_prior"]).astype("int64")
    for by in OVERLAPPING:
        mask = (members["grouping"] == by).to_numpy()
        frames[by] = (member_values[mask], members["group_key"][mask])
    out: dict[str, dict[str, list[dict]]] = {m: {} for m in measures}
    for by in ("total", *GROUPINGS):
        frame, key = frames[by]
        grouped = frame.groupby(key.rename("grp"), sort=False, dropna=by in ("town", "zone"))
        sums = grouped[cur + prior].sum(min_count=1)
        largest = grouped[cur].max()
        growing = grouped[grow].sum()
        size = grouped.size()
        for m in measures:
            tot_ytd, tot_prior = totals[m]
            t = pd.DataFrame({"enterprises": size, "ytd": sums[m], "prior_ytd": sums[f"{m}_prior"]})
            delta = t["ytd"] - t["prior_ytd"]
            t["yoy"] = (t["ytd"] / t["prior_ytd"].where(t["prior_ytd"] != 0) - 1) * 100
            t["share"] = t["ytd"] / (tot_ytd if tot_ytd != 0 else np.nan) * 100
            total_delta = tot_ytd - tot_prior
            t["contribution"] = delta / (total_delta if total_delta != 0 else np.nan) * 100
            t["pull_points"] = delta / (tot_prior if tot_prior != 0 else np.nan) * 100
            t["growth_face"] = growing[f"{m}_growing"] / t["enterprises"] * 100
            t["largest"] = largest[m]
            t = t.sort_values("ytd", ascending=False, na_position="last")
            t.index.name = "group"
            rows = t.reset_index().astype(object).where(t.reset_index().notna(), None)
            out[m][by] = rows.to_dict("records")
    return out


def pandas_report(
    directory: Path,
    period: str,
    *,
    measures: tuple[str, ...] = ("output",),
    top: int = 5,
    decline_percent: float = -10,
    above_scale_wan: float = 2000,
    pushdown: bool = False,
) -> dict:
    directory = Path(directory)
    measures = tuple(measures)
    facts, groups = load(directory, period, measures, pushdown)
    months = _window(period)
    month = facts[facts["period"] == period]
    year = int(period[:4])
    members = groups[groups["year"] == year].merge(
        month.drop(columns=["period"]), on="enterprise_id", how="inner"
    )
    totals = {
        m: (month[m].sum(min_count=1), month[f"{m}_prior"].sum(min_count=1)) for m in measures
    }
    indicators = _indicators(month, members, measures, totals)

    ranked = month.loc[month["output"].notna() & month["output_prior"].notna(), ["enterprise_id"]]
    ranked["delta"] = month["output"] - month["output_prior"]
    gainers = ranked.nlargest(top, "delta", keep="first")
    losers = ranked.nsmallest(top, "delta", keep="last")
    movers = {
        "gainers": list(gainers.loc[gainers["delta"] > 0].itertuples(index=False, name=None)),
        "losers": list(losers.loc[losers["delta"] < 0].itertuples(index=False, name=None)),
    }

    window = facts[facts["period"].isin(months)]
    wide = window.pivot(index="enterprise_id", columns="period", values=["output", "output_prior"])
    wide = wide.reindex(month["enterprise_id"])  # the enterprises of the report month
    rates = []
    for m in months:
        prior = wide[("output_prior", m)]
        rates.append((wide[("output", m)] / prior.where(prior != 0) - 1) * 100)
    growth = rates[-1]
    decline = (growth < decline_percent).to_numpy()
    falling = np.zeros(len(wide), dtype=bool)
    if len(months) == 4:
        falling = ((rates[0] > rates[1]) & (rates[1] > rates[2]) & (rates[2] > rates[3])).to_numpy()
    annual = (month["revenue"] / int(period[5:]) * 12).to_numpy()
    below = annual < above_scale_wan
    ids = month["enterprise_id"].to_numpy()
    warnings = {
        "decline": {"enterprise_id": ids[decline].tolist(), "yoy": growth[decline].tolist()},
        "falling": {
            "enterprise_id": ids[falling].tolist(),
            "yoy": growth[falling].tolist(),
            "yoy_before": rates[0][falling].tolist(),
        },
        "below_scale": {
            "enterprise_id": ids[below].tolist(),
            "annual_revenue": annual[below].tolist(),
        },
    }
    return {"period": period, "indicators": indicators, "movers": movers, "warnings": warnings}
