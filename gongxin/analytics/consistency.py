"""Consistency check of a published breakdown of growth (DOMAIN.md, "Industrial statistics").

Bulletins print, per group (an industry, the 倍增 enterprises, …), some of: its growth,
its share of the total, its 贡献率 and its 拉动; and the total's growth. They sometimes
contradict themselves — a stated 贡献率 that the same bulletin's 拉动 does not imply. This
module estimates each group's 拉动 every way the figures allow:

- as stated;
- total growth × 贡献率 ÷ 100;
- base weight × growth ÷ 100, base weight = current share × (1 + total growth) ÷
  (1 + growth);

and calls the group inconsistent when any two estimates differ by more than the tolerance
(0.15 point by default; the setting PUBLISHED_CONSISTENCY_TOLERANCE_POINTS). Estimates are
compared in points of total growth, not in 贡献率 percent: a 贡献率 on a small total
magnifies rounding, so comparing percents would raise false alarms.

The estimate from the share is only approximate when the share is of current-price values
and growth is at comparable prices (增加值): a flag on it says "not recomputable", not
"wrong", and its message says so.

Pure: a mapping in, a JSON-ready dict out. Published figures are best passed as Decimals
(parse JSON with parse_float=Decimal) so that a difference of exactly the tolerance is
not flagged through float noise.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from gongxin.analytics import formulas

DEFAULT_TOLERANCE_POINTS = Decimal("0.15")
FIELDS = ("growth", "share", "contribution", "pull")
FIELD_LABELS = {"growth": "增速", "share": "占比", "contribution": "贡献率", "pull": "拉动"}

# How each estimate of the pull is named in a message.
STATED = "stated"
FROM_CONTRIBUTION = "from_contribution"
FROM_GROWTH = "from_growth"
ESTIMATE_LABELS = {
    STATED: "所述拉动",
    FROM_CONTRIBUTION: "贡献率推算的",
    FROM_GROWTH: "增速和占比推算的",
}
PRICE_CAVEAT = (
    "（占比按现价、增速按可比价计算时，增速与占比的推算只能近似，此差异说明无法复算，不一定有误）"
)

CENT = Decimal("0.01")


class BreakdownError(ValueError):
    """The breakdown is not shaped as expected; the message is in Chinese."""


def _number(value: Any, where: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise BreakdownError(f"{where}应为数字，实际为“{value}”。")
    number = value if isinstance(value, Decimal) else Decimal(repr(value))
    if not number.is_finite():
        raise BreakdownError(f"{where}应为有限的数字，实际为“{value}”。")
    return number


def _decimal(value: Decimal | float | None) -> Decimal | None:
    # The formulas return Decimals for Decimal inputs; this narrows the type for mypy.
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(repr(value))


def _rounded(value: Decimal | None) -> float | None:
    return None if value is None else float(value.quantize(CENT, rounding=ROUND_HALF_UP))


def fmt_points(value: Decimal) -> str:
    """A value to 2 decimals as a bulletin would print it: 1.20 → "1.2", 0.864 → "0.86"."""
    text = f"{value.quantize(CENT, rounding=ROUND_HALF_UP):f}"
    if text.endswith("0"):
        text = text[:-1]
    return "0.0" if text in ("-0.0", "-0.00") else text


def _describe(kind: str, value: Decimal) -> str:
    return f"{ESTIMATE_LABELS[kind]}{fmt_points(value)}个百分点"


def pull_estimates(
    figures: Mapping[str, Decimal | None], total_growth: Decimal | None
) -> dict[str, Decimal | None]:
    """Every estimate of a group's 拉动 (points) that its figures and the total growth allow."""
    growth, share, contribution, pull = (figures.get(k) for k in FIELDS)
    from_contribution = from_growth = None
    if total_growth is not None and contribution is not None:
        from_contribution = _decimal(formulas.pull_from_contribution(total_growth, contribution))
    if total_growth is not None and share is not None and growth is not None:
        from_growth = _decimal(formulas.pull_from_growth(share, total_growth, growth))
    return {STATED: pull, FROM_CONTRIBUTION: from_contribution, FROM_GROWTH: from_growth}


