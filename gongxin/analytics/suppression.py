"""Statistical disclosure control for aggregates shown outside the statistics role.

Statistics Law (DOMAIN.md "Data protection"): an aggregate that identifies or lets one
infer a single enterprise must not be disclosed. A cell is *sensitive* when fewer than
`min_count` enterprises contribute (default 3) or one enterprise holds more than
`dominance` of its total (default 85%). Sensitive cells are suppressed (primary); and
because a partition is published with its total, a lone suppressed cell could be
recovered by subtraction, so further cells are suppressed, smallest first, until the
suppressed cells together are themselves not sensitive (secondary suppression).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal


@dataclass(frozen=True)
class Cell:
    key: str
    enterprises: int
    total: Decimal  # the measure's sum over the cell's enterprises
    largest: Decimal  # the largest single enterprise's value in the cell
    suppressed: bool = False
    reason: str = ""


def is_sensitive(
    enterprises: int,
    total: Decimal,
    largest: Decimal,
    *,
    min_count: int = 3,
    dominance: Decimal = Decimal("0.85"),
) -> bool:
    if enterprises == 0:
        return False
    if enterprises < min_count:
        return True
    return total > 0 and largest / total > dominance


def suppress(
    cells: Sequence[Cell],
    *,
    min_count: int = 3,
    dominance: Decimal = Decimal("0.85"),
    total_published: bool = True,
) -> list[Cell]:
    """Mark the cells of one partition that must not be shown, with the reason in Chinese."""
    marked = []
    for cell in cells:
        if cell.enterprises and cell.enterprises < min_count:
            marked.append(replace(cell, suppressed=True, reason=f"少于{min_count}家企业"))
        elif is_sensitive(
            cell.enterprises, cell.total, cell.largest, min_count=min_count, dominance=dominance
        ):
            marked.append(replace(cell, suppressed=True, reason="单一企业占比过高"))
        else:
            marked.append(cell)
    if not total_published or not any(c.suppressed for c in marked):
        return marked
    while True:
        hidden = [c for c in marked if c.suppressed]
        count = sum(c.enterprises for c in hidden)
        total = sum((c.total for c in hidden), Decimal(0))
        largest = max((c.largest for c in hidden), default=Decimal(0))
        if len(hidden) >= 2 and not is_sensitive(
            count, total, largest, min_count=min_count, dominance=dominance
        ):
            return marked
        shown = [c for c in marked if not c.suppressed and c.enterprises]
        if not shown:
            return marked  # everything is hidden; nothing left to protect with
        smallest = min(shown, key=lambda c: (c.total, c.key))
        marked = [
            replace(c, suppressed=True, reason="防止推算（次级隐藏）") if c is smallest else c
            for c in marked
        ]
