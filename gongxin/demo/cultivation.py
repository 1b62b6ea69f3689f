"""Synthetic 梯度培育 figures for about 150 of the demo panel's enterprises: the declared
figures (three data years of revenue, main-business revenue and R&D, the current state of IP,
niche, awards…) and the administrative records (platform score, credit list, incidents), so
each tier's candidate list shows firms that qualify, firms near (one criterion short), firms
with data missing and firms far off. A few strong firms get a provincial 专精特新 title (the
little-giant test "holds tier 2" reads honors). Seeded: the same on every machine. Not real
data.

Profiles (share of the firms):
  giant      ~8%   meets the 小巨人 2026 tests (revenue ≥ 1.6亿, share ≥ 92%, ≥ 5 Ⅰ类 IP,
                   niche share ≥ 12%, R&D ≥ 4%), holds a provincial srdi title
  srdi       ~22%  meets the 专精特新 2026 tests; a third of them are not yet 创新型 firms, so
                   they show on the 创新型 list instead (and are near on the srdi list)
  near       ~20%  a srdi firm with one test just missed (revenue, platform score, R&D share
                   or main-business share)
  incomplete ~15%  a srdi firm whose platform score or earlier year is not in yet
  weak       ~35%  small, little R&D
"""

from __future__ import annotations

import random
from decimal import Decimal

SEED = 20260401
SOURCE = "演示数据（合成）"
Q = Decimal("0.0001")
COUNT = 150
PROFILES = (("giant", 0.08), ("srdi", 0.22), ("near", 0.20), ("incomplete", 0.15),
            ("weak", 0.35))  # fmt: skip


def _d(value: float) -> Decimal:
    return Decimal(str(round(value, 4))).quantize(Q)


def _rng(enterprise_id: int) -> random.Random:
    """One generator per firm: its profile and figures do not depend on the others."""
    return random.Random(f"{SEED}-{enterprise_id}")  # noqa: S311 (synthetic demo data)


def _profile(rng: random.Random) -> str:
    pick, edge = rng.random(), 0.0
    for name, share in PROFILES:
        edge += share
        if pick < edge:
            return name
    return PROFILES[-1][0]


def _draw(rng: random.Random, profile: str) -> tuple[dict[str, float], dict[str, float]]:
    """(yearly figures of the last year with growth and R&D shares, current state)."""
    if profile == "giant":
        revenue, share, growth = rng.uniform(16000, 40000), rng.uniform(92, 98), rng.uniform(6, 15)
        ratio, debt, ip1 = rng.uniform(4.2, 7), rng.uniform(30, 60), rng.randint(5, 12)
        state = {"tier_niche_years": rng.randint(8, 20), "tier_niche_market_share": rng.uniform(12, 30),
                 "tier_niche_domestic_rank": rng.randint(1, 3), "tier_platform_score": rng.uniform(66, 90),
                 "tier_rnd_institution_level": rng.choice([3, 4])}  # fmt: skip
    elif profile == "weak":
        revenue, share, growth = rng.uniform(200, 1400), rng.uniform(50, 85), rng.uniform(-8, 12)
        ratio, debt, ip1 = rng.uniform(0, 2.5), rng.uniform(40, 85), rng.randint(0, 1)
        state = {"tier_niche_years": rng.randint(1, 6), "tier_platform_score": rng.uniform(20, 48),
                 "tier_rnd_institution_level": rng.choice([0, 0, 1, 2])}  # fmt: skip
    else:
        revenue, share, growth = rng.uniform(1800, 9000), rng.uniform(82, 95), rng.uniform(3, 18)
        ratio, debt, ip1 = rng.uniform(3.6, 8), rng.uniform(35, 70), rng.randint(1, 4)
        state = {"tier_niche_years": rng.randint(3, 10), "tier_platform_score": rng.uniform(54, 82),
                 "tier_rnd_institution_level": rng.choice([1, 2, 2, 3])}  # fmt: skip
    yearly = {"revenue": revenue, "share": share, "growth": growth, "ratio": ratio, "debt": debt,
              "ratio_prev": ratio * rng.uniform(0.9, 1.1)}  # fmt: skip
    if profile != "weak":
        yearly["ratio_prev"] = max(3.2, yearly["ratio_prev"])
    state.update({
        "tier_ip1_count": ip1, "tier_ip2_count": rng.randint(0, 15),
        "tier_ip1_high_value": rng.random() < 0.3, "tier_ip1_self_developed": ip1 > 0 and rng.random() < 0.8,
        "tier_digital_level": rng.randint(1, 4), "tier_quality_items": rng.randint(1, 4),
        "tier_equity_2y": 0, "tier_equity_3y": 0,
        "tier_strategic_field": rng.random() < 0.6, "tier_st_award_3y": rng.random() < 0.1,
        "tier_st_award_top_3y": False, "tier_st_award_provincial_top3": False,
        "tier_st_award_national_top3_3y": False, "tier_maker_top500_3y": rng.random() < 0.05,
        "tier_maker_top50_3y": False, "tier_innovation_honor": False,
        "tier_innovative_sme": profile == "giant" or (profile != "weak" and rng.random() < 0.67),
        "tier_sme_size": True, "tier_restricted_products": False,
        "tier_credit_listed": False, "tier_major_incident_3y": False,
        "tier_srdi_special_points": rng.randint(4, 14),
    })  # fmt: skip
    if profile == "near":  # one test just missed
        miss = rng.choice(["revenue", "platform", "ratio", "share"])
        if miss == "revenue":
            yearly["revenue"] = rng.uniform(1300, 1490)
        elif miss == "platform":
            state["tier_platform_score"] = rng.uniform(42, 49.5)
        elif miss == "ratio":
            yearly["ratio"] = rng.uniform(2.4, 2.95)
        else:
            yearly["share"] = rng.uniform(74, 79.5)
        state["tier_innovative_sme"] = True
    return yearly, state


