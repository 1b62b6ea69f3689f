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

from gongxin.evaluation.engine import Scored, sql, with_uscc_order

LETTERS = "ABCD"
SCALE = 10_000  # percents carried as integers of 1/10⁴ %
RULES = ("exempt", "veto", "threshold", "share", "protected", "quota_a", "quota_d")
WHOLE = "ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING"


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
    return sql("CAST((:p * n) // :d AS BIGINT)", p=_percent(percent), d=100 * SCALE)


def _ceil_share(percent: str) -> exp.Expression:
    return sql("CAST((:p * n + :d - 1) // :d AS BIGINT)", p=_percent(percent), d=100 * SCALE)


def query(
    rules: dict, source: str | exp.Expression = "scored", *, ignore_nulls: bool = True
) -> exp.Select:
    """enterprise_id, klass, rank, rule, would_be, best, worst, position, n, a_limit and
    d_needed of every firm of `source` (a table or subquery with enterprise_id, seq — the
    firm's place in USCC order, engine.with_uscc_order —, exempt, total and the flag
    columns). Two sorts: the ranking (total, then seq), where running counts give each
    firm its position in R and among R's unprotected firms, and, for the vetoed firms'
    would-be class, the scores ascending. Each window carries only the narrow columns it
    needs (a window materialises its input). Without `ignore_nulls` (PostgreSQL has no
    FIRST_VALUE … IGNORE NULLS) a second, running window over the scores ascending finds
    the protection of R's first firm at or below each score."""
    restrictions = rules["restrictions"]
    rule = rules["classes"]
    best: exp.Expression = exp.Literal.number(1)
    worst: exp.Expression = exp.Literal.number(4)
    for r in restrictions:
        if r["effect"] == "best":
            best = sql("GREATEST(:b, CASE WHEN :f THEN :o ELSE 1 END)",
                       b=best, f=r["flag"], o=_ordinal(r["class"]))  # fmt: skip
        elif r["effect"] == "worst":
            worst = sql("LEAST(:w, CASE WHEN :f THEN :o ELSE 4 END)",
                        w=worst, f=r["flag"], o=_ordinal(r["class"]))  # fmt: skip
    s0 = exp.select(
        "enterprise_id", "seq", "exempt", "total", best.as_("best_ord"), worst.as_("worst_ord"),
    ).from_(source if isinstance(source, exp.Expression) else exp.to_table(source))  # fmt: skip
    s0b = exp.select(exp.Star(), sql("NOT exempt AND best_ord = 1").as_("in_rest")).from_(
        s0.subquery("s0")
    )

    # R: the firms neither exempt nor vetoed. One sort (DuckDB shares it between windows
    # whose order is a prefix of the ranking's): running counts give a firm's position in
    # R and among R's unprotected firms; the RANGE frames (firms level on score are peers)
    # give what a vetoed firm's would-be class needs — how many of R score more, and the
    # protection of R's first firm at or below its score. Exempt firms have no total and
    # sort last.
    ranking = "ORDER BY total DESC NULLS LAST, seq"
    by_score = "ORDER BY total DESC NULLS LAST RANGE BETWEEN"
    in_r = "CASE WHEN in_rest THEN 1 ELSE 0 END"
    free = "CASE WHEN in_rest AND worst_ord = 4 THEN 1 ELSE 0 END"
    r_worst = "CASE WHEN in_rest THEN worst_ord END"
    s1 = exp.select(
        exp.Star(),
        sql(f"ROW_NUMBER() OVER ({ranking})").as_("g"),
        sql(f"CAST(SUM({in_r}) OVER ({ranking} ROWS UNBOUNDED PRECEDING) AS BIGINT)").as_("r_upto"),
        sql(f"SUM({free}) OVER ({ranking} ROWS UNBOUNDED PRECEDING)").as_("free_upto"),
        sql(f"CAST(SUM({in_r}) OVER ({ranking} {WHOLE}) AS BIGINT)").as_("n"),
        sql(f"SUM({free}) OVER ({ranking} {WHOLE})").as_("free_n"),
        sql(f"SUM({in_r}) OVER ({by_score} UNBOUNDED PRECEDING AND CURRENT ROW)"
            f" - SUM({in_r}) OVER ({by_score} CURRENT ROW AND CURRENT ROW)").as_("r_above"),
        sql(f"SUM({free}) OVER ({by_score} UNBOUNDED PRECEDING AND CURRENT ROW)"
            f" - SUM({free}) OVER ({by_score} CURRENT ROW AND CURRENT ROW)").as_("free_above"),
    ).from_(s0b.subquery("s0b"))  # fmt: skip
    if ignore_nulls:
        s1 = s1.select(
            sql(f"FIRST_VALUE({r_worst} IGNORE NULLS) OVER ({by_score} CURRENT ROW AND UNBOUNDED FOLLOWING)").as_("next_worst"),
            sql(f"LAST_VALUE({r_worst} IGNORE NULLS) OVER ({ranking} {WHOLE})").as_("last_worst"),
        )  # fmt: skip
    else:  # R's firm of lowest position among those scoring at most as much; R's last
        packed = exp.select(
            exp.Star(), sql("CASE WHEN in_rest THEN r_upto * 10 + worst_ord END").as_("packed")
        ).from_(s1.subquery("s1p"))
        s1 = exp.select(
            exp.Star(),
            sql("MIN(packed) OVER (ORDER BY total ASC NULLS LAST RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) % 10").as_("next_worst"),
            sql("MAX(packed) OVER () % 10").as_("last_worst"),
        ).from_(packed.subquery("s1q"))  # fmt: skip

    if rule["method"] == "thresholds":
        lines = {k: Decimal(v) for k, v in rule["thresholds"].items()}

        def base(_position: exp.Expression) -> exp.Expression:
            return sql("CASE WHEN total >= :a THEN 1 WHEN total >= :b THEN 2 WHEN total >= :c THEN 3 ELSE 4 END",
                       a=lines["A"], b=lines["B"], c=lines["C"])  # fmt: skip

        base_rule = RULES.index("threshold")
    else:
        shares = rule["shares"]
        a_end = _floor_share(shares["A"])
        b_end = _floor_share(str(Decimal(shares["A"]) + Decimal(shares["B"])))
        d_count = _ceil_share(shares["D"])

        def base(position: exp.Expression) -> exp.Expression:
            return sql("CASE WHEN :p <= :a THEN 1 WHEN :p <= :b THEN 2 WHEN :p <= n - :d THEN 3 ELSE 4 END",
                       p=position, a=a_end.copy(), b=b_end.copy(), d=d_count.copy())  # fmt: skip

        base_rule = RULES.index("share")
    quotas = rule.get("quotas", {})
    a_limit = _floor_share(quotas["A_max"]) if "A_max" in quotas else sql("n")
    d_needed = _ceil_share(quotas["D_min"]) if "D_min" in quotas else exp.Literal.number(0)
    s2 = exp.select(
        "enterprise_id", "exempt", "total", "best_ord", "worst_ord", "in_rest", "n",
        sql("CASE WHEN NOT exempt THEN g END").as_("rank"),
        sql("CASE WHEN in_rest THEN r_upto END").as_("pos"),
        "free_upto", "free_n", a_limit.as_("a_limit"), d_needed.as_("d_needed"),
        # R's firm whose class a vetoed firm takes: the first at or below its score, or
        # below all of R, R's last
        sql("LEAST(r_above + 1, n)").as_("at"),
        sql("CASE WHEN r_above < n THEN next_worst ELSE last_worst END").as_("at_worst"),
        sql("CASE WHEN r_above >= n THEN free_n WHEN next_worst = 4 THEN free_above + 1 ELSE free_above END").as_("at_free"),
    ).from_(s1.subquery("s1"))  # fmt: skip

    def classed(position: str, worst: str, free_upto: str) -> exp.Expression:
        """The class of R's firm at `position`: quotas, then protection. The A firms of R
        are a prefix of its ranking, so the k-th is at position k. At least d_needed D
        firms: R's lowest d_needed unprotected firms are D."""
        return sql(
            f"CASE WHEN {worst} = 4 AND {free_upto} > free_n - d_needed THEN 4"
            f" WHEN :base = 1 AND {position} > a_limit THEN 2 ELSE LEAST(:base2, {worst}) END",
            base=base(exp.column(position)), base2=base(exp.column(position)))  # fmt: skip

    s3 = exp.select(exp.Star(), base(exp.column("pos")).as_("base_ord")).from_(s2.subquery("s2"))
    to_d = "in_rest AND worst_ord = 4 AND free_upto > free_n - d_needed"
    to_b = "in_rest AND base_ord = 1 AND pos > a_limit"
    would = (sql("base_ord") if rule["method"] == "thresholds"
             else sql("CASE WHEN n = 0 THEN 3 ELSE :c END", c=classed("at", "at_worst", "at_free")))  # fmt: skip
    s5 = exp.select(
        exp.Star(),
        sql("CASE WHEN in_rest THEN :c END", c=classed("pos", "worst_ord", "free_upto")).as_("cls"),
        sql(f"CASE WHEN exempt THEN :exempt WHEN NOT in_rest THEN :veto"
            f" WHEN {to_d} AND base_ord <> 4 THEN :qd WHEN {to_b} THEN :qa"
            " WHEN base_ord > worst_ord THEN :protected ELSE :base END",
            exempt=RULES.index("exempt"), veto=RULES.index("veto"), qd=RULES.index("quota_d"),
            qa=RULES.index("quota_a"), protected=RULES.index("protected"), base=base_rule).as_("rule_code"),
        would.as_("would_ord"),
    ).from_(s3.subquery("s3"))  # fmt: skip
    # classes leave as ordinals (0 = T, 1–4 = A–D) and rules as codes: `labelled` turns
    # them into letters and names in Arrow, far cheaper than strings made row by row
    veto = "LEAST(GREATEST(would_ord, best_ord), worst_ord)"
    return exp.select(
        "enterprise_id",
        sql(f"CASE WHEN exempt THEN 0 WHEN in_rest THEN cls ELSE {veto} END").as_("klass"),
        "rank", sql("rule_code").as_("rule"),
        sql("CASE WHEN exempt THEN NULL WHEN in_rest THEN base_ord ELSE would_ord END").as_("would_be"),
        sql("best_ord").as_("best"), sql("worst_ord").as_("worst"),
        sql("pos").as_("position"), "n", "a_limit", "d_needed",
    ).from_(s5.subquery("s5"))  # fmt: skip


