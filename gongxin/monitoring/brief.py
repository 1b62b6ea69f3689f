"""The analysis brief (运行分析): the seed-000 style sentences, from the engine's rows."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from gongxin.analytics.runners import IndicatorRow
from gongxin.core.periods import Period


def yi(value) -> str:
    """万元 → 亿元 to one decimal, as bulletins write it."""
    return str((Decimal(str(value)) / Decimal(10000)).quantize(Decimal("0.1"), ROUND_HALF_UP))


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
    pull = row.pull_points
    verb = "拉动" if (pull or 0) >= 0 else "下拉"
    pull_text = f"，{verb}全区工业增长{pct(abs(pull))}个百分点" if pull is not None else ""
    return (
        f"{row.name}（{row.enterprises}家）累计实现产值{yi(row.ytd)}亿元，{growth_words(row.yoy)}，"
        f"占规上工业总产值的{pct(row.share)}%{pull_text}。"
    )


def brief_paragraphs(period: str, total: IndicatorRow, groups: list[IndicatorRow]) -> list[str]:
    paragraphs = [overview_sentence(period, total)]
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
            f"{r['name']}（{'+' if r['delta'] >= 0 else '−'}{yi(abs(r['delta']))}亿元）"
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
    paragraphs = brief_paragraphs(period, rows[-1], rows[:-1])
    moved = movers_paragraph(*movers(period))
    if moved:
        paragraphs.append(moved)
    p = Period.parse(period)
    return f"{p.year}年1-{p.month}月全区工业经济运行分析", paragraphs
