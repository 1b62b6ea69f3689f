"""The full monthly report (统计月报分析) on a Parquet snapshot, run by DuckDB.

`monthly_report(directory, period, measures=("output",))` returns plain Python structures:
  indicators  {measure: {grouping: [row, ...]}} for the total and every grouping of
              `facts.GROUPINGS`, each row a dict with group, enterprises, ytd, prior_ytd,
              yoy, share, contribution, pull_points, growth_face, largest — the engine's
              `queries.indicators` SQL, in its order (YTD descending); overlapping
              groupings (cluster, chain, program, honor) against the whole register;
  movers      {"gainers": [(enterprise_id, delta)], "losers": [...]}: the YTD output
              change on the prior year, ranked as `monitoring.brief.movers` ranks it (ties
              as its stable sort over enterprise order leaves them);
  warnings    {"decline": {"enterprise_id": [...], "yoy": [...]},
               "falling": {"enterprise_id": [...], "yoy": [...], "yoy_before": [...]},
               "below_scale": {"enterprise_id": [...], "annual_revenue": [...]}}: the
              rules of `monitoring.warnings` (settings.WARNING_DECLINE_PERCENT,
              settings.ABOVE_SCALE_REVENUE_WAN), enterprises in id order, figures as
              doubles for display (YoY in %, yoy_before three months earlier, 万元 a year).

The snapshot is what `backends.write_snapshot` writes (facts.parquet sorted by period,
groups.parquet), or the same facts as hive partitions `facts/period=YYYY-MM/*.parquet`
(read first when both are there; bench/RESULTS.md compares the layouts). The month's rows
are read once, only the columns the report needs, into a table of a private in-memory
DuckDB database; every statement after that runs on it, two at a time (one cursor per
lane). The database and the statements (built from sqlglot trees) are made once per
process: a warm report — the second in a process — pays neither, nor the Parquet footers.

Warnings are decided exactly on the decimals: a growth is compared through the YTD ratio
current/prior, by its double when that is clearly off the line and otherwise by exact
decimal cross-multiplication (sign-aware), so no rounding moves an enterprise across it.
"""

from __future__ import annotations

import functools
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb
from sqlglot import exp, parse_one

from gongxin.analytics.facts import GROUPINGS, MEASURES, PARTITIONS, SIZE_BANDS
from gongxin.analytics.queries import FactSource, indicators, to_sql
from gongxin.core.periods import Period

OVERLAPPING = tuple(g for g in GROUPINGS if g not in PARTITIONS)
ROW_KEYS = ("group", "enterprises", "ytd", "prior_ytd", "yoy", "share", "contribution",
            "pull_points", "growth_face", "largest")  # fmt: skip
WARNING_KINDS = ("decline", "falling", "below_scale")
VALUE_COLUMNS = tuple(f"{m}{s}" for m in MEASURES for s in ("", "_prior"))
MONTH, MEMBERS = "mr_month", "mr_members"
LOADED = "loaded"  # the period label of the loaded month

LANES = 2  # statements run side by side: the machine this was measured on has 2 cores

_lock = threading.Lock()
_opening = threading.Lock()
_local = threading.local()
_connection: duckdb.DuckDBPyConnection | None = None
_pool: ThreadPoolExecutor | None = None


def connection() -> duckdb.DuckDBPyConnection:
    """The process's DuckDB database (private, in memory), opened on first use; Parquet
    footers are cached in it, so a warm report does not parse them again."""
    global _connection
    with _opening:  # the lanes' first cursors ask for it at the same moment
        if _connection is None:
            _connection = duckdb.connect()
            _connection.execute("SET parquet_metadata_cache = true")
    return _connection


def _cursor() -> duckdb.DuckDBPyConnection:
    """This thread's connection to the report's database (its tables are shared)."""
    cursor = getattr(_local, "cursor", None)
    if cursor is None:
        cursor = _local.cursor = connection().cursor()
    return cursor


def _lanes() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(LANES, thread_name_prefix="monthly-report")
    return _pool


def _execute(*statements: str) -> None:
    for statement in statements:
        # fetched to the end: DuckDB refuses some later work on a connection whose last
        # result is unfinished (`.sql()` after `.execute()` raised ResourceInUse)
        _cursor().execute(statement).fetchall()


def _fetch(statement: str) -> list[tuple]:
    return _cursor().execute(statement).fetchall()