def labelled(table: pa.Table) -> pa.Table:
    """`table` with the class ordinals of `query` as letters and its rule codes as names."""
    for name, labels in (("klass", "TABCD"), ("would_be", "TABCD"), ("best", "TABCD"),
                         ("worst", "TABCD"), ("rule", RULES)):  # fmt: skip
        at = table.column_names.index(name)
        codes = table.column(at).cast(pa.int32())
        table = table.set_column(at, name, pa.array(list(labels)).take(codes))
    return table


def reason(row: dict, rules: dict) -> dict[str, Any]:
    """The reason dict of one firm from the class columns and its flags."""
    rule = row["rule"]

    def held(effect: str) -> list[str]:
        return [r["flag"] for r in rules["restrictions"]
                if r["effect"] == effect and row["flags"].get(r["flag"])]  # fmt: skip

    if rule == "exempt":
        return {"rule": rule, "flags": held("exempt")}
    if rule == "veto":
        return {
            "rule": rule,
            "flags": held("best"),
            "best": row["best"],
            "would_be": row["would_be"],
        }
    if rule == "protected":
        return {
            "rule": rule,
            "flags": held("worst"),
            "worst": row["worst"],
            "would_be": row["would_be"],
        }
    if rule == "quota_a":
        return {"rule": rule, "limit": row["a_limit"], "of": row["n"]}
    if rule == "quota_d":
        return {"rule": rule, "minimum": row["d_needed"], "of": row["n"]}
    if rule == "threshold":
        return {"rule": rule, "line": rules["classes"]["thresholds"].get(row["klass"])}
    return {"rule": rule, "position": row["position"], "of": row["n"]}


def assign(scored: list[Scored], rules: dict, *, ignore_nulls: bool = True) -> dict[int, Classed]:
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
        con.register("scored", with_uscc_order(table))
        result = labelled(
            con.sql(
                query(rules, ignore_nulls=ignore_nulls).sql(dialect="duckdb", identify=True)
            ).to_arrow_table()
        ).to_pylist()
    finally:
        con.close()
    by_id = {f.enterprise_id: f for f in scored}
    return {
        row["enterprise_id"]: Classed(row["klass"], row["rank"],
                                      reason({**row, "flags": by_id[row["enterprise_id"]].flags}, rules))
        for row in result
    }  # fmt: skip
