"""The analyst's own enterprise list (自定义企业名单): codes or names as pasted, resolved
against the registry, and the engine's row for them.

Only the statistics role may run it: the same list with and without one enterprise
would give that enterprise's figures, which no suppression of a single cell prevents."""

from __future__ import annotations

from dataclasses import dataclass, field

from gongxin.analytics import lists
from gongxin.analytics.runners import IndicatorRow
from gongxin.core.text import normalize_name

MAX_LINES = 5000


@dataclass
class ResolvedList:
    ids: list[int] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # lines matching no enterprise
    ambiguous: list[str] = field(default_factory=list)  # names shared by several


def resolve(text: str) -> ResolvedList:
    """One enterprise per line (or separated by commas): a USCC or the registered name."""
    from gongxin.enterprises.models import Enterprise

    wanted = [w.strip() for line in text.splitlines() for w in line.replace("，", ",").split(",")]
    wanted = list(dict.fromkeys(w for w in wanted if w))[:MAX_LINES]
    codes = {w.upper() for w in wanted}
    by_code = dict(Enterprise.objects.filter(uscc__in=codes).values_list("uscc", "pk"))
    by_name: dict[str, list[int]] = {}
    names = set(wanted) | {normalize_name(w) for w in wanted}
    for pk, name in Enterprise.objects.filter(name__in=names).values_list("pk", "name"):
        by_name.setdefault(normalize_name(name), []).append(pk)
    result = ResolvedList()
    for written in wanted:
        if written.upper() in by_code:
            result.ids.append(by_code[written.upper()])
            continue
        found = by_name.get(normalize_name(written), [])
        if len(found) == 1:
            result.ids.append(found[0])
        elif found:
            result.ambiguous.append(written)
        else:
            result.unknown.append(written)
    result.ids = list(dict.fromkeys(result.ids))
    return result


def list_indicators(resolved: ResolvedList, period: str, measure: str = "output") -> IndicatorRow:
    row = lists.list_row(resolved.ids, period, measure)
    row.name = "自定义名单"
    return row