def _table(statement: str) -> list[dict]:
    return [dict(zip(ROW_KEYS, r, strict=True)) for r in _fetch(statement)]


def _tables(first: str, statements: list[str]) -> list[list[dict]]:
    _execute(first)
    return [_table(s) for s in statements]


def _flagged(aligned_sql: str, positional_sql: str, joined_sql: str):
    # The facts are sorted by period then enterprise: when every month of the window has
    # the same enterprises their rows line up, and are joined by position, not by hash.
    ((aligned,),) = _fetch(aligned_sql)
    return _cursor().sql(positional_sql if aligned else joined_sql).to_arrow_table()


def _setting(name: str, default):
    try:
        from django.conf import settings

        return getattr(settings, name, default) if settings.configured else default
    except ImportError:  # pragma: no cover - the platform always has Django
        return default


def _ident(name: str) -> exp.Identifier:
    return exp.to_identifier(name, quoted=True)


def _col(name: str, table: str | None = None) -> exp.Column:
    return exp.column(_ident(name), table=_ident(table) if table else None)


def _lit(value) -> exp.Expression:
    return exp.Literal.string(value) if isinstance(value, str) else exp.Literal.number(value)


def _aliased(source: exp.Expression, alias: str) -> exp.Table:
    """read_parquet(...) AS alias."""
    return exp.Table(this=source, alias=exp.TableAlias(this=exp.to_identifier(alias)))


def _sql(template: str, **values) -> str:
    """A fixed SQL template whose :placeholders become literal nodes (never pasted text)."""
    tree = parse_one(template, dialect="duckdb")
    return exp.replace_placeholders(tree, **values).sql(dialect="duckdb")


def _facts_source(directory: Path, periods: list[str]) -> tuple[exp.Expression, bool]:
    """The facts of `periods` as a FROM source, and whether it still needs a period filter."""
    tree = directory / "facts"
    if tree.is_dir():
        files = [str(tree / f"period={p}" / "*.parquet") for p in periods]
        files = [f for f, p in zip(files, periods, strict=True) if (tree / f"period={p}").is_dir()]
        if not files:
            raise FileNotFoundError(f"快照中没有 {periods[-1]} 的数据：{tree}")
        source = exp.func(
            "read_parquet",
            exp.Array(expressions=[exp.Literal.string(f) for f in files]),
            exp.EQ(this=exp.var("hive_partitioning"), expression=exp.true()),
        )
        return source, False
    return exp.func("read_parquet", exp.Literal.string(str(directory / "facts.parquet"))), True


def _has_month(directory: Path, period: str) -> bool:
    """False only for a partitioned snapshot without the period's folder."""
    tree = directory / "facts"
    return not tree.is_dir() or (tree / f"period={period}").is_dir()


def _month_columns(measures: tuple[str, ...]) -> list[str]:
    values = dict.fromkeys(["output", "output_prior", "revenue"])  # size band, movers, warnings
    for measure in measures:
        values.update(dict.fromkeys([measure, f"{measure}_prior"]))
    return list(values)


def _source_select(directory: Path, period: str, columns: list[str]) -> exp.Select:
    """SELECT columns FROM the facts of one period (a partition, or the sorted file)."""
    source, filtered = _facts_source(directory, [period])
    select = exp.select(*(_col(c) for c in columns)).from_(_aliased(source, "f"))
    if filtered:
        select = select.where(exp.EQ(this=_col("period"), expression=_lit(period)))
    return select


def _create(name: str, select: exp.Expression) -> str:
    create = exp.Create(
        this=exp.to_table(name),
        kind="TABLE",
        expression=select,
        replace=True,
    )  # a table of the report's private in-memory database, seen by every lane
    return create.sql(dialect="duckdb")


def _month_sql(directory: Path, period: str, measures: tuple[str, ...]) -> str:
    """The month's rows, only the report's columns, as a temporary table."""
    keys = ["enterprise_id", "section", "division", "town", "zone"]
    return _create(MONTH, _source_select(directory, period, keys + _month_columns(measures)))


def _members_sql(directory: Path, period: str, measures: tuple[str, ...]) -> str:
    """The year's memberships of the overlapping groupings, with the month's values."""
    groups = exp.func("read_parquet", exp.Literal.string(str(directory / "groups.parquet")))
    members = (
        exp.select(_col("grouping", "g"), _col("group_key", "g"),
                   *(_col(c, "m") for m in measures for c in (m, f"{m}_prior")))
        .from_(_aliased(groups, "g"))
        .join(exp.alias_(exp.to_table(MONTH), "m", table=True),
              on=exp.EQ(this=_col("enterprise_id", "m"), expression=_col("enterprise_id", "g")))
        .where(exp.EQ(this=_col("year", "g"), expression=_lit(Period.parse(period).year)))
    )  # fmt: skip
    return _create(MEMBERS, members)


