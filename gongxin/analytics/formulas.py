"""The statistical formulas of the engine, as pure functions on plain numbers.

Conventions shared by every function here (DESIGN.md "The engine", DOMAIN.md
"Industrial statistics"):

- Inputs are plain numbers: int, float or Decimal, freely mixed. Values are sums over one
  enterprise set (同口径): the current period's year-to-date value and the same
  enterprises' prior-year same-period value.
- Rates come back as percentages (1.9 means 1.9%); 拉动 comes back in percentage points
  (个百分点).
- Decimal-safe: the arithmetic is done in Decimal (a float enters through its shortest
  repr, so 0.1 stays 0.1). The result is a Decimal when any input is a Decimal, a float
  otherwise. Nothing is rounded here: display rounding belongs to the caller.
- A zero denominator, or an input that is not a finite number (NaN, ±inf), gives None;
  these functions never raise on numbers. The SQL the engine emits guards every division
  the same way, so Python and SQL agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

Number = int | float | Decimal
Result = Decimal | float | None

HUNDRED = Decimal(100)
ONE = Decimal(1)


def _dec(value: Number) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def _decimals(*values: Number) -> tuple[list[Decimal], bool] | None:
    """The values as Decimals and whether the caller gave any Decimal; None if not finite."""
    converted = [_dec(v) for v in values]
    if not all(d.is_finite() for d in converted):
        return None
    return converted, any(isinstance(v, Decimal) for v in values)


def _out(value: Decimal | None, as_decimal: bool) -> Result:
    if value is None:
        return None
    return value if as_decimal else float(value)


def _percent(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    if denominator == 0:
        return None
    return numerator / denominator * HUNDRED


def yoy(cur: Number, prior: Number) -> Result:
    """同比增长 (year-on-year growth), in percent.

    growth = (Σcurrent ÷ Σprior − 1) × 100, where both sums are year-to-date values of
    the same enterprise set (同口径); the growth of Jan–M is computed from cumulative
    values, never averaged from monthly rates. None when prior is 0.

    A negative base (e.g. a prior-year loss) gives a number whose sign means little;
    publications print no growth rate then, and neither should a display.
    """
    got = _decimals(cur, prior)
    if got is None:
        return None
    (c, p), as_decimal = got
    return _out(_percent(c - p, p), as_decimal)


def share(sub: Number, total: Number) -> Result:
    """占比 (share), in percent: Σcurrent(sub) ÷ Σcurrent(total) × 100. None when total is 0."""
    got = _decimals(sub, total)
    if got is None:
        return None
    (s, t), as_decimal = got
    return _out(_percent(s, t), as_decimal)


def contribution(sub_cur: Number, sub_prior: Number, tot_cur: Number, tot_prior: Number) -> Result:
    """贡献率 (contribution to growth), in percent.

    contribution = Δsub ÷ Δtotal × 100 = (sub_cur − sub_prior) ÷ (tot_cur − tot_prior) × 100.
    Over a full partition of the total the contributions sum to 100; a shrinking component
    (Δsub < 0 while the total grows) has a negative contribution. None when the total did
    not change.
    """
    got = _decimals(sub_cur, sub_prior, tot_cur, tot_prior)
    if got is None:
        return None
    (sc, sp, tc, tp), as_decimal = got
    return _out(_percent(sc - sp, tc - tp), as_decimal)


def pull_points(sub_cur: Number, sub_prior: Number, tot_prior: Number) -> Result:
    """拉动 (pull on total growth), in percentage points (个百分点).

    pull = Δsub ÷ Σprior(total) × 100 = (sub_cur − sub_prior) ÷ tot_prior × 100
         = total growth × 贡献率 ÷ 100 = base weight × component growth.
    Over a full partition the pulls sum to the total's growth; a shrinking component has a
    negative pull. None when the total's base is 0.
    """
    got = _decimals(sub_cur, sub_prior, tot_prior)
    if got is None:
        return None
    (sc, sp, tp), as_decimal = got
    return _out(_percent(sc - sp, tp), as_decimal)


def growth_face(growths: Iterable[Number | None]) -> Result:
    """增长面 (breadth of growth), in percent.

    growth face = number of items (enterprises or industries) with growth > 0 ÷ number of
    items with a known growth × 100. None growths (no base, not reported) and non-finite
    ones are left out of both counts; zero growth is not positive. None when no item has a
    known growth. A Decimal comes back when any growth is a Decimal.
    """
    known: list[Decimal] = []
    as_decimal = False
    for g in growths:
        if g is None:
            continue
        d = _dec(g)
        if not d.is_finite():
            continue
        as_decimal = as_decimal or isinstance(g, Decimal)
        known.append(d)
    positive = sum(1 for d in known if d > 0)
    return _out(_percent(Decimal(positive), Decimal(len(known))), as_decimal)


# Estimates used by the consistency check of published breakdowns (DOMAIN.md): each takes
# the figures as a bulletin prints them — rates in percent, pulls in points.


def pull_from_contribution(total_growth: Number, contribution_pct: Number) -> Result:
    """拉动 implied by a 贡献率, in points: total growth × 贡献率 ÷ 100.

    Follows from 贡献率 = Δsub ÷ Δtotal × 100 and total growth = Δtotal ÷ prior total × 100.
    """
    got = _decimals(total_growth, contribution_pct)
    if got is None:
        return None
    (g, c), as_decimal = got
    return _out(g * c / HUNDRED, as_decimal)


def contribution_from_pull(total_growth: Number, pull: Number) -> Result:
    """贡献率 implied by a 拉动, in percent: 拉动 ÷ total growth × 100. None when growth is 0."""
    got = _decimals(total_growth, pull)
    if got is None:
        return None
    (g, p), as_decimal = got
    return _out(_percent(p, g), as_decimal)


def _base_weight(s: Decimal, tg: Decimal, g: Decimal) -> Decimal | None:
    divisor = ONE + g / HUNDRED
    if divisor == 0:
        return None
    return s * (ONE + tg / HUNDRED) / divisor


def base_weight(share_pct: Number, total_growth: Number, growth: Number) -> Result:
    """The component's weight in the total's base period, in percent.

    base weight = Σprior(sub) ÷ Σprior(total) × 100
                = current share × (1 + total growth) ÷ (1 + component growth),
    since prior = current ÷ (1 + growth) for the component and for the total; growths are
    in percent, so 1 + growth is 1 + growth ÷ 100. None when the component's growth is
    −100% (nothing left this period).
    """
    got = _decimals(share_pct, total_growth, growth)
    if got is None:
        return None
    (s, tg, g), as_decimal = got
    return _out(_base_weight(s, tg, g), as_decimal)


def pull_from_growth(share_pct: Number, total_growth: Number, growth: Number) -> Result:
    """拉动 implied by a component's current share and growth, in points.

    pull = base weight × component growth ÷ 100, base weight as in `base_weight`.
    The share must be the current period's. Shares of current-price values next to growth
    at comparable prices make this estimate approximate when sector prices moved apart.
    None when the component's growth is −100%.
    """
    got = _decimals(share_pct, total_growth, growth)
    if got is None:
        return None
    (s, tg, g), as_decimal = got
    weight = _base_weight(s, tg, g)
    return _out(None if weight is None else weight * g / HUNDRED, as_decimal)
