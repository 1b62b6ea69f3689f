"""Scores and classes of every firm of a scheme's population in one vectorised pass.

Input: one Arrow table of facts, a row per firm of the population in USCC order —
enterprise_id, uscc, division (the industry's 大类 as an integer), every input the
indicators read (DECIMAL 万元/亩/…, NULL when not supplied) and every flag (BOOLEAN).
Output: per firm, per indicator its value, benchmark and score, the adjustments, the
total, whether it is exempt (T), and its class with the reason columns (classes.py).

The SQL is built from fixed templates whose placeholders are filled with sqlglot nodes:
column names made from indexes and checked catalog codes, numbers from the checked scheme.
It is written once and rendered for each backend: DuckDB in process (the default),
Spark SQL, or the platform's PostgreSQL database (`live`). Sums are exact DECIMALs and
every ordering is total, so runs and backends give the same result.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import sqlglot
from sqlglot import exp

from gongxin.evaluation.features import RATIOS

PLACES = Decimal("0.0001")
CLASS_COLUMNS = (
    "klass",
    "rank",
    "rule",
    "would_be",
    "best",
    "worst",
    "position",
    "n",
    "a_limit",
    "d_needed",
)


@cache
def _template(text: str) -> exp.Expression:
    return sqlglot.parse_one(text, read="duckdb")


def sql(text: str, **values: Any) -> exp.Expression:
    """A template with :placeholders replaced by nodes (str → column, Decimal → number)."""
    nodes = {
        key: exp.column(exp.to_identifier(v))
        if isinstance(v, str)
        else exp.Literal.number(format(Decimal(v), "f"))
        if isinstance(v, Decimal | int)
        else v
        for key, v in values.items()
    }
    return exp.replace_placeholders(_template(text).copy(), **nodes)


@dataclass
class Scored:
    enterprise_id: int
    uscc: str
    exempt: bool
    flags: dict[str, bool]
    values: list[Decimal | None]
    benchmarks: list[Decimal | None]
    scores: list[Decimal | None]
    adjustment: Decimal
    total: Decimal | None


def flag_codes(rules: dict) -> list[str]:
    codes = [r["flag"] for r in rules["restrictions"]]
    codes += [a["flag"] for a in rules["adjustments"] if "flag" in a]
    return sorted(set(codes))


def input_codes(rules: dict) -> list[str]:
    out: set[str] = set()
    for item in rules["indicators"]:
        ratio = RATIOS[item["feature"]]
        out |= {ratio.numerator, ratio.denominator}
    return sorted(out)


def honor_codes(rules: dict) -> list[str]:
    return sorted({a["honor"] for a in rules["adjustments"] if "honor" in a})


def score(facts: pa.Table, rules: dict) -> list[Scored]:
    """Every firm of `facts` scored by the normalised `rules` (rules.check_scheme)."""
    if facts.num_rows == 0:
        return []
    con = duckdb.connect(config={"threads": 1})
    try:
        con.register("facts", with_uscc_order(facts))
        query = _query(rules).order_by("enterprise_id")
        result = con.sql(query.sql(dialect="duckdb", identify=True)).to_arrow_table()
    finally:
        con.close()
    n = len(rules["indicators"])
    flags = flag_codes(rules)
    # column by column: Arrow builds the Decimals, far cheaper than DuckDB's row tuples
    columns = [result.column(i).to_pylist() for i in range(result.num_columns)]
    ids, usccs, exempts, adjustments, totals = columns[:5]
    values, benchmarks, scores = (
        columns[5 : 5 + n],
        columns[5 + n : 5 + 2 * n],
        columns[5 + 2 * n : 5 + 3 * n],
    )
    flag_columns = columns[5 + 3 * n : 5 + 3 * n + len(flags)]
    zero = Decimal(0)
    return [
        Scored(
            enterprise_id=ids[r], uscc=usccs[r], exempt=bool(exempts[r]),
            flags={code: bool(column[r]) for code, column in zip(flags, flag_columns, strict=True)},
            values=[c[r] for c in values], benchmarks=[c[r] for c in benchmarks],
            scores=[c[r] for c in scores], adjustment=_dec(adjustments[r]) or zero, total=totals[r],
        )
        for r in range(result.num_rows)
    ]  # fmt: skip


def with_uscc_order(facts: pa.Table) -> pa.Table:
    """`facts` with `seq`, the firm's place in USCC order: ranks break equal totals by
    USCC, and sorting the integer is far cheaper than sorting the string in every window.
    facts.gather hands the firms over in USCC order already; anything else is sorted here."""
    usccs = facts.column("uscc")
    if facts.num_rows > 1 and not pc.all(pc.less(usccs[:-1], usccs[1:])).as_py():
        facts = facts.take(pc.sort_indices(usccs))
    ones = pa.repeat(pa.scalar(1, pa.int64()), facts.num_rows)
    return facts.append_column("seq", pc.cumulative_sum(ones))  # 1, 2, …


def _dec(value: Any) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value)).quantize(PLACES)


def _raw(rules: dict) -> exp.Select:
    """Per firm: values, benchmarks and the scores of the firms with a value (f_i)."""
    indicators = rules["indicators"]
    flags = flag_codes(rules)
    exempt_flags = [r["flag"] for r in rules["restrictions"] if r["effect"] == "exempt"]
    exempt: exp.Expression = exp.false()
    for code in exempt_flags:
        exempt = exp.or_(exempt, sql("COALESCE(:f, FALSE)", f=code))
    adjustment: exp.Expression = exp.Literal.number(0)
    for a in rules["adjustments"]:
        holds = sql("COALESCE(:f, FALSE)", f=a.get("flag") or f"honor__{a['honor']}")
        adjustment = exp.Add(this=adjustment, expression=sql(
            "CASE WHEN :holds THEN :p ELSE 0 END", holds=holds, p=Decimal(a["points"])))  # fmt: skip

    # 1. values: v_i = numerator ÷ denominator × scale (NULL without both, or denominator ≤ 0)
    values = [
        sql("enterprise_id"), sql("uscc"), sql("seq"), sql("division"), exempt.as_("exempt"),
        adjustment.as_("adjustment"), *(sql("COALESCE(:f, FALSE)", f=c).as_(f"flag_{j}") for j, c in enumerate(flags)),
    ]  # fmt: skip
    for i, item in enumerate(indicators):
        ratio = RATIOS[item["feature"]]
        ok = sql("NOT :exempt AND :num IS NOT NULL AND :den > 0", exempt=exempt.copy(),
                 num=ratio.numerator, den=ratio.denominator)  # fmt: skip
        values += [
            sql("CASE WHEN :ok THEN :num END", ok=ok, num=ratio.numerator).as_(f"num_{i}"),
            sql("CASE WHEN :ok THEN :den END", ok=ok.copy(), den=ratio.denominator).as_(f"den_{i}"),
            sql("CASE WHEN :ok THEN CAST(:num AS DOUBLE) / CAST(:den AS DOUBLE) * :scale END",
                ok=ok.copy(), num=ratio.numerator, den=ratio.denominator,
                scale=Decimal(ratio.scale)).as_(f"v_{i}"),
        ]  # fmt: skip
    step1 = exp.select(*values).from_("facts")

    # 2. benchmarks, min/max and ranks over the evaluated firms with a value
    step2_cols: list[exp.Expression] = [exp.column(exp.Star(), "s1")]
    industry: list[exp.Expression] = []
    everyone: list[exp.Expression] = []
    benchmarks: list[exp.Expression] = []
    for i, item in enumerate(indicators):
        v, num, den = f"v_{i}", f"num_{i}", f"den_{i}"
        kind = item["benchmark"]["kind"]
        if kind == "fixed":
            bench = sql(":b", b=Decimal(item["benchmark"]["value"]))
            benchmarks.append(_rounded(bench.copy()).as_(f"benchmark_{i}"))
        else:  # one grouped pass (per 大类, or over all: a median is an aggregate there, as
            # the live database has no windowed median), joined back with the benchmark
            # already rounded for the output (a cast per group, not per firm)
            table = "ind" if kind == "industry_mean" else "pop"
            value = (sql("MEDIAN(:v)", v=v) if kind == "median" else
                     sql("CAST(SUM(:num) AS DOUBLE) / NULLIF(CAST(SUM(:den) AS DOUBLE), 0) * :scale",
                         num=num, den=den, scale=Decimal(RATIOS[item["feature"]].scale)))  # fmt: skip
            (industry if kind == "industry_mean" else everyone).extend([
                value.as_(f"bench_{i}"),
                _rounded(value.copy()).as_(f"benchmark_{i}"),
            ])  # fmt: skip
            bench = exp.column(f"bench_{i}", table)
            benchmarks.append(exp.column(f"benchmark_{i}", table).as_(f"benchmark_{i}"))
        order = "ASC" if item["direction"] == "higher" else "DESC"
        step2_cols.append(bench.as_(f"bench_{i}"))
        if item["scoring"] == "minmax":  # each window is a pass over the firms: only when used
            step2_cols += [
                sql("MIN(:v) OVER ()", v=v).as_(f"min_{i}"),
                sql("MAX(:v) OVER ()", v=v).as_(f"max_{i}"),
            ]
        elif item["scoring"] == "rank":
            rank = sql(f"PERCENT_RANK() OVER (PARTITION BY :v IS NULL ORDER BY :v {order})", v=v)
            step2_cols.append(rank.as_(f"pr_{i}"))
    step2 = exp.select(*step2_cols, *benchmarks).from_(step1.subquery("s1"))
    if industry:
        by_division = (
            exp.select("division", *industry)
            .from_(step1.copy().subquery("s1i"))
            .group_by("division")
        )
        step2 = step2.join(
            by_division.subquery("ind"),
            on=sql("ind.division IS NOT DISTINCT FROM s1.division"),
            join_type="left",
        )
    if everyone:
        step2 = step2.join(
            exp.select(*everyone).from_(step1.copy().subquery("s1p")).subquery("pop"),
            join_type="cross",
        )

    # 3. scores (f_i: NULL when the value is missing), then the missing-data rule
    step3_cols: list[exp.Expression] = [exp.Star()]
    for i, item in enumerate(indicators):
        w = Decimal(item["weight"])
        v, b = f"v_{i}", f"bench_{i}"
        if item["scoring"] == "ratio":
            part = (sql(":v / NULLIF(:b, 0)", v=v, b=b) if item["direction"] == "higher"
                    else sql(":b / NULLIF(:v, 0)", v=v, b=b))  # fmt: skip
            if "cap" in item:
                part = sql("LEAST(:part, :cap)", part=part, cap=Decimal(item["cap"]))
            formula = sql("GREATEST(:part, 0) * :w", part=part, w=w)
        elif item["scoring"] == "minmax":
            lo, hi = f"min_{i}", f"max_{i}"
            position = (sql("(:v - :lo) / NULLIF(:hi - :lo, 0)", v=v, lo=lo, hi=hi)
                        if item["direction"] == "higher"
                        else sql("(:hi - :v) / NULLIF(:hi - :lo, 0)", v=v, lo=lo, hi=hi))  # fmt: skip
            floor = Decimal(item["floor"])
            formula = sql(":w * (:floor + (100 - :floor) * COALESCE(:pos, 1)) / 100",
                          w=w, floor=floor, pos=position)  # fmt: skip
        else:
            formula = sql(":w * :pr", w=w, pr=f"pr_{i}")
        step3_cols.append(
            _decimal(sql("CASE WHEN :v IS NOT NULL THEN :f END", v=v, f=_rounded(formula))).as_(
                f"f_{i}"
            )
        )
    step3 = exp.select(*step3_cols).from_(step2.subquery("s2"))
    n = len(indicators)
    return exp.select(
        "enterprise_id", "uscc", "seq", "exempt", "adjustment",
        *(_rounded(sql(f"v_{i}")).as_(f"value_{i}") for i in range(n)),
        *(sql(f"benchmark_{i}") for i in range(n)),
        *(sql(f"f_{i}") for i in range(n)),
        *(sql(f"flag_{j}").as_(code) for j, code in enumerate(flags)),
    ).from_(step3.subquery("s3"))  # fmt: skip


def _filled(rules: dict, raw: str | exp.Expression = "raw") -> exp.Select:
    """The missing-data rule and the total over `_raw`'s rows (a table or a subquery).
    The population's average of an indicator is an aggregate over the raw scores joined
    back — a window would carry every column of every firm through its sort — and the
    average of exact DECIMAL scores is the same on every run, however many threads."""
    indicators = rules["indicators"]
    n = len(indicators)
    source = raw if isinstance(raw, exp.Expression) else exp.to_table(raw)
    averaged = [i for i, item in enumerate(indicators) if item["missing"] == "average"]
    scores: list[exp.Expression] = []
    for i in range(n):
        missing = (sql("COALESCE(:avg, 0)", avg=_rounded(sql(f"m.avg_{i}"))) if i in averaged
                   else exp.Literal.number(0))  # fmt: skip
        scores.append(_decimal(sql("CASE WHEN exempt THEN NULL ELSE COALESCE(:f, :missing) END",
                                   f=f"f_{i}", missing=missing)).as_(f"score_{i}"))  # fmt: skip
    filled = exp.select(exp.Star(), *scores).from_(source.copy())
    if averaged:
        means = exp.select(
            *(sql(f"SUM(f_{i}) / NULLIF(COUNT(f_{i}), 0)").as_(f"avg_{i}") for i in averaged)
        )
        filled = filled.join(means.from_(source.copy()).subquery("m"), join_type="cross")
    total = sql("CASE WHEN exempt THEN NULL ELSE :sum + adjustment END",
                sum=_sum([sql(f"score_{i}") for i in range(n)]))  # fmt: skip
    return exp.select(
        "enterprise_id", "uscc", "exempt", "adjustment", _decimal(total).as_("total"),
        *(sql(f"value_{i}") for i in range(n)),
        *(sql(f"benchmark_{i}") for i in range(n)),
        *(sql(f"score_{i}") for i in range(n)),
        *flag_codes(rules), "seq",
    ).from_(filled.subquery("s4"))  # fmt: skip


def _query(rules: dict) -> exp.Select:
    """Scores of every firm of the registered `facts` in one statement."""
    return _filled(rules, _raw(rules).subquery("raw"))


BACKENDS = ("live", "duckdb", "spark")


def evaluate(facts: pa.Table, rules: dict, *, backend: str = "duckdb") -> pa.Table:
    """Scores and classes of every firm of `facts`, as one Arrow table (in no particular
    order): the score columns of `score`, then klass, rank and the reason columns of
    classes.query. Sums are exact DECIMALs and every ordering is total, so any number of
    threads — and DuckDB, Spark SQL or PostgreSQL, rendering the same sqlglot trees — give
    the same result."""
    if backend == "spark":
        return _evaluate_spark(facts, rules)
    if backend == "live":
        return _evaluate_live(facts, rules)
    if backend != "duckdb":
        raise ValueError(backend)
    from gongxin.evaluation.classes import labelled

    raw, classing = _statements(rules, "duckdb")
    con = _database().cursor()
    try:
        con.register("facts", with_uscc_order(facts))
        con.execute("CREATE TEMP TABLE raw AS " + raw)
        return labelled(con.sql(classing).to_arrow_table())
    finally:
        con.close()


@cache
def _database() -> duckdb.DuckDBPyConnection:
    """One in-memory DuckDB per process, made on first use. Each evaluation runs on its
    own cursor — a connection with its own temp table and registered facts, so concurrent
    requests share nothing — and reuses the warm database's buffers and threads (a fresh
    database per run cost a fifth of the run at 500,000 firms)."""
    return duckdb.connect()


_RENDERED: dict[tuple[str, str], tuple[str, str]] = {}


def _statements(rules: dict, dialect: str) -> tuple[str, str]:
    """The two statements of `rules` in `dialect`: the raw scores of the registered
    `facts` (materialised as `raw`), then the filled scores with their classes. Building
    and rendering the sqlglot trees takes longer than DuckDB's classing of 100,000 firms,
    so the text is kept per scheme content."""
    key = (json.dumps(rules, sort_keys=True, default=str), dialect)
    if key not in _RENDERED:
        if len(_RENDERED) >= 64:
            _RENDERED.clear()
        raw = _raw(rules)
        classed = _with_classes(rules, ignore_nulls=dialect != "postgres").with_(
            "scored", as_=_filled(rules)
        )
        if dialect == "postgres":  # ROUND of a DOUBLE: there only to integers, half to even
            raw, classed = raw.transform(_round_numeric), classed.transform(_round_numeric)
        _RENDERED[key] = (
            raw.sql(dialect=dialect, identify=True),
            classed.sql(dialect=dialect, identify=True),
        )
    return _RENDERED[key]


def _round_numeric(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Round):
        node.set("this", exp.cast(node.this, exp.DataType.build("DECIMAL")))
    return node


def _with_classes(rules: dict, *, ignore_nulls: bool = True) -> exp.Select:
    """The scored firms with their classes: the class windows carry only the columns they
    read (each window materialises its input), and the scores join back once."""
    from gongxin.evaluation import classes

    narrow = exp.select("enterprise_id", "seq", "exempt", "total", *flag_codes(rules)).from_(
        "scored"
    )
    return exp.select("scored.*", *(exp.column(c, "c") for c in CLASS_COLUMNS)).from_("scored").join(
        classes.query(rules, narrow.subquery("n"), ignore_nulls=ignore_nulls).subquery("c"),
        using=["enterprise_id"])  # fmt: skip


def _evaluate_live(facts: pa.Table, rules: dict) -> pa.Table:
    """The same queries on the platform's PostgreSQL database: the facts go into a
    temporary table of exact NUMERICs, dropped with the transaction. SQLite is refused:
    it sums decimals as floats, so ranks and classes could differ from DuckDB's."""
    from django.db import connection, transaction

    from gongxin.evaluation.classes import labelled

    if refusal := live_refusal():
        raise LiveUnsupported(refusal)
    facts = with_uscc_order(facts)
    raw, classing = _statements(rules, "postgres")
    columns = ", ".join(f'"{f.name}" {_PG_TYPES[str(f.type)]}' for f in facts.schema)
    # ON COMMIT DROP, and dropped here too: inside an outer transaction nothing commits
    drop = "DROP TABLE IF EXISTS pg_temp.facts, pg_temp.raw"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(drop)
        cursor.execute(f"CREATE TEMP TABLE facts ({columns}) ON COMMIT DROP")
        names = ", ".join(f'"{name}"' for name in facts.column_names)
        with cursor.cursor.copy(f"COPY facts ({names}) FROM STDIN") as copy:
            for row in zip(
                *(facts.column(i).to_pylist() for i in range(facts.num_columns)), strict=True
            ):
                copy.write_row(row)
        cursor.execute("CREATE TEMP TABLE raw ON COMMIT DROP AS " + raw)
        cursor.execute(classing)
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        cursor.execute(drop)
    return labelled(pa.Table.from_pylist(rows))


