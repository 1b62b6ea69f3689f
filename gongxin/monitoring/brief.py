"""The analysis brief (运行分析): the seed-000 style sentences, from the engine's rows."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from gongxin.analytics.runners import IndicatorRow
from gongxin.core.periods import Period


def yi(value) -> str:
    """万元 → 亿元 to two decimals with a trailing zero dropped: seed 000 writes both
    "4786.1亿元" and "206.25亿元", and a bulletin never prints "4786.10"."""
    text = str((Decimal(str(value)) / Decimal(10000)).quantize(Decimal("0.01"), ROUND_HALF_UP))
    return text[:-1] if text.endswith("0") else text


def amount(wan) -> str:
    """An amount of 万元 as a bulletin writes it: 亿元 from 1亿 up, else whole 万元."""
    value = Decimal(str(wan))
    if abs(value) >= 10000:
        return f"{yi(value)}亿元"
    return f"{value.quantize(Decimal(1), ROUND_HALF_UP)}万元"


def pct(value) -> str:
    return str(Decimal(str(value)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def growth_words(value) -> str:
    if value is None:
        return "无可比数据"
    return f"同比增长{pct(value)}%" if value >= 0 else f"同比下降{pct(-value)}%"


def overview_sentence(period: str, total: IndicatorRow) -> str:
    """ "1-12月，1166家规上工业企业完成产值4786.1亿元，同比增长1.9%"."""
    p = Period.parse(period)
    span = f"1-{p.month}月" if p.month > 1 else "1月"
    return f"{p.year}年{span}，{total.enterprises}家规上工业企业完成产值{yi(total.ytd)}亿元，{growth_words(total.yoy)}。"


def group_sentence(row: IndicatorRow) -> str:
    """ "倍增企业（33家）累计实现产值497.9亿元，拉动全区工业增长1.2个百分点"."""
    if row.suppressed:
        return f"{row.name}：数据已按统计制度脱敏。"
    return (
        f"{row.name}（{row.enterprises}家）累计实现产值{yi(row.ytd)}亿元，{growth_words(row.yoy)}，"
        f"占规上工业总产值的{pct(row.share)}%{_pull_text(row.pull_points)}。"
    )


def program_sentence(row: IndicatorRow) -> str:
    """ "33家倍增企业累计实现产值497.9亿元，同比增长12.8%，拉动全区工业增长1.2个百分点"."""
    if row.suppressed:
        return f"{row.name}：数据已按统计制度脱敏。"
    return (
        f"{row.enterprises}家{row.name}累计实现产值{yi(row.ytd)}亿元，{growth_words(row.yoy)}"
        f"{_pull_text(row.pull_points)}。"
    )


def family_sentence(lead_names: str, row: IndicatorRow) -> str:
    """ "高端化工新材料、船舶海工等五大传统优势产业累计实现产值3805.3亿元，…占…79.5%"."""
    if row.suppressed:
        return f"{row.name}：数据已按统计制度脱敏。"
    return (
        f"{lead_names}{row.name}累计实现产值{yi(row.ytd)}亿元，{growth_words(row.yoy)}，"
        f"占规上工业总产值的{pct(row.share)}%。"
    )


def official_sentence(figure) -> str:
    """ "规上工业增加值同比增长7.5%（可比价，区统计局发布）": never mixed with nominal ones."""
    source = f"，{figure.source}发布" if figure.source else "，官方发布"
    return f"{figure.get_indicator_display()}{growth_words(figure.growth)}（可比价{source}）。"


def _pull_text(pull) -> str:
    if pull is None:
        return ""
    verb = "拉动" if pull >= 0 else "下拉"
    return f"，{verb}全区工业增长{pct(abs(pull))}个百分点"


def brief_paragraphs(
    period: str,
    total: IndicatorRow,
    groups: list[IndicatorRow],
    *,
    programs: Sequence[IndicatorRow] = (),
    families: Sequence[tuple[str, IndicatorRow]] = (),
    official: Sequence = (),
) -> list[str]:
    """Overview (with the official value-added growth when published), programs, cluster
    families, the grouping's groups, and the group pulling most."""
    overview = overview_sentence(period, total)
    for figure in official:
        if figure.scope_kind == "total" and figure.indicator == "value_added":
            overview += official_sentence(figure)
    paragraphs = [overview]
    paragraphs += [program_sentence(r) for r in programs if r.enterprises]
    paragraphs += [family_sentence(names, r) for names, r in families if r.enterprises]
    paragraphs += [group_sentence(r) for r in groups if r.group != "total" and r.enterprises]
    growing = sorted(
        (r for r in groups if r.yoy is not None and not r.suppressed and r.group != "total"),
        key=lambda r: r.pull_points or 0,
        reverse=True,
    )
    if growing:
        top = growing[0]
        paragraphs.append(f"从拉动看，{top.name}拉动最多，为{pct(top.pull_points)}个百分点。")
    return paragraphs


def compose(period: str, rows: list[IndicatorRow], *, suppress: bool) -> list[str]:
    """The brief for a grouping's engine rows (groups then "total"), as the viewer may
    see it: programs and families come from the engine too, suppressed the same way."""
    from gongxin.analytics import runners
    from gongxin.monitoring import families, official

    programs = [
        r
        for r in runners.indicator_table("program", period, suppress=suppress)
        if r.group != "total"
    ]
    family_rows = [(f.lead_names(), r) for f, r in families.family_rows(period, suppress=suppress)]
    return brief_paragraphs(
        period, rows[-1], rows[:-1], programs=programs, families=family_rows,
        official=official.figures_for(period),
    )  # fmt: skip


def movers(period: str, *, top: int = 5) -> tuple[list[dict], list[dict]]:
    """The enterprises that added and lost the most output this period (YTD vs prior),
    for the statistics role's brief only (individual figures)."""
    from gongxin.enterprises.models import ScaleRecord
    from gongxin.monitoring.models import MonthlyStat

    register = ScaleRecord.objects.filter(year=int(period[:4]), above_scale=True).values(
        "enterprise_id"
    )
    rows = [
        {"name": s.enterprise.name, "delta": s.output - s.output_prior}
        for s in MonthlyStat.objects.filter(period=period, enterprise_id__in=register)
        .exclude(output=None)
        .exclude(output_prior=None)
        .select_related("enterprise")
    ]
    rows.sort(key=lambda r: r["delta"], reverse=True)
    gainers = [r for r in rows[:top] if r["delta"] > 0]
    losers = [r for r in reversed(rows[-top:]) if r["delta"] < 0]
    return gainers, losers


def movers_paragraph(gainers: list[dict], losers: list[dict]) -> str:
    def names(rows):
        return "、".join(
            f"{r['name']}（{'+' if r['delta'] >= 0 else '−'}{amount(abs(r['delta']))}）"
            for r in rows
        )

    parts = []
    if gainers:
        parts.append(f"增量居前的企业：{names(gainers)}")
    if losers:
        parts.append(f"减量居前的企业：{names(losers)}")
    return "；".join(parts) + "。" if parts else ""


def build_brief(period: str, by: str = "cluster") -> tuple[str, list[str]]:
    """Title and paragraphs of the brief (statistics role's view: it names enterprises)."""
    from gongxin.analytics import runners

    rows = runners.indicator_table(by, period)
    paragraphs = compose(period, rows, suppress=False)
    moved = movers_paragraph(*movers(period))
    if moved:
        paragraphs.append(moved)
    p = Period.parse(period)
    return f"{p.year}年1-{p.month}月全区工业经济运行分析", paragraphs
