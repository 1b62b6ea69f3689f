"""The fact relation of the live database: one row per enterprise of the year's
above-scale register for a period, with the group it belongs to and the measure's
current and prior-year YTD values (SQL trees only; runners execute them).

Groupings: section (门类, from the 大类 ranges), division (大类), town, zone, cluster,
chain, program, honor, size_band. Clusters, programs and honors may overlap: their
groups are not a partition and are shown without a total. "list" is one group, the
enterprises of a custom list (the analyst's only: a list with and without one firm
reveals that firm).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlglot import exp

from gongxin.core.periods import Period

GROUPINGS = (
    "section",
    "division",
    "town",
    "zone",
    "cluster",
    "chain",
    "program",
    "honor",
    "size_band",
)
PARTITIONS = {"section", "division", "town", "zone", "size_band"}
MEASURES = ("output", "revenue", "profit", "tax", "energy_tce", "value_added", "employees")
# Size bands by the year's YTD output (万元), lower bounds.
SIZE_BANDS = (("band_1", 100000, "10亿元以上"), ("band_2", 10000, "1亿–10亿元"),
              ("band_3", 2000, "2000万–1亿元"), ("band_4", 0, "2000万元以下"))  # fmt: skip


def _c(name: str, table: str) -> exp.Column:
    return exp.column(exp.to_identifier(name), table=exp.to_identifier(table))


def _lit(value) -> exp.Expression:
    return exp.Literal.string(value) if isinstance(value, str) else exp.Literal.number(value)


def _section_case(code: exp.Expression, ranges: Mapping[str, tuple[str, str]]) -> exp.Expression:
    division = exp.Substring(this=code, start=exp.Literal.number(1), length=exp.Literal.number(2))
    case = exp.Case()
    for letter, (low, high) in ranges.items():
        case = case.when(
            exp.Between(this=division.copy(), low=_lit(low), high=_lit(high)), _lit(letter)
        )
    return case.else_(_lit("?"))


def facts(
    by: str,
    measure: str,
    period: str,
    section_ranges: Mapping[str, tuple[str, str]],
    members: Sequence[int] = (),
) -> exp.Select:
    """(period, group_key, current, prior) for the register of the period's year; with
    by="list", only the `members` (enterprise ids), as the single group "list"."""
    if by not in (*GROUPINGS, "total", "list"):
        raise ValueError(f"未知的分组方式：{by}")
    if measure not in MEASURES:
        raise ValueError(f"未知的指标：{measure}")
    year = Period.parse(period).year
    s, e, r = "s", "e", "r"
    select = (
        exp.select(
            exp.alias_(_c("period", s), "period"),
            exp.alias_(_c(measure, s), "current"),
            exp.alias_(_c(f"{measure}_prior", s), "prior"),
        )
        .from_(exp.alias_(exp.to_table("monitoring_monthlystat"), s, table=True))
        .join(exp.alias_(exp.to_table("enterprises_enterprise"), e, table=True),
              on=exp.EQ(this=_c("id", e), expression=_c("enterprise_id", s)))
        .join(exp.alias_(exp.to_table("enterprises_scalerecord"), r, table=True),
              on=exp.and_(exp.EQ(this=_c("enterprise_id", r), expression=_c("id", e)),
                          exp.EQ(this=_c("year", r), expression=_lit(year)),
                          exp.EQ(this=_c("above_scale", r), expression=exp.true())))
        .where(exp.EQ(this=_c("period", s), expression=_lit(str(Period.parse(period)))))
    )  # fmt: skip
    if by == "list":
        ids = [exp.Literal.number(int(pk)) for pk in members] or [exp.null()]
        return select.select(exp.alias_(_lit("list"), "group_key")).where(
            exp.In(this=_c("id", e), expressions=ids)
        )
    return _with_group(select, by, year, section_ranges)


def _titles_held(year: int) -> exp.Select:
    """(enterprise_id, kind) once per title held by the year, whatever its levels and
    re-certifications: a firm counts once in its title's group."""
    h = "hh"
    return (
        exp.select(_c("enterprise_id", h).as_("enterprise_id"), _c("kind", h).as_("kind"))
        .from_(exp.alias_(exp.to_table("enterprises_honor"), h, table=True))
        .where(exp.LTE(this=_c("year", h), expression=_lit(year)))
        .group_by(_c("enterprise_id", h), _c("kind", h))
    )


def _with_group(select: exp.Select, by: str, year: int, ranges) -> exp.Select:
    e, s = "e", "s"
    code = _c("industry_code", e)
    if by == "total":
        return select.select(exp.alias_(_lit("total"), "group_key"))
    if by == "section":
        return select.select(exp.alias_(_section_case(code, ranges), "group_key"))
    if by == "division":
        key = exp.Substring(this=code, start=exp.Literal.number(1), length=exp.Literal.number(2))
        return select.select(exp.alias_(key, "group_key"))
    if by in ("town", "zone"):
        kind = "town" if by == "town" else "zone"
        return (
            select.select(exp.alias_(exp.cast(_c("id", "u"), "text"), "group_key"))
            .join(exp.alias_(exp.to_table("accounts_unit"), "u", table=True),
                  on=exp.and_(exp.EQ(this=_c("id", "u"), expression=_c("region_id", e)),
                              exp.EQ(this=_c("kind", "u"), expression=_lit(kind))))
        )  # fmt: skip
    if by in ("cluster", "chain"):
        return (
            select.select(exp.alias_(exp.cast(_c("id", "k"), "text"), "group_key"))
            .join(exp.alias_(exp.to_table("enterprises_clustermembership"), "m", table=True),
                  on=exp.EQ(this=_c("enterprise_id", "m"), expression=_c("id", e)))
            .join(exp.alias_(exp.to_table("enterprises_cluster"), "k", table=True),
                  on=exp.and_(exp.EQ(this=_c("id", "k"), expression=_c("cluster_id", "m")),
                              exp.EQ(this=_c("kind", "k"), expression=_lit(by))))
        )  # fmt: skip
    if by == "program":
        return (
            select.select(exp.alias_(exp.cast(_c("id", "p"), "text"), "group_key"))
            .join(exp.alias_(exp.to_table("enterprises_programmembership"), "m", table=True),
                  on=exp.EQ(this=_c("enterprise_id", "m"), expression=_c("id", e)))
            .join(exp.alias_(exp.to_table("enterprises_program"), "p", table=True),
                  on=exp.and_(exp.EQ(this=_c("id", "p"), expression=_c("program_id", "m")),
                              exp.EQ(this=_c("year", "p"), expression=_lit(year))))
        )  # fmt: skip
    if by == "honor":
        return (
            select.select(exp.alias_(_c("kind", "h"), "group_key"))
            .join(_titles_held(year).subquery("h"),
                  on=exp.EQ(this=_c("enterprise_id", "h"), expression=_c("id", e)))
        )  # fmt: skip
    # size_band: by the enterprise's own YTD output this period
    case = exp.Case()
    for key, lower, _label in SIZE_BANDS:
        case = case.when(
            exp.GTE(
                this=exp.Coalesce(this=_c("output", s), expressions=[_lit(0)]),
                expression=_lit(lower),
            ),
            _lit(key),
        )
    return select.select(exp.alias_(case, "group_key"))
