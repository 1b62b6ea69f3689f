"""Indicator queries built as sqlglot expression trees (never by string concatenation):
written once in the DuckDB dialect, transpiled to the backend holding the data.

The input is a fact relation with one row per enterprise and period:
    (period, group_key, current, prior)
where `current` and `prior` are the YTD value and the prior-year same-period YTD value the
enterprise reported on this year's form (同口径). The output has one row per group with
the statistical indicators of DESIGN.md, every division guarded so a zero denominator
gives NULL on every backend.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp

DIALECTS = {
    "live-sqlite": "sqlite",
    "live-postgresql": "postgres",
    "duckdb": "duckdb",
    "spark": "spark",
}


@dataclass(frozen=True)
class FactSource:
    """Where the facts are: a table (or view) and the names of its columns."""

    table: str | exp.Query  # a table name, or a SELECT producing the columns below
    period: str = "period"
    group: str = "group_key"
    current: str = "current"
    prior: str = "prior"


def _col(name: str, table: str | None = None) -> exp.Column:
    return exp.column(exp.to_identifier(name), table=exp.to_identifier(table) if table else None)


def _div(numerator: exp.Expression, denominator: exp.Expression) -> exp.Expression:
    """numerator / NULLIF(denominator, 0): NULL rather than an error (Spark ANSI raises)."""
    return exp.Div(
        this=exp.paren(numerator, copy=False),
        expression=exp.Nullif(this=denominator, expression=exp.Literal.number(0)),
    )


def _pct(expression: exp.Expression) -> exp.Expression:
    return exp.Mul(this=exp.Paren(this=expression), expression=exp.Literal.number(100))


def _total(column: str) -> exp.Expression:
    """SUM(column) OVER (): the whole population's value beside each group."""
    return exp.Window(this=exp.Sum(this=_col(column)), over="OVER")


def _relation(source: FactSource) -> exp.Expression:
    if isinstance(source.table, exp.Query):
        return source.table.subquery("f")
    return exp.to_table(source.table)


def _population_totals(population: FactSource, period: str) -> exp.Select:
    return (
        exp.select(
            exp.alias_(exp.Sum(this=_col(population.current)), "tot_ytd"),
            exp.alias_(exp.Sum(this=_col(population.prior)), "tot_prior"),
        )
        .from_(_relation(population))
        .where(exp.EQ(this=_col(population.period), expression=exp.Literal.string(period)))
    )


def indicators(source: FactSource, period: str, population: FactSource | None = None) -> exp.Select:
    """Per group: enterprises, ytd, prior_ytd, yoy, share, contribution, pull_points,
    growth_face (percentages: 1.9 means 1.9%; pull in percentage points).

    Share, contribution and pull are against `population` (the whole register) when given:
    groups that overlap (clusters, programs) or leave firms out (towns) do not add up to
    the total. Without it the groups are taken to be a partition of the population.
    """
    cur, prior = _col(source.current), _col(source.prior)
    grouped = (
        exp.select(
            exp.alias_(_col(source.group), "grp"),
            exp.alias_(exp.Count(this=exp.Star()), "enterprises"),
            exp.alias_(exp.Sum(this=cur), "ytd"),
            exp.alias_(exp.Sum(this=prior), "prior_ytd"),
            exp.alias_(exp.Max(this=cur), "largest"),
            exp.alias_(
                exp.Sum(
                    this=exp.If(
                        this=exp.GT(this=cur, expression=prior),
                        true=exp.Literal.number(1),
                        false=exp.Literal.number(0),
                    )
                ),
                "growing",
            ),
        )
        .from_(_relation(source))
        .where(exp.EQ(this=_col(source.period), expression=exp.Literal.string(period)))
        .group_by(_col(source.group))
    )
    ytd, prior_ytd = _col("ytd"), _col("prior_ytd")
    delta = exp.Sub(this=ytd, expression=prior_ytd)
    if population is None:
        tot_ytd, tot_prior = _total("ytd"), _total("prior_ytd")
    else:
        tot_ytd, tot_prior = _col("tot_ytd", "t"), _col("tot_prior", "t")
    total_delta = exp.Sub(this=tot_ytd, expression=tot_prior)
    query = (
        exp.select(
            _col("grp"), _col("enterprises"), ytd, prior_ytd,
            exp.alias_(_pct(exp.Sub(this=_div(ytd, prior_ytd), expression=exp.Literal.number(1))), "yoy"),
            exp.alias_(_pct(_div(ytd, tot_ytd)), "share"),
            exp.alias_(_pct(_div(delta, total_delta)), "contribution"),
            exp.alias_(_pct(_div(delta, tot_prior)), "pull_points"),
            exp.alias_(_pct(_div(_col("growing"), _col("enterprises"))), "growth_face"),
            _col("largest"),
        )
        .from_(grouped.subquery("g"))
        .order_by(exp.Ordered(this=ytd, desc=True))
    )  # fmt: skip
    if population is not None:
        query = query.join(_population_totals(population, period).subquery("t"), join_type="cross")
    return query


def to_sql(query: exp.Expression, dialect: str) -> str:
    """The query in a backend's dialect ("sqlite", "postgres", "duckdb", "spark")."""
    return query.sql(dialect=dialect, identify=True)
