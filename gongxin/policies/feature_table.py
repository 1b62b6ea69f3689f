"""The features one matching run reads, as one table: a row per active enterprise, a column
per (feature, year) any clause of the run names. Clauses compile against this table
(`compiler.compile_clause`) and scan it without joins; the table itself is built by one
query over the Django tables (`FeatureTable.query`), which a backend materialises once per
run (DuckDB, Spark) or attaches to each clause query as a WITH (the live database).

Why: compiled against the source tables, every clause joined the same figures, survey
rows and scale records again — 200 clauses over 1M enterprises were ~600 million-row hash
joins. Here those joins happen once, and each clause is a scan (bench/RESULTS.md).

Column names are built from catalog codes and honor kinds (both checked against fixed
lists before they get here), never from user text, and are quoted when rendered.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlglot import exp

from gongxin.analytics import catalog
from gongxin.policies import features

NAME = "policy_features"
ZERO, ONE = exp.Literal.number(0), exp.Literal.number(1)


def col(name: str, table: str | None = None) -> exp.Column:
    return exp.column(exp.to_identifier(name), table=exp.to_identifier(table) if table else None)


def string(value: str) -> exp.Literal:
    return exp.Literal.string(value)


def flag(condition: exp.Expression) -> exp.Expression:
    return exp.Case(ifs=[exp.If(this=condition, true=ONE.copy())], default=ZERO.copy())


def rounded(value: exp.Expression, places: int) -> exp.Expression:
    """Computed values rounded to the stored precision, so a growth of exactly 15% (345000
    over 300000) is 15 and not 14.999999999999991 where the engine divides in floating
    point (SQLite): a threshold "不低于15%" must hold at 15."""
    # through DECIMAL: PostgreSQL has no ROUND(double precision, n)
    as_decimal = exp.cast(value, exp.DataType.build("DECIMAL(38, 12)"))
    return exp.Round(this=as_decimal, decimals=exp.Literal.number(places))


def figure_period(code: str, year: int) -> str:
    rule = catalog.get(code).period_rule
    if rule == "quarter":
        return f"{year}-Q1"
    if rule == "year":
        return str(year - 1)
    return str(year)


@dataclass
class FeatureTable:
    """Filled by the compiler (`value`, `honor`), then rendered by `query`."""

    survey_period: str | None
    columns: dict[str, exp.Expression] = field(default_factory=dict)
    figures: dict[str, tuple[str, str, str]] = field(
        default_factory=dict
    )  # feature, period, source
    survey: set[str] = field(default_factory=set)
    scale_years: dict[str, int] = field(default_factory=dict)
    honors: dict[str, tuple[str, int]] = field(default_factory=dict)  # kind, up to year
    evaluation_years: dict[str, int] = field(default_factory=dict)  # the data year read

    # --- what clauses read ----------------------------------------------------------------
    def value(self, code: str, year: int) -> exp.Column:
        """The column holding feature `code` for a clause of `year`."""
        source = features.source_of(code)
        if source is None:
            raise ValueError(code)
        name = code if source.kind in ("registry", "survey") else f"{code}__{year}"
        if name not in self.columns:
            self.columns[name] = self._expression(code, year)
        return col(name, "t")

    def division(self) -> exp.Column:
        """The 2-digit 大类 of the industry code as an integer (NULL when blank): sections
        and divisions compare as integers, several times cheaper than substrings."""
        name = "industry_division"
        if name not in self.columns:
            two = exp.Substring(this=col("industry_code", "e"), start=ONE.copy(),
                                length=exp.Literal.number(2))  # fmt: skip
            self.columns[name] = exp.cast(exp.Nullif(this=two, expression=string("")), "INT")
        return col(name, "t")

    def honor(self, kind: str, year: int) -> exp.Column:
        """1 when the enterprise holds `kind` awarded in `year` or before, else 0."""
        name = f"honor__{kind}__{year}"
        if name not in self.columns:
            self.honors[name] = (kind, year)
            self.columns[name] = exp.Coalesce(this=col(name, "h"), expressions=[ZERO.copy()])
        return col(name, "t")

    def _expression(self, code: str, year: int) -> exp.Expression:
        """The value over the joined sources (e, f, s, r, c, h in `query`)."""
        source = features.source_of(code)
        if source is None:
            raise ValueError(code)
        if source.kind == "registry":
            return col(source.args[0], "e")
        if source.kind == "figure":
            name = f"{code}__{year}"
            self.figures[name] = (code, figure_period(code, year), catalog.get(code).provenance)
            return col(name, "f")
        if source.kind == "survey":
            self.survey.add(code)
            return col(code, "s")
        if source.kind == "diff":
            a, b = (self._expression(x, year) for x in source.args)
            return rounded(exp.Sub(this=exp.paren(a), expression=exp.paren(b)), 4)
        if source.kind == "yoy":
            a, b = (self._expression(x, year) for x in source.args)
            ratio = exp.Div(
                this=exp.paren(a), expression=exp.Nullif(this=b.copy(), expression=ZERO.copy())
            )
            growth = exp.Mul(this=exp.paren(exp.Sub(this=ratio, expression=ONE.copy())),
                             expression=exp.Literal.number(100))  # fmt: skip
            # no rate on a missing or negative base: publications print none either
            return exp.Case(ifs=[exp.If(this=exp.GT(this=b, expression=ZERO.copy()),
                                        true=rounded(growth, 6))])  # fmt: skip
        if source.kind == "evaluation_class":
            name = f"evaluation_class__{year}"
            self.evaluation_years[name] = year - 1
            return col(name, "c")
        if source.kind == "above_scale":
            name = f"above_scale__{year}"
            self.scale_years[name] = year
            return exp.Coalesce(this=col(name, "r"), expressions=[ZERO.copy()])
        raise ValueError(f"{code}: {source.kind} has no single value")

    # --- the table ------------------------------------------------------------------------
    def query(self) -> exp.Select:
        """One row per active enterprise: enterprise_id, uscc, name and the columns read."""
        select = exp.select(
            col("id", "e").as_("enterprise_id"), col("uscc", "e").as_("uscc"),
            col("name", "e").as_("name"),
            *(expression.copy().as_(name) for name, expression in self.columns.items()),
        ).from_(exp.alias_(exp.to_table("enterprises_enterprise"), "e", table=True))  # fmt: skip
        for alias, sub in self._pivots():
            select = select.join(
                sub.subquery(alias),
                on=exp.EQ(this=col("enterprise_id", alias), expression=col("id", "e")),
                join_type="left",
            )
        if self.survey:
            on = exp.and_(
                exp.EQ(this=col("enterprise_id", "s"), expression=col("id", "e")),
                exp.EQ(this=col("period", "s"), expression=string(self.survey_period or "0000-00")),
            )
            select = select.join(
                exp.alias_(exp.to_table("monitoring_monthlystat"), "s", table=True),
                on=on,
                join_type="left",
            )
        return select.where(exp.EQ(this=col("is_active", "e"), expression=exp.true()))

    def _pivots(self):
        """Per enterprise, one column per figure / above-scale year / honor read: a
        single grouped scan of each source table."""
        if self.figures:
            yield "f", _pivot("enterprises_enterprisefigure", {
                name: exp.and_(exp.EQ(this=col("feature"), expression=string(code)),
                               exp.EQ(this=col("period"), expression=string(period)),
                               exp.EQ(this=col("provenance"), expression=string(provenance)))
                for name, (code, period, provenance) in self.figures.items()
            }, value=col("value"))  # fmt: skip
        if self.scale_years:
            yield "r", _pivot("enterprises_scalerecord", {
                name: exp.and_(exp.EQ(this=col("year"), expression=exp.Literal.number(year)),
                               exp.EQ(this=col("above_scale"), expression=exp.true()))
                for name, year in self.scale_years.items()
            }, value=ONE)  # fmt: skip
        if self.evaluation_years:
            yield "c", _pivot("evaluation_enterpriseclass", {
                name: exp.EQ(this=col("year"), expression=exp.Literal.number(year))
                for name, year in self.evaluation_years.items()
            }, value=col("klass"))  # fmt: skip
        if self.honors:
            yield "h", _pivot("enterprises_honor", {
                name: exp.and_(exp.EQ(this=col("kind"), expression=string(kind)),
                               exp.LTE(this=col("year"), expression=exp.Literal.number(year)))
                for name, (kind, year) in self.honors.items()
            }, value=ONE)  # fmt: skip

    def attach(self, clause_query: exp.Select) -> exp.Select:
        """The clause query with this table as a WITH, for a database that runs one query
        at a time (the live one)."""
        return clause_query.with_(NAME, as_=self.query())


def _pivot(table: str, conditions: dict[str, exp.Expression], value: exp.Expression) -> exp.Select:
    """SELECT enterprise_id, MAX(CASE WHEN <condition> THEN value END) AS <name>, …
    FROM table WHERE <any condition> GROUP BY enterprise_id (rows are unique per
    condition, so MAX picks the one value)."""
    columns = [
        exp.Max(this=exp.Case(ifs=[exp.If(this=condition.copy(), true=value.copy())])).as_(name)
        for name, condition in conditions.items()
    ]
    return (
        exp.select(col("enterprise_id").as_("enterprise_id"), *columns)
        .from_(table)
        .where(exp.or_(*(c.copy() for c in conditions.values())))
        .group_by(col("enterprise_id"))
    )
