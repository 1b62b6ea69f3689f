"""A clause compiled to one SQL query over all enterprises (sqlglot trees, never strings):
per criterion the actual value, pass and near-miss flags, and the clause's status.

Columns: enterprise_id, uscc, name, then for criterion i `a_i` (actual), `p_i` (1 when it
holds), `n_i` (1 when it fails by no more than the tolerance), `eligible` and `near_miss`,
then `b_<code>` for every feature the award rule reads. A failed or missing value never
passes (NULL compares false). Near-miss relaxes numeric criteria only: categories and
flags must hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlglot import exp

from gongxin.analytics import catalog
from gongxin.policies import features

RATE = features.RATE_UNIT


@dataclass(frozen=True)
class Context:
    """What the data of one clause run is: the policy year, the latest released survey
    month, the provenances the clause may read, and the near-miss tolerances."""

    year: int
    survey_period: str | None
    provenances: frozenset[str]
    near_fraction: Decimal = Decimal("0.10")
    near_points: Decimal = Decimal("3")
    section_ranges: dict[str, tuple[str, str]] = field(default_factory=dict)


def _col(name: str, table: str | None = None) -> exp.Column:
    return exp.column(exp.to_identifier(name), table=exp.to_identifier(table) if table else None)


def _str(value: str) -> exp.Literal:
    return exp.Literal.string(value)


def _num(value: Any) -> exp.Expression:
    number = Decimal(str(value))
    literal = exp.Literal.number(format(number, "f"))
    return exp.Neg(this=exp.Literal.number(format(-number, "f"))) if number < 0 else literal


def _flag(condition: exp.Expression) -> exp.Expression:
    return exp.Case(
        ifs=[exp.If(this=condition, true=exp.Literal.number(1))], default=exp.Literal.number(0)
    )


def _rounded(value: exp.Expression, places: int) -> exp.Expression:
    """Computed values rounded to the stored precision, so a growth of exactly 15% (345000
    over 300000) is 15 and not 14.999999999999991 where the engine divides in floating
    point (SQLite): a threshold "不低于15%" must hold at 15."""
    # through DECIMAL: PostgreSQL has no ROUND(double precision, n)
    as_decimal = exp.cast(value, exp.DataType.build("DECIMAL(38, 12)"))
    return exp.Round(this=as_decimal, decimals=exp.Literal.number(places))


def _table(name: str, alias: str) -> exp.Expression:
    return exp.alias_(exp.to_table(name), alias, table=True)


def figure_period(code: str, year: int) -> str:
    rule = catalog.get(code).period_rule
    if rule == "quarter":
        return f"{year}-Q1"
    if rule == "year":
        return str(year - 1)
    return str(year)


class Compiler:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.joins: list[tuple[exp.Expression, exp.Expression]] = []
        self.values: dict[str, exp.Expression] = {}
        self.survey_joined = False

    # --- feature values -------------------------------------------------------------------
    def value(self, code: str) -> exp.Expression:
        if code not in self.values:
            self.values[code] = self._value(code)
        return self.values[code].copy()

    def _value(self, code: str) -> exp.Expression:
        source = features.source_of(code)
        if source is None:
            raise ValueError(code)
        if source.kind == "registry":
            return _col(source.args[0], "e")
        if source.kind == "figure":
            alias = f"f{len(self.joins)}"
            provenance = catalog.get(code).provenance
            sub = (
                exp.select(_col("enterprise_id").as_("enterprise_id"), _col("value").as_("v"))
                .from_("enterprises_enterprisefigure")
                .where(exp.and_(
                    exp.EQ(this=_col("feature"), expression=_str(code)),
                    exp.EQ(this=_col("period"), expression=_str(figure_period(code, self.ctx.year))),
                    exp.EQ(this=_col("provenance"), expression=_str(provenance)),
                ))
            )  # fmt: skip
            self.joins.append(
                (
                    sub.subquery(alias),
                    exp.EQ(this=_col("enterprise_id", alias), expression=_col("id", "e")),
                )
            )
            return _col("v", alias)
        if source.kind == "survey":
            if not self.survey_joined:
                period = self.ctx.survey_period or "0000-00"
                self.joins.append((
                    _table("monitoring_monthlystat", "s"),
                    exp.and_(exp.EQ(this=_col("enterprise_id", "s"), expression=_col("id", "e")),
                             exp.EQ(this=_col("period", "s"), expression=_str(period))),
                ))  # fmt: skip
                self.survey_joined = True
            return _col(code, "s")
        if source.kind == "diff":
            a, b = (self.value(x) for x in source.args)
            return _rounded(exp.Sub(this=exp.paren(a), expression=exp.paren(b)), 4)
        if source.kind == "yoy":
            a, b = (self.value(x) for x in source.args)
            ratio = exp.Div(
                this=exp.paren(a),
                expression=exp.Nullif(this=b.copy(), expression=exp.Literal.number(0)),
            )
            growth = exp.Mul(
                this=exp.paren(exp.Sub(this=ratio, expression=exp.Literal.number(1))),
                expression=exp.Literal.number(100),
            )
            # no rate on a missing or negative base: publications print none either
            return exp.Case(
                ifs=[
                    exp.If(
                        this=exp.GT(this=b, expression=exp.Literal.number(0)),
                        true=_rounded(growth, 6),
                    )
                ]
            )
        if source.kind == "above_scale":
            alias = f"r{len(self.joins)}"
            sub = (
                exp.select(_col("enterprise_id").as_("enterprise_id"))
                .from_("enterprises_scalerecord")
                .where(exp.and_(exp.EQ(this=_col("year"), expression=exp.Literal.number(self.ctx.year)),
                                exp.EQ(this=_col("above_scale"), expression=exp.true())))
            )  # fmt: skip
            self.joins.append(
                (
                    sub.subquery(alias),
                    exp.EQ(this=_col("enterprise_id", alias), expression=_col("id", "e")),
                )
            )
            return _flag(_col("enterprise_id", alias).is_(exp.null()).not_())
        raise ValueError(f"{code}: {source.kind} has no single value")

    # --- criteria ---------------------------------------------------------------------------
    def leaf(self, i: int, leaf: dict) -> tuple[exp.Expression, exp.Expression, exp.Expression]:
        """(actual, pass, near) of one criterion."""
        code, op, value = leaf["feature"], leaf["op"], leaf["value"]
        if op == "in":
            return self._member(i, code, value)
        actual = self.value(code)
        if isinstance(value, bool):
            holds = exp.EQ(this=actual.copy(), expression=exp.Literal.number(int(value)))
            return actual, _flag(holds), exp.Literal.number(0)
        threshold = Decimal(value)
        compare = {"gt": exp.GT, "ge": exp.GTE, "lt": exp.LT, "le": exp.LTE, "eq": exp.EQ}[op]
        holds = compare(this=actual.copy(), expression=_num(threshold))
        tol = (
            self.ctx.near_points
            if catalog.get(code).unit == RATE
            else abs(threshold) * self.ctx.near_fraction
        )
        if op in ("gt", "ge"):
            near = exp.GTE(this=actual.copy(), expression=_num(threshold - tol))
        elif op in ("lt", "le"):
            near = exp.LTE(this=actual.copy(), expression=_num(threshold + tol))
        else:
            near = exp.Between(
                this=actual.copy(), low=_num(threshold - tol), high=_num(threshold + tol)
            )
        return actual, _flag(holds), _flag(exp.and_(exp.not_(holds.copy()), near))

    def _member(
        self, i: int, code: str, values: list[str]
    ) -> tuple[exp.Expression, exp.Expression, exp.Expression]:
        zero = exp.Literal.number(0)
        if code == "honors":
            alias = f"h{i}"
            sub = (
                exp.select(_col("enterprise_id").as_("enterprise_id"), exp.Min(this=_col("kind")).as_("v"))
                .from_("enterprises_honor")
                .where(exp.and_(
                    exp.In(this=_col("kind"), expressions=[_str(v) for v in values]),
                    exp.LTE(this=_col("year"), expression=exp.Literal.number(self.ctx.year)),
                ))
                .group_by(_col("enterprise_id"))
            )  # fmt: skip
            self.joins.append(
                (
                    sub.subquery(alias),
                    exp.EQ(this=_col("enterprise_id", alias), expression=_col("id", "e")),
                )
            )
            actual = _col("v", alias)
            return actual, _flag(actual.copy().is_(exp.null()).not_()), zero
        actual = self.value(code)
        if code == "industry_code":
            tests = []
            for v in values:
                if v.isalpha():  # a 门类 letter: its 大类 range
                    low, high = self.ctx.section_ranges[v.upper()]
                    division = exp.Substring(
                        this=actual.copy(),
                        start=exp.Literal.number(1),
                        length=exp.Literal.number(2),
                    )
                    tests.append(exp.Between(this=division, low=_str(low), high=_str(high)))
                else:
                    prefix = exp.Substring(
                        this=actual.copy(),
                        start=exp.Literal.number(1),
                        length=exp.Literal.number(len(v)),
                    )
                    tests.append(exp.EQ(this=prefix, expression=_str(v)))
            return actual, _flag(exp.or_(*tests)), zero
        cast = exp.cast(actual.copy(), "text")
        return actual, _flag(exp.In(this=cast, expressions=[_str(v) for v in values])), zero


def _combine(tree: dict, flags: list[exp.Expression], counter: list[int]) -> exp.Expression:
    if "feature" in tree:
        flag = flags[counter[0]]
        counter[0] += 1
        return exp.EQ(this=flag.copy(), expression=exp.Literal.number(1))
    key = "all" if "all" in tree else "any"
    parts = [_combine(child, flags, counter) for child in tree[key]]
    joined = exp.and_(*parts) if key == "all" else exp.or_(*parts)
    return exp.paren(joined)


def compile_clause(
    criteria: dict,
    award_features: list[str],
    ctx: Context,
    *,
    only_matches: bool = True,
    award_conditions: list[dict] | tuple = (),
) -> tuple[exp.Select, list[dict]]:
    """The query, and the criteria's leaves in column order (a_0/p_0/n_0 is leaves[0]).
    `award_conditions` (condition trees of an award's higher rates) give flags x_0, x_1…"""
    from gongxin.policies.criteria import leaves

    compiler = Compiler(ctx)
    found = list(leaves(criteria))
    columns: list[exp.Expression] = [
        _col("id", "e").as_("enterprise_id"),
        _col("uscc", "e").as_("uscc"),
        _col("name", "e").as_("name"),
    ]
    passes, relaxed = [], []
    for i, leaf in enumerate(found):
        actual, holds, near = compiler.leaf(i, leaf)
        columns += [actual.as_(f"a_{i}"), holds.as_(f"p_{i}"), near.as_(f"n_{i}")]
        passes.append(_col(f"p_{i}"))
        relaxed.append(exp.Add(this=_col(f"p_{i}"), expression=_col(f"n_{i}")))
    for code in award_features:
        columns.append(compiler.value(code).as_(f"b_{code}"))
    condition_flags: list[list[exp.Expression]] = []
    index = len(found)
    for j, tree in enumerate(award_conditions):
        flags = []
        for k, leaf in enumerate(leaves(tree)):
            _, holds, _ = compiler.leaf(index, leaf)
            index += 1
            columns.append(holds.as_(f"q_{j}_{k}"))
            flags.append(_col(f"q_{j}_{k}"))
        condition_flags.append(flags)
    inner = (
        exp.select(*columns)
        .from_(_table("enterprises_enterprise", "e"))
        .where(exp.EQ(this=_col("is_active", "e"), expression=exp.true()))
    )
    for table, on in compiler.joins:
        inner = inner.join(table, on=on, join_type="left")
    eligible = _combine(criteria, passes, [0])
    loose = _combine(criteria, relaxed, [0])
    conditions = [
        _flag(_combine(tree, flags, [0])).as_(f"x_{j}")
        for j, (tree, flags) in enumerate(zip(award_conditions, condition_flags, strict=True))
    ]
    outer = exp.select(exp.Star(), _flag(eligible).as_("eligible"),
                       _flag(exp.and_(loose, exp.not_(eligible.copy()))).as_("near_miss"),
                       *conditions).from_(inner.subquery("m"))  # fmt: skip
    if only_matches:
        outer = exp.select(exp.Star()).from_(outer.subquery("o")).where(
            exp.or_(exp.EQ(this=_col("eligible"), expression=exp.Literal.number(1)),
                    exp.EQ(this=_col("near_miss"), expression=exp.Literal.number(1)))
        )  # fmt: skip
    return outer.order_by(_col("enterprise_id")), found
