"""Classes from the ranked scores, in a documented order (tested in test_classes.py):

1. Exempt firms (a flag with effect "exempt") are T: not scored, ranked or counted.
2. The others are ranked by total score, highest first (equal totals: by USCC, so the
   order is the same on every run).
3. Vetoes first: a firm with a flag whose effect is "best" (an accident, a missed energy
   target → cannot be A/B) is set aside. The rest R are classed by the scheme's method —
   score lines, or rank shares over |R| (A: the first ⌊a%·|R|⌋, B: up to ⌊(a+b)%·|R|⌋,
   D: the last ⌈d%·|R|⌉, C: between).
4. Protection: a firm of R with a flag whose effect is "worst" (new firm, last year's
   小升规, under construction → cannot be D) that fell below its floor takes the floor.
5. Quotas over R: more than ⌊A_max%·|R|⌋ A firms → the lowest-scoring A become B; fewer
   than ⌈D_min%·|R|⌉ D firms → the lowest-scoring unprotected firms of R become D.
6. A vetoed firm takes the class its score would have had among R (the class of the
   highest-scoring firm of R at or below its score; lines decide directly under the
   score-line method), capped by its veto and floored by any protection. It is never
   backfilled into A/B, and its place in R's shares is not given to anyone else.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field
from decimal import Decimal

from gongxin.evaluation.engine import Scored

ORDER = "ABCD"


@dataclass
class Classed:
    klass: str
    rank: int | None
    reason: dict = field(default_factory=dict)


def worse(a: str, b: str) -> str:
    return a if ORDER.index(a) >= ORDER.index(b) else b


def better(a: str, b: str) -> str:
    return a if ORDER.index(a) <= ORDER.index(b) else b


def assign(scored: list[Scored], rules: dict) -> dict[int, Classed]:
    out: dict[int, Classed] = {}
    restrictions = rules["restrictions"]
    for firm in scored:
        if firm.exempt:
            flags = [
                r["flag"]
                for r in restrictions
                if r["effect"] == "exempt" and firm.flags.get(r["flag"])
            ]
            out[firm.enterprise_id] = Classed("T", None, {"rule": "exempt", "flags": flags})
    ranked = sorted((f for f in scored if not f.exempt), key=lambda f: (-(f.total or 0), f.uscc))
    limits = {f.enterprise_id: _limits(f, restrictions) for f in ranked}
    rest = [f for f in ranked if limits[f.enterprise_id][0] == "A"]
    vetoed = [f for f in ranked if limits[f.enterprise_id][0] != "A"]
    base = _base(rest, rules["classes"])
    for firm in rest:
        klass, reason = base[firm.enterprise_id]
        _, floor, protecting = limits[firm.enterprise_id]
        if worse(klass, floor) != floor:
            reason = {"rule": "protected", "flags": protecting, "worst": floor, "would_be": klass}
            klass = floor
        out[firm.enterprise_id] = Classed(klass, None, reason)
    _quotas(rest, out, rules["classes"].get("quotas", {}), limits)
    for firm in vetoed:
        best, floor, protecting = limits[firm.enterprise_id]
        would_be = _would_be(firm, rest, out, rules["classes"])
        klass = better(worse(would_be, best), floor)
        flags = [
            r["flag"] for r in restrictions if r["effect"] == "best" and firm.flags.get(r["flag"])
        ]
        out[firm.enterprise_id] = Classed(
            klass, None, {"rule": "veto", "flags": flags, "best": best, "would_be": would_be}
        )
    for rank, firm in enumerate(ranked, 1):
        out[firm.enterprise_id].rank = rank
    return out


def _limits(firm: Scored, restrictions: list[dict]) -> tuple[str, str, list[str]]:
    """(best class allowed, worst class allowed, the protecting flags)."""
    best, floor, protecting = "A", "D", []
    for r in restrictions:
        if not firm.flags.get(r["flag"]):
            continue
        if r["effect"] == "best":
            best = worse(best, r["class"])
        elif r["effect"] == "worst":
            floor = better(floor, r["class"])
            protecting.append(r["flag"])
    return best, floor, protecting


def _base(rest: list[Scored], rule: dict) -> dict[int, tuple[str, dict]]:
    out = {}
    n = len(rest)
    if rule["method"] == "thresholds":
        lines = {k: Decimal(v) for k, v in rule["thresholds"].items()}
        for firm in rest:
            total = firm.total or Decimal(0)
            klass = next((k for k in "ABC" if total >= lines[k]), "D")
            out[firm.enterprise_id] = (
                klass,
                {"rule": "threshold", "line": rule["thresholds"].get(klass)},
            )
        return out
    shares = {k: Decimal(v) for k, v in rule["shares"].items()}
    a_end = math.floor(shares["A"] * n / 100)
    b_end = math.floor((shares["A"] + shares["B"]) * n / 100)
    c_end = n - math.ceil(shares["D"] * n / 100)
    for position, firm in enumerate(rest, 1):
        klass = ("A" if position <= a_end else "B" if position <= b_end
                 else "C" if position <= c_end else "D")  # fmt: skip
        out[firm.enterprise_id] = (klass, {"rule": "share", "position": position, "of": n})
    return out


def _quotas(rest: list[Scored], out: dict[int, Classed], quotas: dict, limits: dict) -> None:
    n = len(rest)
    if "A_max" in quotas:
        allowed = math.floor(Decimal(quotas["A_max"]) * n / 100)
        in_a = [f for f in rest if out[f.enterprise_id].klass == "A"]
        for firm in in_a[allowed:]:  # rest is ranked: the lowest-scoring A firms go down
            out[firm.enterprise_id] = Classed(
                "B", None, {"rule": "quota_a", "limit": allowed, "of": n}
            )
    if "D_min" in quotas:
        needed = math.ceil(Decimal(quotas["D_min"]) * n / 100)
        have = sum(1 for f in rest if out[f.enterprise_id].klass == "D")
        for firm in reversed(rest):
            if have >= needed:
                break
            if out[firm.enterprise_id].klass == "D" or limits[firm.enterprise_id][1] != "D":
                continue
            out[firm.enterprise_id] = Classed(
                "D", None, {"rule": "quota_d", "minimum": needed, "of": n}
            )
            have += 1


def _would_be(firm: Scored, rest: list[Scored], out: dict[int, Classed], rule: dict) -> str:
    total = firm.total or Decimal(0)
    if rule["method"] == "thresholds":
        lines = {k: Decimal(v) for k, v in rule["thresholds"].items()}
        return next((k for k in "ABC" if total >= lines[k]), "D")
    if not rest:
        return "C"
    # rest is ranked highest first: the first firm at or below `total`, by bisection
    position = bisect.bisect_left(rest, -total, key=lambda other: -(other.total or Decimal(0)))
    return out[rest[min(position, len(rest) - 1)].enterprise_id].klass
