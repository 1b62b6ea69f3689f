"""The indicator query gives the same numbers on SQLite and DuckDB for a reference
dataset worked out by hand."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

import duckdb
import pytest

from gongxin.analytics.queries import FactSource, indicators, to_sql

# Five enterprises in two clusters, March 2024 YTD vs prior-year same period (万元):
#   A: e1 120 vs 100, e2 80 vs 100, e3 50 vs 40     → ytd 250, prior 240
#   B: e4 300 vs 250, e5 30 vs 30                   → ytd 330, prior 280
#   total                                           → ytd 580, prior 520
ROWS = [
    ("2024-03", "A", 120, 100), ("2024-03", "A", 80, 100), ("2024-03", "A", 50, 40),
    ("2024-03", "B", 300, 250), ("2024-03", "B", 30, 30),
    ("2024-02", "A", 999, 1),  # another month: must not count
]  # fmt: skip
# Hand-computed (percentages; pull in points):
#   A: yoy 250/240−1 = 4.1667%; share 250/580 = 43.1034%; Δ 10 of total Δ 60 → 16.6667%;
#      pull 10/520 = 1.9231 points; growing 2 of 3 (e1, e3) → 66.6667%
#   B: yoy 330/280−1 = 17.8571%; share 56.8966%; Δ 50/60 → 83.3333%; pull 50/520 = 9.6154;
#      growing 1 of 2 → 50%
#   Σ contribution = 100; Σ pull = 11.5385 = total growth 580/520−1; largest firm: A 120, B 300
EXPECTED = {
    "A": (3, 250, 240, "4.1667", "43.1034", "16.6667", "1.9231", "66.6667", 120),
    "B": (2, 330, 280, "17.8571", "56.8966", "83.3333", "9.6154", "50.0000", 300),
}


def quantised(rows):
    q = Decimal("0.0001")
    return {
        r[0]: (
            int(r[1]),
            int(r[2]),
            int(r[3]),
            *(str(Decimal(str(v)).quantize(q)) for v in r[4:9]),
            int(r[9]),
        )
        for r in rows
    }


QUERY = indicators(FactSource("facts"), "2024-03")


def test_sqlite():
    con = sqlite3.connect(":memory:")
    con.execute(
        'CREATE TABLE facts (period TEXT, group_key TEXT, "current" NUMERIC, prior NUMERIC)'
    )
    con.executemany("INSERT INTO facts VALUES (?, ?, ?, ?)", ROWS)
    assert quantised(con.execute(to_sql(QUERY, "sqlite")).fetchall()) == EXPECTED


def test_duckdb():
    con = duckdb.connect()
    con.execute(
        'CREATE TABLE facts (period VARCHAR, group_key VARCHAR, "current" DECIMAL(18,4), prior DECIMAL(18,4))'
    )
    con.executemany("INSERT INTO facts VALUES (?, ?, ?, ?)", ROWS)
    assert quantised(con.sql(to_sql(QUERY, "duckdb")).fetchall()) == EXPECTED


def test_a_zero_denominator_gives_null_not_an_error():
    con = duckdb.connect()
    con.execute(
        'CREATE TABLE facts (period VARCHAR, group_key VARCHAR, "current" DECIMAL(18,4), prior DECIMAL(18,4))'
    )
    con.execute("INSERT INTO facts VALUES ('2024-03', 'new', 10, 0)")
    row = con.sql(to_sql(QUERY, "duckdb")).fetchall()[0]
    assert row[4] is None  # yoy of a group with no prior value


@pytest.mark.parametrize("dialect", ["sqlite", "postgres", "duckdb", "spark"])
def test_the_period_enters_as_a_literal_node_not_as_text(dialect):
    evil = indicators(FactSource("facts"), "2024-03' OR '1'='1")
    sql = to_sql(evil, dialect)
    assert "'2024-03'' OR ''1''=''1'" in sql or "'2024-03\\' OR \\'1\\'=\\'1'" in sql


def test_the_live_database(db):
    """On whichever database the suite runs against (SQLite, then PostgreSQL)."""
    from django.db import connection

    dialect = {"sqlite": "sqlite", "postgresql": "postgres"}[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(
            'CREATE TABLE facts (period VARCHAR(7), group_key VARCHAR(20), "current" NUMERIC(18,4), prior NUMERIC(18,4))'
        )
        for row in ROWS:
            cursor.execute("INSERT INTO facts VALUES (%s, %s, %s, %s)", row)
        cursor.execute(to_sql(QUERY, dialect))
        assert quantised(cursor.fetchall()) == EXPECTED
