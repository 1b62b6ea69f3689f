"""A clause compiled to one SQL query over all enterprises (sqlglot trees, never strings):
per criterion the actual value, pass and near-miss flags, and the clause's status. The
query scans the run's feature table (`feature_table.FeatureTable`, one row per active
enterprise), which the compiler fills with the columns the clause reads.

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
from gongxin.policies.feature_table import NAME, ONE, ZERO, FeatureTable, col, flag, string

RATE = features.RATE_UNIT


@dataclass(frozen=True)
class Context:
    """What the data of one clause run is: the policy year, the provenances the clause may
    read, and the near-miss tolerances."""

    year: int
    provenances: frozenset[str]
    near_fraction: Decimal = Decimal("0.10")
    near_points: Decimal = Decimal("3")
    section_ranges: dict[str, tuple[str, str]] = field(default_factory=dict)


def _num(value: Any) -> exp.Expression:
    number = Decimal(str(value))
    literal = exp.Literal.number(format(number, "f"))
    return exp.Neg(this=exp.Literal.number(format(-number, "f"))) if number < 0 else literal


class Compiler:
    def __init__(self, ctx: Context, table: FeatureTable):
        self.ctx = ctx
        self.table = table

    def value(self, code: str) -> exp.Expression:
        return self.table.value(code, self.ctx.year)

    # --- criteria ---------------------------------------------------------------------------
    def leaf(self, leaf: dict) -> tuple[exp.Expression, exp.Expression, exp.Expression | None]:
        """(actual, holds, near) of one criterion as conditions: `near` is the band a
        numeric value may miss by (None for categories and flags, which must hold)."""
        code, op, value = leaf["feature"], leaf["op"], leaf["value"]
        if op == "in":
            return self._member(code, value)
        actual = self.value(code)
        if isinstance(value, bool):
            holds = exp.EQ(this=actual.copy(), expression=exp.Literal.number(int(value)))
            return actual, holds, None
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
        return actual, holds, near

    def _member(self, code: str, values: list[str]) -> tuple[exp.Expression, exp.Expression, None]:
        if code == "honors":  # the first of the listed kinds the enterprise holds
            held = [exp.EQ(this=self.table.honor(kind, self.ctx.year), expression=ONE.copy())
                    for kind in sorted(values)]  # fmt: skip
            actual = exp.Case(ifs=[exp.If(this=test, true=string(kind))
                                   for kind, test in zip(sorted(values), held, strict=True)])  # fmt: skip
            return actual, exp.or_(*(test.copy() for test in held)), None
        actual = self.value(code)
        if code == "industry_code":
            division, tests = self.table.division(), []
            for v in values:
                if v.isalpha():  # a 门类 letter: its 大类 range
                    low, high = self.ctx.section_ranges[v.upper()]
                    tests.append(exp.Between(this=division.copy(), low=_num(low), high=_num(high)))
                elif len(v) == 2:  # a 大类
                    tests.append(exp.EQ(this=division.copy(), expression=_num(v)))
                else:  # a 中类 or 小类: the code's prefix
                    prefix = exp.Substring(this=actual.copy(), start=ONE.copy(),
                                           length=exp.Literal.number(len(v)))  # fmt: skip
                    tests.append(exp.EQ(this=prefix, expression=string(v)))
            return actual, exp.or_(*tests, copy=False), None
        if code == "region":  # unit ids
            return actual, exp.In(this=actual.copy(), expressions=[_num(v) for v in values]), None
        cast = exp.cast(actual.copy(), "text")
        return actual, exp.In(this=cast, expressions=[string(v) for v in values]), None


def _combine(tree: dict, tests: list[exp.Expression], counter: list[int]) -> exp.Expression:
    """The tree's AND/OR groups over one condition per leaf (in leaf order)."""
    if "feature" in tree:
        test = tests[counter[0]]
        counter[0] += 1
        return exp.paren(test.copy())
    key = "all" if "all" in tree else "any"
    parts = [_combine(child, tests, counter) for child in tree[key]]
    joined = exp.and_(*parts, copy=False) if key == "all" else exp.or_(*parts, copy=False)
    return exp.paren(joined)


def _is_one(name: str) -> exp.Expression:
    return exp.EQ(this=col(name), expression=ONE.copy())


def compile_clause(
    criteria: dict,
    award_features: list[str],
    ctx: Context,
    table: FeatureTable,
    *,
    only_matches: bool = True,
    award_conditions: list[dict] | tuple = (),
) -> tuple[exp.Select, list[dict]]:
    """The query over `table` (which gains the columns the clause reads), and the
    criteria's leaves in column order (a_0/p_0/n_0 is leaves[0]). `award_conditions`
    (condition trees of an award's higher rates) give flags x_0, x_1…"""
    from gongxin.policies.criteria import leaves

    compiler = Compiler(ctx, table)
    found = list(leaves(criteria))
    columns: list[exp.Expression] = [col(name, "t") for name in ("enterprise_id", "uscc", "name")]
    passes, relaxed, loose = [], [], []
    for i, leaf in enumerate(found):
        actual, holds, near = compiler.leaf(leaf)
        missed = (
            ZERO.copy()
            if near is None
            else flag(exp.and_(exp.not_(holds.copy()), near, copy=False))
        )
        columns += [actual.as_(f"a_{i}", copy=False), flag(holds.copy()).as_(f"p_{i}", copy=False),
                    missed.as_(f"n_{i}", copy=False)]  # fmt: skip
        passes.append(_is_one(f"p_{i}"))
        relaxed.append(exp.EQ(this=exp.Add(this=col(f"p_{i}"), expression=col(f"n_{i}")),
                              expression=ONE.copy()))  # fmt: skip
        loose.append((holds if near is None else near).copy())  # the band contains `holds`
    for code in award_features:
        columns.append(compiler.value(code).as_(f"b_{code}", copy=False))
    condition_flags: list[list[exp.Expression]] = []
    for j, tree in enumerate(award_conditions):
        flags = []
        for k, leaf in enumerate(leaves(tree)):
            _, holds, _ = compiler.leaf(leaf)
            columns.append(flag(holds).as_(f"q_{j}_{k}", copy=False))
            flags.append(_is_one(f"q_{j}_{k}"))
        condition_flags.append(flags)
    inner = exp.select(*columns, copy=False).from_(
        exp.alias_(exp.to_table(NAME), "t", table=True), copy=False
    )
    if only_matches:
        # eligible or near-miss ⇔ every leaf holds or is within its band (as the tree
        # groups them): a filter on the raw columns, so the explanation columns are
        # computed for the matching rows only
        inner = inner.where(_combine(criteria, loose, [0]), copy=False)
    eligible = _combine(criteria, passes, [0])
    conditions = [
        flag(_combine(tree, flags, [0])).as_(f"x_{j}", copy=False)
        for j, (tree, flags) in enumerate(zip(award_conditions, condition_flags, strict=True))
    ]
    near_miss = exp.and_(_combine(criteria, relaxed, [0]), exp.not_(eligible.copy()), copy=False)
    outer = exp.select(
        exp.Star(),
        flag(eligible).as_("eligible", copy=False),
        flag(near_miss).as_("near_miss", copy=False),
        *conditions,
        copy=False,
    )
    outer = outer.from_(inner.subquery("m", copy=False), copy=False)  # fmt: skip
    # copy=False: every node above is built fresh for this query (sqlglot copies otherwise).
    # No ORDER BY: sorting each clause's matches in the engine cost more than in Python.
    return outer, found
