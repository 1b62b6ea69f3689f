"""Classes from the ranked scores, as SQL over the scored firms (engine.evaluate runs it
right after the scores, in the same DuckDB connection), in a documented order (tested in
test_classes.py and the YAML cases):

1. Exempt firms (a flag with effect "exempt") are T: not scored, ranked or counted.
2. The others are ranked by total score, highest first (equal totals: by USCC, so the
   order is the same on every run).
3. Vetoes first: a firm with a flag whose effect is "best" (an accident, a missed energy
   target → cannot be A/B) is set aside. The rest R are classed by the scheme's method —
   score lines, or rank shares over |R| (A: the first ⌊a%·|R|⌋, B: up to ⌊(a+b)%·|R|⌋,
   D: the last ⌈d%·|R|⌉, C: between).
4. Protection: a firm of R with a flag whose effect is "worst" (new firm, last year's
   小升规, under construction → cannot be D) that fell below its floor takes the floor.
5. Quotas over R: more than ⌊A_max%·|R|⌋ A firms → the lowest-scoring A become B; fewer
   than ⌈D_min%·|R|⌉ D firms → the lowest-scoring unprotected firms of R become D.
6. A vetoed firm takes the class its score would have had among R (the class of the
   highest-scoring firm of R at or below its score, or of R's last firm; lines decide
   directly under the score-line method), capped by its veto and floored by any
   protection. It is never backfilled into A/B, and its place in R's shares is not
   given to anyone else.

Shares are applied in integer arithmetic (percent × 10⁴), so 16.8% of 4,710 firms floors
exactly as the published rule does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import duckdb
import pyarrow as pa
from sqlglot import exp

from gongxin.evaluation.engine import Scored, sql

LETTERS = "ABCD"
SCALE = 10_000  # percents carried as integers of 1/10⁴ %


@dataclass
class Classed:
    klass: str
    rank: int | None
    reason: dict = field(default_factory=dict)


def _ordinal(letter: str) -> int:
    return LETTERS.index(letter) + 1


def _percent(value: str) -> int:
    scaled = Decimal(value) * SCALE
    if scaled != scaled.to_integral_value():
        raise ValueError(f"percent {value} has more than 4 decimals")
    return int(scaled)


def _floor_share(percent: str) -> exp.Expression:
    """⌊percent% × n⌋ with integers."""
    return sql("(:p * n) // :d", p=_percent(percent), d=100 * SCALE)


def _ceil_share(percent: str) -> exp.Expression:
    return sql("(:p * n + :d - 1) // :d", p=_percent(percent), d=100 * SCALE)


def _letter(ordinal: exp.Expression) -> exp.Expression:
    return sql(
        "CASE WHEN :o = 1 THEN 'A' WHEN :o = 2 THEN 'B' WHEN :o = 3 THEN 'C' ELSE 'D' END",
        o=ordinal,
    )


def query(rules: dict, source: str | exp.Expression = "scored") -> exp.Select:
    """Every column of `source` (a table or subquery with enterprise_id, uscc, exempt,
    total and the flag columns), then klass, rank, rule, would_be, best, worst,
    position, n, a_limit, d_needed. Sorting on strings is what costs here, so the USCC
    order is taken once (`g`) and the later windows order by integers."""
    restrictions = rules["restrictions"]
    rule = rules["classes"]
    best: exp.Expression = exp.Literal.number(1)
    worst: exp.Expression = exp.Literal.number(4)
    for r in restrictions:
        if r["effect"] == "best":
            best = sql(
                "GREATEST(:b, CASE WHEN :f THEN :o ELSE 1 END)",
                b=best,
                f=r["flag"],
                o=_ordinal(r["class"]),
            )
        elif r["effect"] == "worst":
            worst = sql(
                "LEAST(:w, CASE WHEN :f THEN :o ELSE 4 END)",
                w=worst,
                f=r["flag"],
                o=_ordinal(r["class"]),
            )
    c0 = exp.select(
        exp.Star(), best.as_("best_ord"), worst.as_("worst_ord"),
        sql("ROW_NUMBER() OVER (PARTITION BY exempt ORDER BY total DESC, uscc)").as_("g"),
    ).from_(source if isinstance(source, exp.Expression) else exp.to_table(source))  # fmt: skip

    in_rest = "NOT exempt AND best_ord = 1"
    c1 = exp.select(
        exp.Star(),
        sql(in_rest).as_("in_rest"),
        sql("CASE WHEN NOT exempt THEN g END").as_("rank"),
        sql(f"CASE WHEN {in_rest} THEN ROW_NUMBER() OVER (PARTITION BY {in_rest} ORDER BY g) END").as_("pos"),
        sql(f"CAST(SUM(CASE WHEN {in_rest} THEN 1 ELSE 0 END) OVER () AS BIGINT)").as_("n"),
    ).from_(c0.subquery("c0"))  # fmt: skip

    if rule["method"] == "thresholds":
        lines = {k: Decimal(v) for k, v in rule["thresholds"].items()}
        base = sql("CASE WHEN total >= :a THEN 1 WHEN total >= :b THEN 2 WHEN total >= :c THEN 3 ELSE 4 END",
                   a=lines["A"], b=lines["B"], c=lines["C"])  # fmt: skip
        base_rule = "threshold"
    else:
        shares = rule["shares"]
        a_end = _floor_share(shares["A"])
        b_end = _floor_share(str(Decimal(shares["A"]) + Decimal(shares["B"])))
        d_count = _ceil_share(shares["D"])
        base = sql("CASE WHEN pos <= :a THEN 1 WHEN pos <= :b THEN 2 WHEN pos <= n - :d THEN 3 ELSE 4 END",
                   a=a_end, b=b_end, d=d_count)  # fmt: skip
        base_rule = "share"
    c2 = exp.select(exp.Star(), base.as_("base_ord")).from_(c1.subquery("c1"))
    c2b = exp.select(
        exp.Star(),
        sql("CASE WHEN in_rest THEN LEAST(base_ord, worst_ord) END").as_("cls1"),
        sql(f"CASE WHEN in_rest AND base_ord > worst_ord THEN 'protected' ELSE '{base_rule}' END").as_("rule1"),
    ).from_(c2.subquery("c2"))  # fmt: skip

    quotas = rule.get("quotas", {})
    a_limit = _floor_share(quotas["A_max"]) if "A_max" in quotas else sql("n")
    # the A firms of R are a prefix of its ranking (A needs the best positions or the
    # highest score line), so the k-th A firm is the one at position k
    c3 = exp.select(exp.Star(), a_limit.as_("a_limit")).from_(c2b.subquery("c2b"))
    c3b = exp.select(
        exp.Star(),
        sql("CASE WHEN in_rest AND cls1 = 1 AND pos > a_limit THEN 2 ELSE cls1 END").as_("cls2"),
        sql("CASE WHEN in_rest AND cls1 = 1 AND pos > a_limit THEN 'quota_a' ELSE rule1 END").as_("rule2"),
    ).from_(c3.subquery("c3"))  # fmt: skip

    d_needed = _ceil_share(quotas["D_min"]) if "D_min" in quotas else exp.Literal.number(0)
    candidate = "in_rest AND cls2 <> 4 AND worst_ord = 4"
    c4 = exp.select(
        exp.Star(), d_needed.as_("d_needed"),
        sql("CAST(SUM(CASE WHEN in_rest AND cls2 = 4 THEN 1 ELSE 0 END) OVER () AS BIGINT)").as_("d_have"),
        sql(f"ROW_NUMBER() OVER (PARTITION BY {candidate} ORDER BY g DESC)").as_("d_pos"),
    ).from_(c3b.subquery("c3b"))  # fmt: skip
    c4b = exp.select(
        exp.Star(),
        sql(f"CASE WHEN {candidate} AND d_pos <= d_needed - d_have THEN 4 ELSE cls2 END").as_("cls3"),
        sql(f"CASE WHEN {candidate} AND d_pos <= d_needed - d_have THEN 'quota_d' ELSE rule2 END").as_("rule3"),
    ).from_(c4.subquery("c4"))  # fmt: skip

    if rule["method"] == "thresholds":
        joined = exp.select(exp.Star(), base.copy().as_("would_ord")).from_(c4b.subquery("c5"))
    else:
        # a vetoed firm: the class of R's first firm at or below its score (vetoed firms sort
        # before R's firms of equal score), found as the running minimum of position·10 +
        # class walking the ranking upwards; below all of R: R's last firm
        c5 = exp.select(
            exp.Star(), sql("CASE WHEN in_rest THEN pos * 10 + cls3 END").as_("packed")
        ).from_(c4b.subquery("c4b"))
        joined = exp.select(exp.Star(), sql(
            "CASE WHEN n = 0 THEN 3 ELSE COALESCE("
            "MIN(packed) OVER (PARTITION BY exempt ORDER BY total ASC, CASE WHEN in_rest THEN 1 ELSE 0 END DESC,"
            " g DESC ROWS UNBOUNDED PRECEDING), MAX(packed) OVER ()) % 10 END").as_("would_ord"),
        ).from_(c5.subquery("c5"))  # fmt: skip
    veto = sql("LEAST(GREATEST(would_ord, best_ord), worst_ord)")
    klass = sql("CASE WHEN exempt THEN 'T' WHEN in_rest THEN :rest ELSE :veto END",
                rest=_letter(sql("cls3")), veto=_letter(veto))  # fmt: skip
    return exp.select(
        exp.Star(), klass.as_("klass"),
        sql("CASE WHEN exempt THEN 'exempt' WHEN in_rest THEN rule3 ELSE 'veto' END").as_("rule"),
        sql("CASE WHEN in_rest THEN :b ELSE :w END", b=_letter(sql("base_ord")), w=_letter(sql("would_ord"))).as_("would_be"),
        _letter(sql("best_ord")).as_("best"), _letter(sql("worst_ord")).as_("worst"),
        sql("pos").as_("position"), sql("n"), sql("a_limit"), sql("d_needed"),
    ).from_(joined.subquery("c6"))  # fmt: skip


def reason(row: dict, rules: dict) -> dict[str, Any]:
    """The reason dict of one firm from the class columns and its flags."""
    rule = row["rule"]
    flags = row["flags"]
    if rule == "exempt":
        codes = [
            r["flag"]
            for r in rules["restrictions"]
            if r["effect"] == "exempt" and flags.get(r["flag"])
        ]
        return {"rule": rule, "flags": codes}
    if rule == "veto":
        codes = [
            r["flag"]
            for r in rules["restrictions"]
            if r["effect"] == "best" and flags.get(r["flag"])
        ]
        return {"rule": rule, "flags": codes, "best": row["best"], "would_be": row["would_be"]}
    if rule == "protected":
        codes = [
            r["flag"]
            for r in rules["restrictions"]
            if r["effect"] == "worst" and flags.get(r["flag"])
        ]
        return {"rule": rule, "flags": codes, "worst": row["worst"], "would_be": row["would_be"]}
    if rule == "quota_a":
        return {"rule": rule, "limit": row["a_limit"], "of": row["n"]}
    if rule == "quota_d":
        return {"rule": rule, "minimum": row["d_needed"], "of": row["n"]}
    if rule == "threshold":
        return {"rule": rule, "line": rules["classes"]["thresholds"].get(row["klass"])}
    return {"rule": rule, "position": row["position"], "of": row["n"]}


def assign(scored: list[Scored], rules: dict) -> dict[int, Classed]:
    """Classes of already scored firms (the class SQL on a small table: tests, cases)."""
    flags = sorted({r["flag"] for r in rules["restrictions"]})
    table = pa.table({
        "enterprise_id": pa.array([f.enterprise_id for f in scored], pa.int64()),
        "uscc": pa.array([f.uscc for f in scored], pa.string()),
        "exempt": pa.array([f.exempt for f in scored], pa.bool_()),
        "total": pa.array([f.total for f in scored], pa.decimal128(18, 4)),
        **{code: pa.array([bool(f.flags.get(code)) for f in scored], pa.bool_()) for code in flags},
    })  # fmt: skip
    con = duckdb.connect()
    try:
        con.register("scored", table)
        result = (
            con.sql(query(rules).sql(dialect="duckdb", identify=True)).to_arrow_table().to_pylist()
        )
    finally:
        con.close()
    by_id = {f.enterprise_id: f for f in scored}
    return {
        row["enterprise_id"]: Classed(row["klass"], row["rank"],
                                      reason({**row, "flags": by_id[row["enterprise_id"]].flags}, rules))
        for row in result
    }  # fmt: skip