def declared_figures(firms: list[int], year: int) -> list[dict]:
    """apply_figures rows for the enterprises `firms` (ids): yearly figures for year,
    year − 1 and year − 2, the current state declared in `year`, administrative records of
    `year` (the catalog names each feature's provenance)."""
    from gongxin.analytics import catalog

    rows: list[dict] = []

    def add(enterprise_id: int, code: str, period: int, value) -> None:
        number = Decimal(int(value)) if isinstance(value, bool) else _d(float(value))
        rows.append({"enterprise_id": enterprise_id, "feature": code, "period": str(period),
                     "value": number, "provenance": catalog.get(code).provenance,
                     "source": SOURCE})  # fmt: skip

    for enterprise_id in firms:
        rng = _rng(enterprise_id)
        profile = _profile(rng)
        yearly, state = _draw(rng, profile)
        revenue, growth = yearly["revenue"], yearly["growth"]
        for back in range(3):
            if profile == "incomplete" and back == 2:
                continue  # the year before last not declared
            scale = (1 + growth / 100) ** -back
            turnover = revenue * scale
            ratio = yearly["ratio"] if back == 0 else yearly["ratio_prev"]
            rnd = turnover * ratio / 100
            if profile != "weak":
                rnd = max(rnd, rng.uniform(105, 140)) if back < 2 else rnd
            add(enterprise_id, "tier_revenue", year - back, turnover)
            add(enterprise_id, "tier_main_revenue", year - back, turnover * yearly["share"] / 100)
            add(enterprise_id, "tier_rnd_expense", year - back, rnd)
        add(enterprise_id, "tier_debt_ratio", year, yearly["debt"])
        add(enterprise_id, "tier_net_profit_margin", year, rng.uniform(-2, 14))
        add(enterprise_id, "tier_rnd_staff_share", year, rng.uniform(4, 30))
        if profile == "incomplete":
            state.pop("tier_platform_score")  # the platform has not scored it yet
        for code, value in state.items():
            add(enterprise_id, code, year, value)
    return rows


def titles(firms: list[int]) -> list[int]:
    """The `firms` that get a provincial 专精特新 title: the giants."""
    return [pk for pk in firms if _profile(_rng(pk)) == "giant"]


def panel_firms() -> list[int]:
    """About COUNT of the demo panel's active enterprises, chosen with the seed."""
    from gongxin.demo.panel import USCC_PREFIX
    from gongxin.enterprises.models import Enterprise

    ids = list(
        Enterprise.objects.filter(uscc__startswith=USCC_PREFIX, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return sorted(random.Random(SEED).sample(ids, min(COUNT, len(ids))))  # noqa: S311


def load(actor=None, year: int | None = None) -> dict:
    """Write the figures (year: the last full year, by default the one before today's) and
    the srdi titles of the giants (awarded the year before `year`, so valid through the
    assessment year). Idempotent: an unchanged figure or an existing title writes nothing."""
    from django.db import transaction
    from django.utils import timezone

    from gongxin.enterprises.choices import HonorKind, HonorLevel
    from gongxin.enterprises.models import Enterprise, Honor
    from gongxin.enterprises.services import add_honor, apply_figures

    year = year or timezone.localdate().year - 1
    firms = panel_firms()
    with transaction.atomic():
        counts = apply_figures(actor, declared_figures(firms, year), reason="演示数据")
        awarded = 0
        for enterprise in Enterprise.objects.filter(pk__in=titles(firms)):
            kind, level, when = HonorKind.SRDI, HonorLevel.PROVINCIAL, year - 1
            if not Honor.objects.filter(enterprise=enterprise, kind=kind, level=level,
                                        year=when).exists():  # fmt: skip
                add_honor(actor, enterprise, kind=kind, level=level, year=when)
                awarded += 1
    return {"firms": len(firms), "figures": counts.get("created", 0), "titles": awarded}
