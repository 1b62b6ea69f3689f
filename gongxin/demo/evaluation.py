"""Synthetic 亩产效益 inputs for the demo panel's enterprises (2023 and 2024), calibrated
to the panel: each firm's yearly revenue is its 2024 output from the monthly survey
(above scale) or a below-scale amount, and the other inputs are drawn as plausible
intensities of that revenue. Seeded, so the demo is the same on every machine. Not real
data: it exists to show the evaluation working end to end."""

from __future__ import annotations

import random
from decimal import Decimal

SEED = 20250301
UTILITIES = {44, 45, 46}  # 电力、燃气、水的生产和供应: 暂不评价
Q = Decimal("0.0001")


def _d(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Q)


def annual_figures(firms: list[dict], year: int) -> list[dict]:
    """Figure rows (apply_figures' shape) for `year`; `firms` carry enterprise_id,
    revenue (万元), above_scale and division. 2023 is 2024 with each intensity moved a
    little, so classes move between the years."""
    from gongxin.analytics import catalog

    rng = random.Random(SEED)  # noqa: S311 (synthetic demo data)
    drift = random.Random(f"{SEED}-{year}")  # noqa: S311
    rows = []
    for firm in firms:
        revenue = float(firm["revenue"])
        draws = {
            "land_area_mu": max(2.0, revenue / rng.uniform(60, 700)),
            "tax_paid": revenue * rng.uniform(0.008, 0.09),
            "value_added_year": revenue * rng.uniform(0.15, 0.35),
            "energy_year_tce": revenue * rng.uniform(0.01, 0.35),
            "electricity_year": revenue * rng.uniform(0.01, 0.15),
            "emissions_year": revenue * rng.uniform(0.0001, 0.002),
            "employees_year": max(5.0, round(revenue / rng.uniform(40, 300))),
            "rnd_year": revenue * rng.choice([0, 0.004, 0.01, 0.02, 0.03, 0.05]),
            "water_year": revenue * rng.uniform(0.5, 5),
            "revenue_year_admin": revenue,
        }
        flags = {
            "eval_exempt": firm["division"] in UTILITIES,
            "eval_accident": rng.random() < 0.01,
            "eval_energy_missed": rng.random() < 0.02,
            "eval_new_firm": rng.random() < 0.02,
            "eval_under_construction": rng.random() < 0.01,
        }
        if year != 2024:  # the year before: the same firm, its intensities moved
            draws = {
                k: v if k == "land_area_mu" else v * drift.uniform(0.8, 1.15)
                for k, v in draws.items()
            }
            flags = {
                k: v if k == "eval_exempt" else drift.random() < 0.015 for k, v in flags.items()
            }
        if not firm["above_scale"]:
            draws.pop("value_added_year")  # below-scale firms: tax and power records only
            draws.pop("rnd_year")
        for code, value in draws.items():
            value = round(value) if code == "employees_year" else value
            rows.append(_row(firm["enterprise_id"], code, year, _d(value), catalog))
        for code, held in flags.items():
            if held:
                rows.append(_row(firm["enterprise_id"], code, year, Decimal(1), catalog))
    return rows


def _row(enterprise_id: int, code: str, year: int, value: Decimal, catalog) -> dict:
    return {"enterprise_id": enterprise_id, "feature": code, "period": str(year), "value": value,
            "provenance": catalog.get(code).provenance, "source": "演示数据（合成）"}  # fmt: skip