def live_refusal() -> str:
    """Why the platform database cannot run the evaluation exactly, or "" when it can."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return ""
    return (
        "live 后端只能在 PostgreSQL 数据库上计算评价：SQLite 按浮点数累加金额，排名与分类"
        "可能与精确计算不同。请使用 --backend duckdb（默认）。"
    )


class LiveUnsupported(ValueError):
    """The live database cannot run the evaluation exactly (SQLite)."""


_PG_TYPES = {
    "int64": "BIGINT", "int32": "INTEGER", "string": "TEXT", "bool": "BOOLEAN",
    "decimal128(18, 4)": "NUMERIC(18, 4)",
}  # fmt: skip


def _evaluate_spark(facts: pa.Table, rules: dict) -> pa.Table:
    """The same queries on Spark SQL (local mode, the process's session): the facts go in as
    a Parquet file, the raw scores are cached as a temp view."""
    import tempfile
    from pathlib import Path

    import pyarrow.parquet as pq

    from gongxin.analytics.backends import spark_session
    from gongxin.evaluation.classes import labelled

    session = spark_session()
    with tempfile.TemporaryDirectory(prefix="gongxin-evaluation-") as directory:
        path = str(Path(directory) / "facts.parquet")
        pq.write_table(with_uscc_order(facts), path)
        session.read.parquet(path).createOrReplaceTempView("facts")
        raw, classing = _statements(rules, "spark")
        scored = session.sql(raw).cache()
        try:
            scored.createOrReplaceTempView("raw")
            rows = session.sql(classing).collect()
        finally:
            scored.unpersist()
            session.catalog.dropTempView("raw")
            session.catalog.dropTempView("facts")
    return labelled(pa.Table.from_pylist([row.asDict() for row in rows]))


def _rounded(value: exp.Expression) -> exp.Expression:
    """A computed (DOUBLE) value to 4 decimals, half away from zero, as DECIMAL(18, 4).
    The ten-thousandths are first rounded to 6 places, which turns a ratio that is exactly
    a half at the 5th decimal (18.56285 = 371.257 万元 ÷ 20 人, stored as 18.5628499…)
    back into that half; rounding the DOUBLE directly would go either way, and backends
    would disagree. Cheap DOUBLE arithmetic: DECIMAL(38, n) casts cost a third of a run."""
    return _decimal(sql("ROUND(ROUND(:x * 10000, 6)) / 10000", x=value))


def _decimal(value: exp.Expression) -> exp.Expression:
    """Rounded values leave the engine as DECIMAL(18, 4): Python gets Decimals directly."""
    return exp.cast(value, exp.DataType.build("DECIMAL(18, 4)"))


def _sum(parts: list[exp.Expression]) -> exp.Expression:
    total = parts[0]
    for part in parts[1:]:
        total = exp.Add(this=total, expression=part)
    return total
