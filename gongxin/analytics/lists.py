"""The engine over one list of enterprises (a cluster family, an analyst's own list):
a single row against the whole register, on the live database.

A custom list is the statistics role's tool only: the same list with and without one
enterprise would reveal that enterprise, so pages offer it to the analyst alone, and
fixed lists shown to others (families) are suppressed by their callers."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

from gongxin.analytics import facts, runners
from gongxin.analytics.queries import FactSource, indicators, to_sql


def list_row(
    enterprise_ids: Sequence[int], period: str, measure: str = "output"
) -> runners.IndicatorRow:
    from gongxin.enterprises.industries import section_ranges

    ranges = section_ranges()
    relation = facts.facts("list", measure, period, ranges, members=enterprise_ids)
    population = FactSource(facts.facts("total", measure, period, ranges))
    query = indicators(FactSource(relation), period, population)
    with connection.cursor() as cursor:
        cursor.execute(to_sql(query, runners.live_dialect()))
        found = cursor.fetchall()
    if not found:  # none of the list is on the register this year, or none reported
        return runners.IndicatorRow("list", "", 0, None, None, None, None, None, None, None, None)
    return runners.IndicatorRow("list", "", *found[0][1:])
