"""Disclosure control: fewer than 3 enterprises or one above 85% is hidden, and a lone
hidden cell is protected by hiding the next smallest one too."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from gongxin.analytics.suppression import Cell, is_sensitive, suppress


def by_key(cells):
    return {c.key: (c.suppressed, c.reason) for c in cells}


def test_fewer_than_three_enterprises_is_sensitive():
    assert is_sensitive(2, D(100), D(60))
    assert not is_sensitive(3, D(100), D(40))


def test_one_enterprise_above_85_percent_is_sensitive():
    # 86 of 100 = 86% > 85%
    assert is_sensitive(10, D(100), D(86))
    # 85 of 100 = 85%: not above the threshold
    assert not is_sensitive(10, D(100), D(85))


def test_a_lone_hidden_cell_gets_a_companion_the_smallest_shown_one():
    cells = [
        Cell("A", 2, D(50), D(30)),  # 2 enterprises → hidden
        Cell("B", 10, D(400), D(60)),
        Cell("C", 5, D(120), D(40)),  # smallest shown → hidden too
        Cell("D", 8, D(300), D(70)),
    ]
    result = by_key(suppress(cells))
    assert result["A"] == (True, "少于3家企业")
    assert result["C"] == (True, "防止推算（次级隐藏）")
    assert not result["B"][0] and not result["D"][0]


def test_companions_are_added_until_the_hidden_cells_together_are_safe():
    # A and B are each hidden (2 and 1 enterprise): together 3 enterprises, 100 of 160
    # is one firm = 62.5% ≤ 85% → safe, no companion needed
    cells = [Cell("A", 2, D(60), D(40)), Cell("B", 1, D(100), D(100)), Cell("C", 9, D(500), D(90))]
    assert by_key(suppress(cells)) == {
        "A": (True, "少于3家企业"),
        "B": (True, "少于3家企业"),
        "C": (False, ""),
    }
    # A and B together: 3 enterprises but one holds 200 of 210 = 95% → still revealing:
    # C is hidden as well
    cells = [
        Cell("A", 2, D(10), D(6)),
        Cell("B", 1, D(200), D(200)),
        Cell("C", 9, D(500), D(90)),
        Cell("D", 9, D(900), D(90)),
    ]
    result = by_key(suppress(cells))
    assert result["C"] == (True, "防止推算（次级隐藏）") and not result["D"][0]


def test_without_a_published_total_only_primary_suppression_applies():
    cells = [Cell("A", 2, D(50), D(30)), Cell("B", 10, D(400), D(60))]
    assert by_key(suppress(cells, total_published=False)) == {
        "A": (True, "少于3家企业"),
        "B": (False, ""),
    }


def test_empty_cells_are_not_hidden():
    cells = [Cell("A", 0, D(0), D(0)), Cell("B", 10, D(400), D(60)), Cell("C", 10, D(300), D(60))]
    assert not any(c.suppressed for c in suppress(cells))


# --- properties over random partitions (hypothesis) ------------------------------------------


@st.composite
def partitions(draw):
    cells = []
    for index in range(draw(st.integers(min_value=1, max_value=8))):
        firms = draw(st.lists(st.integers(min_value=1, max_value=10_000), min_size=0, max_size=6))
        cells.append(Cell(f"g{index}", len(firms), D(sum(firms)), D(max(firms, default=0))))
    return cells


@settings(max_examples=300, deadline=None)
@given(partitions())
def test_no_visible_cell_is_sensitive_and_the_hidden_ones_cannot_be_recovered(cells):
    marked = suppress(cells)
    visible = [c for c in marked if not c.suppressed]
    hidden = [c for c in marked if c.suppressed]
    # every figure shown satisfies the rule
    assert not any(is_sensitive(c.enterprises, c.total, c.largest) for c in visible)
    if hidden:
        # total − visible cells = the hidden cells together: that aggregate must itself be
        # safe, and no single hidden cell may be alone (it would equal the difference)
        recovered_count = sum(c.enterprises for c in hidden)
        recovered_total = sum((c.total for c in hidden), D(0))
        largest = max(c.largest for c in hidden)
        everything_hidden = not [c for c in visible if c.enterprises]
        assert everything_hidden or len(hidden) >= 2
        assert everything_hidden or not is_sensitive(recovered_count, recovered_total, largest)
