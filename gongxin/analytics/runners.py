"""Running the engine's SQL on a backend and shaping the rows. Only this module (and
backends) touches database connections.

Backends: "live" (the Django database: SQLite or PostgreSQL), "duckdb" and "spark" (the
Parquet snapshot that `gongxin snapshot` writes, read by DuckDB or by Spark SQL in local
mode)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import connection

from gongxin.analytics import facts, suppression
from gongxin.analytics.queries import FactSource, indicators, to_sql

BACKENDS = ("live", "duckdb", "spark")
COLUMNS = ("group", "enterprises", "ytd", "prior_ytd", "yoy", "share", "contribution",
           "pull_points", "growth_face", "largest")  # fmt: skip


@dataclass
class IndicatorRow:
    group: str
    name: str
    enterprises: int
    ytd: Decimal | None
    prior_ytd: Decimal | None
    yoy: float | None
    share: float | None
    contribution: float | None
    pull_points: float | None
    growth_face: float | None
    largest: Decimal | None
    suppressed: bool = False

    def as_json(self, *, hide: bool = True) -> dict:
        data = {
            "group": self.group, "name": self.name, "enterprises": self.enterprises,
            "ytd": _num(self.ytd), "prior_ytd": _num(self.prior_ytd), "yoy": _num(self.yoy),
            "share": _num(self.share), "contribution": _num(self.contribution),
            "pull_points": _num(self.pull_points), "growth_face": _num(self.growth_face),
            "suppressed": self.suppressed,
        }  # fmt: skip
        if self.suppressed and hide:
            for key in (
                "ytd",
                "prior_ytd",
                "yoy",
                "share",
                "contribution",
                "pull_points",
                "growth_face",
            ):
                data[key] = None
        return data


def _num(value) -> float | None:
    return None if value is None else float(value)


def live_dialect() -> str:
    """The sqlglot dialect of the live Django database."""
    return {"sqlite": "sqlite", "postgresql": "postgres"}[connection.vendor]


def snapshot_dir() -> Path:
    return Path(settings.VAR_DIR) / "snapshot"


def _run(by: str, measure: str, period: str, backend: str = "live") -> list[tuple]:
    from gongxin.enterprises.industries import section_ranges

    if backend in ("duckdb", "spark"):
        from gongxin.analytics import backends

        directory = snapshot_dir()
        if not (directory / "facts.parquet").exists():
            raise FileNotFoundError("尚未生成数据快照：请先运行 gongxin snapshot。")
        run = backends.run_duckdb if backend == "duckdb" else backends.run_spark
        return run(directory, by, measure, period)
    if backend != "live":
        raise ValueError(f"未知的计算后端：{backend}")

    ranges = section_ranges()
    relation = facts.facts(by, measure, period, ranges)
    population = FactSource(facts.facts("total", measure, period, ranges))
    query = indicators(FactSource(relation), period, population)
    with connection.cursor() as cursor:
        cursor.execute(to_sql(query, live_dialect()))
        return cursor.fetchall()


def _row(group: str, name: str, r: tuple) -> IndicatorRow:
    """Sums back at the stored scale (4 places): SQLite adds REALs, so 4979000 comes back
    as 4978999.999999999; every value has 4 decimals, so rounding the sum loses nothing."""
    enterprises, ytd, prior, *rates, largest = r[1:]
    return IndicatorRow(
        group, name, enterprises, _scale(ytd), _scale(prior), *rates, _scale(largest)
    )


def _scale(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.0001"))


def group_names(by: str, keys: list[str]) -> dict[str, str]:
    from gongxin.accounts.models import Unit
    from gongxin.enterprises import industries
    from gongxin.enterprises.choices import HonorKind
    from gongxin.enterprises.models import Cluster, Program

    if by in ("section", "division"):
        return {k: (industries.lookup(k).name if k != "?" else "未知行业") for k in keys}
    if by in ("town", "zone"):
        return {
            str(pk): name for pk, name in Unit.objects.filter(pk__in=keys).values_list("pk", "name")
        }
    if by in ("cluster", "chain"):
        return {
            str(pk): name
            for pk, name in Cluster.objects.filter(pk__in=keys).values_list("pk", "name")
        }
    if by == "program":
        return {
            str(pk): name
            for pk, name in Program.objects.filter(pk__in=keys).values_list("pk", "name")
        }
    if by == "honor":
        return {k: HonorKind(k).label for k in keys if k in HonorKind.values}
    if by == "size_band":
        return {key: label for key, _, label in facts.SIZE_BANDS}
    return {"total": "合计"}


def indicator_table(
    by: str, period: str, measure: str = "output", *, suppress: bool = False, backend: str = "live"
) -> list[IndicatorRow]:
    """One row per group, then the population's total ("total"). With `suppress`, cells
    that would reveal an enterprise are hidden (roles other than the analyst)."""
    rows = [_row(str(r[0]), "", r) for r in _run(by, measure, period, backend)]
    names = group_names(by, [r.group for r in rows])
    for row in rows:
        row.name = names.get(row.group, row.group)
    total = [_row("total", "合计", r) for r in _run("total", measure, period, backend)]
    if suppress:
        cells = [
            suppression.Cell(r.group, r.enterprises, Decimal(r.ytd or 0), Decimal(r.largest or 0))
            for r in rows
        ]
        marked = suppression.suppress(
            cells, min_count=settings.SUPPRESSION_MIN_ENTERPRISES,
            dominance=Decimal(str(settings.SUPPRESSION_DOMINANCE)),
            total_published=by in facts.PARTITIONS,
        )  # fmt: skip
        for row, cell in zip(rows, marked, strict=True):
            row.suppressed = cell.suppressed
    return rows + total