def _fact_relation(by: str, measure: str, period: str) -> exp.Select:
    """(period, group_key, current, prior) over the loaded month: the relation the engine's
    `indicators` SQL takes, with the groups `backends` gives each grouping."""
    table = MEMBERS if by in OVERLAPPING else MONTH
    select = exp.select(
        exp.alias_(_lit(period), "period"),
        exp.alias_(_col(measure), "current"),
        exp.alias_(_col(f"{measure}_prior"), "prior"),
    ).from_(exp.to_table(table))
    if by == "total":
        return select.select(exp.alias_(_lit("total"), "group_key"))
    if by in ("section", "division"):
        return select.select(exp.alias_(_col(by), "group_key"))
    if by in ("town", "zone"):
        return select.select(exp.alias_(_col(by), "group_key")).where(
            exp.Not(this=exp.Is(this=_col(by), expression=exp.null()))
        )
    if by == "size_band":
        case = exp.Case()
        for key, lower, _label in SIZE_BANDS:
            output = exp.Coalesce(this=_col("output"), expressions=[_lit(0)])
            case = case.when(exp.GTE(this=output, expression=_lit(lower)), _lit(key))
        return select.select(exp.alias_(case, "group_key"))
    if by in OVERLAPPING:
        return select.select(exp.alias_(_col("group_key"), "group_key")).where(
            exp.EQ(this=_col("grouping"), expression=_lit(by))
        )
    raise ValueError(f"未知的分组方式：{by}")


def _pairs(measures: tuple[str, ...], groupings: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(measure, by) for measure in measures for by in groupings]


@functools.lru_cache(maxsize=8)
def _indicator_sql(measures: tuple[str, ...], groupings: tuple[str, ...]) -> tuple[str, ...]:
    """The engine's SQL for every (measure, grouping) table, over the loaded month. The
    period in it is a fixed label (the loaded table holds one month), so the statements are
    built once per process whatever the period: building them costs more than running them."""
    statements = []
    for measure, by in _pairs(measures, groupings):
        population = FactSource(_fact_relation("total", measure, LOADED))
        query = indicators(FactSource(_fact_relation(by, measure, LOADED)), LOADED, population)
        statements.append(to_sql(query, "duckdb"))
    return tuple(statements)


MOVERS = """
SELECT enterprise_id, output - output_prior AS delta FROM mr_month
WHERE output IS NOT NULL AND output_prior IS NOT NULL AND output - output_prior {sign} 0
ORDER BY delta {direction}, enterprise_id {tie} LIMIT :top
"""

# The window: per enterprise of the report month, YTD output and prior of the window's
# months (c0/p0 the earliest, c3/p3 the report month) and this month's revenue.
ALIGNED = """
SELECT count(*) FILTER (WHERE e0 IS DISTINCT FROM m.enterprise_id
  OR e1 IS DISTINCT FROM m.enterprise_id OR e2 IS DISTINCT FROM m.enterprise_id) = 0
FROM mr_month AS m POSITIONAL JOIN mr_w0 POSITIONAL JOIN mr_w1 POSITIONAL JOIN mr_w2
"""
WINDOW_POSITIONAL = """
SELECT m.enterprise_id, c0, p0, c1, p1, c2, p2, m.output AS c3, m.output_prior AS p3, m.revenue
FROM mr_month AS m POSITIONAL JOIN mr_w0 POSITIONAL JOIN mr_w1 POSITIONAL JOIN mr_w2
"""
WINDOW_JOINED = """
SELECT m.enterprise_id, c0, p0, c1, p1, c2, p2, m.output AS c3, m.output_prior AS p3, m.revenue
FROM mr_month AS m LEFT JOIN mr_w0 ON e0 = m.enterprise_id
LEFT JOIN mr_w1 ON e1 = m.enterprise_id LEFT JOIN mr_w2 ON e2 = m.enterprise_id
"""