def check_group(
    figures: Mapping[str, Decimal | None],
    total_growth: Decimal | None,
    tolerance: Decimal = DEFAULT_TOLERANCE_POINTS,
) -> dict[str, Any]:
    """One group's verdict: consistent, implied pull and contribution, message, estimates.

    implied_pull is the pull the group's other figures imply (from its 贡献率, else from its
    growth and share); implied_contribution is the 贡献率 its other figures imply (from its
    stated 拉动, else from growth and share): pull ÷ total growth × 100.
    """
    estimates = pull_estimates(figures, total_growth)
    known = [(kind, value) for kind, value in estimates.items() if value is not None]
    gaps = []
    widest = Decimal(0)
    for i, (kind_a, a) in enumerate(known):
        for kind_b, b in known[i + 1 :]:
            gap = abs(a - b)
            widest = max(widest, gap)
            if gap > tolerance:
                gaps.append((kind_a, a, kind_b, b, gap))

    if gaps:
        parts = [
            f"{_describe(ka, a)}与{_describe(kb, b)}相差{fmt_points(gap)}个百分点"
            for ka, a, kb, b, gap in gaps
        ]
        message = "；".join(parts)
        if any(FROM_GROWTH in (ka, kb) for ka, _, kb, _, _ in gaps):
            message += PRICE_CAVEAT
    elif len(known) >= 2:
        message = f"各项推算的拉动相符（最大相差{fmt_points(widest)}个百分点）"
    else:
        message = _why_unchecked(figures, total_growth, len(known))

    implied_pull = estimates[FROM_CONTRIBUTION]
    if implied_pull is None:
        implied_pull = estimates[FROM_GROWTH]
    implied_contribution = None
    basis = estimates[STATED] if estimates[STATED] is not None else estimates[FROM_GROWTH]
    if total_growth is not None and basis is not None:
        implied_contribution = _decimal(formulas.contribution_from_pull(total_growth, basis))

    return {
        "consistent": not gaps,
        "implied_pull": _rounded(implied_pull),
        "implied_contribution": _rounded(implied_contribution),
        "message": message,
        "estimates": {kind: _rounded(value) for kind, value in estimates.items()},
    }


def _why_unchecked(
    figures: Mapping[str, Decimal | None], total_growth: Decimal | None, estimates: int
) -> str:
    given = [FIELD_LABELS[k] for k in FIELDS if figures.get(k) is not None]
    have = f"仅有{'、'.join(given)}" if given else "没有任何数据"
    need = "" if total_growth is not None else "且缺少总体增速"
    if estimates == 1:
        return f"{have}{need}，只有一种拉动估计，无法核对"
    return f"{have}{need}，无法推算拉动"


def check_breakdown(
    breakdown: Mapping[str, Any], tolerance: Decimal | float | int = DEFAULT_TOLERANCE_POINTS
) -> dict[str, Any]:
    """Check a published breakdown.

    breakdown: {"total_growth": 9.6, "groups": [{"name", "growth", "share", "contribution",
    "pull"}]} — every figure optional; rates in percent, 拉动 in points, as published; the
    share is the current period's.
    Returns {"consistent", "tolerance_points", "groups": [{"name", "consistent",
    "implied_pull", "implied_contribution", "message", "estimates"}]}; raises
    BreakdownError when the shape is wrong.
    """
    if not isinstance(breakdown, Mapping):
        raise BreakdownError("输入应为一个 JSON 对象，含 total_growth 和 groups。")
    groups = breakdown.get("groups")
    if not isinstance(groups, list):
        raise BreakdownError("输入缺少 groups 列表。")
    total_growth = _number(breakdown.get("total_growth"), "total_growth（总体增速）")
    tol = tolerance if isinstance(tolerance, Decimal) else Decimal(repr(tolerance))

    results = []
    for index, group in enumerate(groups, start=1):
        if not isinstance(group, Mapping):
            raise BreakdownError(f"第{index}组应为 JSON 对象。")
        name = group.get("name")
        where = f"第{index}组“{name}”的" if name is not None else f"第{index}组的"
        figures = {
            key: _number(group.get(key), f"{where}{key}（{FIELD_LABELS[key]}）") for key in FIELDS
        }
        results.append({"name": name, **check_group(figures, total_growth, tol)})
    return {
        "consistent": all(r["consistent"] for r in results),
        "tolerance_points": float(tol),
        "groups": results,
    }
