"""Official (published) figures: how their indicators and scopes are written, and reads.

The statistics bureau publishes growth rates of the region and its industries at
comparable prices (可比价; DOMAIN.md "Real vs nominal"). They are public once published,
so they do not wait for a period's release (that gate guards the enterprise-level survey
data the engine aggregates) and need no suppression (the bureau published them itself).
"""

from __future__ import annotations

import re

from gongxin.core.text import normalize_name
from gongxin.enterprises import industries
from gongxin.monitoring.models import OfficialFigure

Indicator = OfficialFigure.Indicator
ScopeKind = OfficialFigure.ScopeKind

# Ways bulletins write each indicator, after "规模以上" is folded to "规上".
INDICATOR_NAMES: dict[str, tuple[str, ...]] = {
    "value_added": ("规上工业增加值", "工业增加值", "增加值"),
    "output": ("规上工业总产值", "工业总产值", "规上工业产值", "总产值", "产值"),
    "revenue": ("规上工业营业收入", "工业营业收入", "营业收入", "主营业务收入"),
    "profit": ("规上工业利润总额", "工业利润总额", "利润总额", "利润"),
    "investment": ("工业投资",),
    "renovation": ("工业技改投资", "技改投资", "工业技术改造投资"),
}
TOTAL_NAMES = frozenset(
    {"全区", "全市", "全县", "合计", "总计", "全部", "全区合计", "规上工业", "全区规上工业"}
)
_QUALIFIERS = re.compile(r"[（(](?:可比价|可比价格|现价|%|％)[）)]")
# A code first ("C", "39", "C39", "1311"), maybe followed by the name; a name alone has none.
_CODE_FIRST = re.compile(r"^([A-Za-z]?\d{0,4})(?=[^\dA-Za-z]|$)(.*)$")


class UnknownScope(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def indicator_code(text: str) -> str | None:
    """ "规模以上工业增加值(可比价)" → "value_added"; None when not one of the fixed list."""
    name = normalize_name(_QUALIFIERS.sub("", text or "")).replace("规模以上", "规上")
    for code, names in INDICATOR_NAMES.items():
        if name in names:
            return code
    return None


def indicator_choices_text() -> str:
    return "、".join(str(label) for label in Indicator.labels)


def parse_scope(text: str) -> tuple[str, str, str]:
    """(kind, code, name) of a scope as written: "全区" → total; "C"/"C 制造业"/"制造业" →
    a 门类; "39"/"C39 计算机…" → a 大类; any other name (五大传统优势产业) → a named group."""
    written = normalize_name(text or "")
    if not written:
        raise UnknownScope("范围不能为空。")
    if written in TOTAL_NAMES:
        return "total", "", "全区"
    by_name = {
        normalize_name(i.name): i
        for i in industries.table().values()
        if i.level in (industries.SECTION, industries.DIVISION)
    }
    match = _CODE_FIRST.match(written)
    if match and match.group(1):
        try:
            industry = industries.lookup(match.group(1))
        except industries.UnknownIndustry as error:
            raise UnknownScope(error.message) from None
        rest = normalize_name(match.group(2))
        if rest and rest != normalize_name(industry.name):
            raise UnknownScope(
                f"行业代码“{match.group(1)}”是“{industry.name}”，与所写名称“{rest}”不符。"
            )
        return _industry_scope(industry)
    if written in by_name:
        return _industry_scope(by_name[written])
    if len(written) > 60:
        raise UnknownScope("范围名称不能超过60个字。")
    return "group", written, written


def _industry_scope(industry: industries.Industry) -> tuple[str, str, str]:
    if industry.level == industries.SECTION:
        return "section", industry.code, industry.name
    if industry.level == industries.DIVISION:
        return "division", industry.code, industry.name
    raise UnknownScope(
        f"行业代码“{industry.full_code}”是{industry.level}；官方发布数据按门类或大类填写（如 C、39）。"
    )


def figures_for(period: str) -> list[OfficialFigure]:
    """The period's official figures: the region first, then industries by code."""
    order = {kind: i for i, kind in enumerate(ScopeKind.values)}
    indicators = {code: i for i, code in enumerate(Indicator.values)}
    rows = list(OfficialFigure.objects.filter(period=period))
    return sorted(rows, key=lambda f: (order[f.scope_kind], f.scope_code, indicators[f.indicator]))


def latest_figure(
    indicator: str, scope_kind: str, scope_code: str, *, year: int, until: str | None = None
) -> OfficialFigure | None:
    """The latest official figure of the year (up to `until`) for an indicator and scope."""
    figures = OfficialFigure.objects.filter(
        indicator=indicator,
        scope_kind=scope_kind,
        scope_code=scope_code,
        period__startswith=f"{year}-",
    )
    if until:
        figures = figures.filter(period__lte=until)
    return figures.order_by("-period").first()