def _exact_gt(a: int, b: int) -> str:
    """c_a/p_a > c_b/p_b: by the double quotients when they are clearly apart (each is within
    4e-16 of the true ratio), else exactly, cross-multiplied as wide decimals (p ≠ 0)."""
    wide = "CAST({} AS DECIMAL(38, 4))"
    ca, pa, cb, pb = (wide.format(f"{x}{k}") for x, k in (("c", a), ("p", a), ("c", b), ("p", b)))
    return (
        f"CASE WHEN abs(q{a} - q{b}) > 1e-12 * greatest(abs(q{a}), abs(q{b})) THEN q{a} > q{b} "
        f"ELSE ({ca} * {pb} - {cb} * {pa}) * sign(p{a}) * sign(p{b}) > 0 END"
    )


# The rules of monitoring.warnings (module docstring). `q` are the YTD ratios as doubles;
# growth = (q − 1) × 100, so comparing growths is comparing ratios.
WARNINGS = f"""
WITH k AS (
  SELECT *,
    c3 IS NOT NULL AND p3 IS NOT NULL AND p3 <> 0 AS known3,
    c0 IS NOT NULL AND p0 IS NOT NULL AND p0 <> 0 AND c1 IS NOT NULL AND p1 IS NOT NULL
      AND p1 <> 0 AND c2 IS NOT NULL AND p2 IS NOT NULL AND p2 <> 0 AS known012
  FROM window
), q AS (
  SELECT *,
    CASE WHEN known012 THEN CAST(c0 AS DOUBLE) / CAST(p0 AS DOUBLE) END AS q0,
    CASE WHEN known012 THEN CAST(c1 AS DOUBLE) / CAST(p1 AS DOUBLE) END AS q1,
    CASE WHEN known012 THEN CAST(c2 AS DOUBLE) / CAST(p2 AS DOUBLE) END AS q2,
    CASE WHEN known3 THEN CAST(c3 AS DOUBLE) / CAST(p3 AS DOUBLE) END AS q3
  FROM k
), flagged AS (
  SELECT enterprise_id,
    known3 AND CASE WHEN abs(q3 - :ratio) > 1e-12 * abs(:ratio) THEN q3 < :ratio
      WHEN p3 > 0 THEN CAST(c3 AS DECIMAL(38, 4)) < :ratio * CAST(p3 AS DECIMAL(38, 4))
      ELSE CAST(c3 AS DECIMAL(38, 4)) > :ratio * CAST(p3 AS DECIMAL(38, 4)) END AS decline,
    :falling AND known3 AND known012 AND {_exact_gt(0, 1)} AND {_exact_gt(1, 2)}
      AND {_exact_gt(2, 3)} AS falling,
    revenue IS NOT NULL AND revenue * 12 < :scale * :month AS below_scale,
    (q3 - 1) * 100 AS yoy,
    (q0 - 1) * 100 AS yoy_before,
    CAST(revenue AS DOUBLE) / :month * 12 AS annual
  FROM q
)
SELECT enterprise_id, decline, falling, below_scale, yoy, yoy_before, annual FROM flagged
WHERE decline OR falling OR below_scale
ORDER BY enterprise_id
"""  # noqa: S608 (fixed text: column names and constants, no value pasted in)


def _window(end: Period) -> list[str]:
    """The report month and up to three months before it, within its year (as warnings.py)."""
    return [str(end.shift(-k)) for k in range(3, -1, -1) if end.shift(-k).year == end.year]


@dataclass(frozen=True)
class Plan:
    """Every statement of one report, as DuckDB SQL text."""

    load: tuple[str, ...]  # the month, the memberships, the window's earlier months
    indicators: tuple[str, ...]  # one per (measure, grouping), in that order
    movers: tuple[str, str]  # gainers, losers
    aligned: str
    warnings_positional: str  # the warnings over the window joined by position
    warnings_joined: str  # … and by enterprise


