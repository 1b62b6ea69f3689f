"""A scheme's population and its facts as one Arrow table (engine.score's input), read
with a handful of queries whatever the population's size, and a digest of exactly what
was read (a re-run on the same data and scheme gives the same digest)."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

import pyarrow as pa

from gongxin.analytics import catalog
from gongxin.evaluation import engine

MONEY = pa.decimal128(18, 4)


def population(scheme) -> dict[int, dict]:
    """enterprise_id → {uscc, industry_code, region_id} of the firms the scheme evaluates:
    active firms above scale in the scheme's year, or below scale (no above-scale record
    that year) with at least `min_land_mu` of land (the year's land figure)."""
    from gongxin.enterprises.models import Enterprise, EnterpriseFigure, ScaleRecord

    above = set(
        ScaleRecord.objects.filter(year=scheme.year, above_scale=True).values_list(
            "enterprise_id", flat=True
        )
    )
    firms = Enterprise.objects.filter(is_active=True).values_list(
        "id", "uscc", "industry_code", "region_id"
    )
    wanted = scheme.population == "above_scale"
    found = {
        pk: {"uscc": uscc, "industry_code": industry or "", "region_id": region}
        for pk, uscc, industry, region in firms
        if (pk in above) == wanted
    }
    if not wanted and scheme.min_land_mu is not None:
        land = dict(
            EnterpriseFigure.objects.filter(
                feature="land_area_mu", period=str(scheme.year),
                provenance=catalog.get("land_area_mu").provenance,
            ).values_list("enterprise_id", "value")
        )  # fmt: skip
        found = {pk: f for pk, f in found.items() if land.get(pk, Decimal(0)) >= scheme.min_land_mu}
    return found


def gather(scheme, rules: dict) -> tuple[pa.Table, dict[int, dict], str]:
    """(facts table, the population, digest of facts + rules)."""
    from gongxin.enterprises.models import EnterpriseFigure, Honor, ScaleRecord

    firms = population(scheme)
    ids = sorted(firms, key=lambda pk: firms[pk]["uscc"])  # the engine ranks ties by USCC
    inputs = engine.input_codes(rules)
    flags = [c for c in engine.flag_codes(rules) if c != "upgraded_last_year"]
    honors = engine.honor_codes(rules)
    period = str(scheme.year)
    codes = (*inputs, *flags)
    provenance = {code: catalog.get(code).provenance for code in codes}
    rows = EnterpriseFigure.objects.filter(
        feature__in=codes, period=period, enterprise_id__in=ids
    ).values_list("enterprise_id", "feature", "provenance", "value")
    # one query; a figure of another provenance than the catalog's is not this input
    values: dict[tuple[int, str], Decimal] = {
        (pk, code): value for pk, code, source, value in rows if source == provenance[code]
    }
    held = set(
        Honor.objects.filter(kind__in=honors, year__lte=scheme.year, enterprise_id__in=ids)
        .values_list("enterprise_id", "kind")
        .distinct()
    )
    before = set(
        ScaleRecord.objects.filter(
            year=scheme.year - 1, above_scale=True, enterprise_id__in=ids
        ).values_list("enterprise_id", flat=True)
    )
    columns: dict[str, pa.Array] = {
        "enterprise_id": pa.array(ids, pa.int64()),
        "uscc": pa.array([firms[pk]["uscc"] for pk in ids], pa.string()),
        "division": pa.array([_division(firms[pk]["industry_code"]) for pk in ids], pa.int32()),
    }
    for code in inputs:
        columns[code] = pa.array([values.get((pk, code)) for pk in ids], MONEY)
    for code in flags:
        columns[code] = pa.array([bool(values.get((pk, code))) for pk in ids], pa.bool_())
    if "upgraded_last_year" in engine.flag_codes(rules):
        upgraded = [scheme.population == "above_scale" and pk not in before for pk in ids]
        columns["upgraded_last_year"] = pa.array(upgraded, pa.bool_())
    for kind in honors:
        columns[f"honor__{kind}"] = pa.array([(pk, kind) in held for pk in ids], pa.bool_())
    table = pa.table(columns)
    return table, firms, _digest(table, rules)


def _division(code: str) -> int | None:
    return int(code[:2]) if len(code) >= 2 and code[:2].isdigit() else None


def _digest(table: pa.Table, rules: dict) -> str:
    sha = hashlib.sha256(json.dumps(rules, sort_keys=True, ensure_ascii=False).encode())
    for name in table.column_names:
        sha.update(name.encode())
        sha.update(json.dumps([str(v) for v in table[name].to_pylist()]).encode())
    return sha.hexdigest()