@functools.lru_cache(maxsize=32)
def plan(
    directory: Path, period: str, measures: tuple[str, ...], top: int, decline: str, scale: str
) -> Plan:
    """The report's SQL, built from sqlglot trees once per process and arguments: building
    the trees costs more than DuckDB takes to run most of them."""
    end = Period.parse(period)
    load = [_month_sql(directory, period, measures), _members_sql(directory, period, measures)]
    months = _window(end)[:-1]
    earlier = [None] * (3 - len(months)) + months  # fewer months: no "falling" this year
    for k, month in enumerate(earlier):
        names = [f"e{k}", f"c{k}", f"p{k}"]
        if month is None or not _has_month(directory, month):
            select = exp.select(*(exp.alias_(exp.cast(exp.null(), "BIGINT"), n) for n in names))
            select = select.limit(0)
        else:
            columns = ("enterprise_id", "output", "output_prior")
            select = _source_select(directory, month, list(columns)).select(
                *(exp.alias_(_col(c), n) for c, n in zip(columns, names, strict=True)),
                append=False,
            )
        load.append(_create(f"mr_w{k}", select))
    ratio = Decimal(1) + Decimal(decline) / Decimal(100)
    warnings = [
        exp.replace_placeholders(
            parse_one(WARNINGS, dialect="duckdb"),
            ratio=exp.Literal.number(str(ratio)),
            falling=exp.Boolean(this=len(months) == 3),
            scale=exp.Literal.number(scale),
            month=end.month,
        )  # fmt: skip
        for _ in range(2)
    ]
    for tree, window in zip(warnings, (WINDOW_POSITIONAL, WINDOW_JOINED), strict=True):
        cte = tree.find(exp.With).expressions[0].this  # k: … FROM window
        cte.find(exp.From).set("this", parse_one(window, dialect="duckdb").subquery("window"))
    movers = tuple(
        _sql(MOVERS.format(sign=sign, direction=direction, tie=tie), top=top)
        for sign, direction, tie in ((">", "DESC", "ASC"), ("<", "ASC", "DESC"))
    )
    return Plan(
        load=tuple(load),
        indicators=_indicator_sql(measures, ("total", *GROUPINGS)),
        movers=movers,  # type: ignore[arg-type]
        aligned=_sql(ALIGNED),
        warnings_positional=warnings[0].sql(dialect="duckdb"),
        warnings_joined=warnings[1].sql(dialect="duckdb"),
    )


def monthly_report(
    directory: Path,
    period: str,
    *,
    measures: tuple[str, ...] = ("output",),
    top: int = 5,
    decline_percent: float | None = None,
    above_scale_wan: float | None = None,
) -> dict:
    """The month's report from the snapshot in `directory` (module docstring)."""
    period = str(Period.parse(period))
    measures = tuple(measures)
    unknown = [m for m in measures if m not in MEASURES]
    if unknown:
        raise ValueError(f"未知的指标：{'、'.join(unknown)}")
    if decline_percent is None:
        decline_percent = _setting("WARNING_DECLINE_PERCENT", -10)
    if above_scale_wan is None:
        above_scale_wan = _setting("ABOVE_SCALE_REVENUE_WAN", 2000)
    sql = plan(Path(directory), period, measures, top, str(decline_percent), str(above_scale_wan))
    groupings = ("total", *GROUPINGS)
    overlapping = [i for i, (_, by) in enumerate(_pairs(measures, groupings)) if by in OVERLAPPING]
    with _lock:
        lanes = _lanes()
        # 1. the month and the window's earlier months, side by side
        month = lanes.submit(_execute, sql.load[0])
        earlier = lanes.submit(_execute, *sql.load[2:])
        month.result()
        # 2. the longest chains first: memberships then their groupings; the warnings
        members = lanes.submit(_tables, sql.load[1], [sql.indicators[i] for i in overlapping])
        earlier.result()
        flagged = lanes.submit(_flagged, sql.aligned, sql.warnings_positional, sql.warnings_joined)
        others = {
            i: lanes.submit(_table, q) for i, q in enumerate(sql.indicators) if i not in overlapping
        }
        movers = [lanes.submit(_fetch, q) for q in sql.movers]
        results = dict(zip(overlapping, members.result(), strict=True))
        results.update((i, future.result()) for i, future in others.items())
        gainers, losers = (future.result() for future in movers)
        flagged = flagged.result()
    table: dict[str, dict[str, list[dict]]] = {m: {} for m in measures}
    for i, (measure, by) in enumerate(_pairs(measures, groupings)):
        table[measure][by] = results[i]
    figures = {"decline": ("yoy",), "falling": ("yoy", "yoy_before"),
               "below_scale": ("annual",)}  # fmt: skip
    warnings = {}
    for kind, names in figures.items():
        rows = flagged.filter(flagged.column(kind))
        warnings[kind] = {
            name if name != "annual" else "annual_revenue": rows.column(name).to_pylist()
            for name in ("enterprise_id", *names)
        }
    return {
        "period": period,
        "indicators": table,
        "movers": {"gainers": gainers, "losers": losers},
        "warnings": warnings,
    }
