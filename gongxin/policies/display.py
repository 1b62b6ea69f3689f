"""Clauses and matches in words for the pages: criteria trees and award rules rendered in
Chinese from the catalog labels, amounts as the bureau writes them. Pure functions: no
database, no request; the caller passes what it resolved (parameters, category labels)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from gongxin.analytics import catalog
from gongxin.policies import explain

OPS = {"gt": "高于", "ge": "不低于", "lt": "低于", "le": "不高于", "eq": "等于", "in": "属于"}
GROUPS = {"all": "同时满足以下全部条件", "any": "满足以下条件之一"}
SURVEY_HIDDEN = "（统计调查数据，仅统计分析岗位和企业本身可见）"

Parameter = Callable[[str], tuple[Any, str] | None]


def number(value: Any) -> str:
    """3 → "3", Decimal("100.0000") → "100", "1.2" → "1.2"; other values as text."""
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if not d.is_finite():
        return str(value)
    text = f"{d.normalize():f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def wan(value: Decimal | None) -> str:
    """An amount stored in 万元, as shown: "100万元", "2.94亿元"; "" for None."""
    return "" if value is None else explain.amount(Decimal(value), "万元")


def describe_criteria(
    tree: Mapping[str, Any] | None,
    parameter: Parameter | None = None,
    labels: Mapping[str, Mapping[str, str]] | None = None,
) -> dict:
    """The criteria tree as nested nodes for a template: a group is
    {"group": "同时满足以下全部条件", "items": [...]}, a leaf is {"text": "..."}.
    `parameter(name)` gives a cited parameter's (value, unit) when the caller resolved
    it; `labels[feature][value]` names category values (honors, regions)."""
    if not isinstance(tree, Mapping) or not tree:
        return {"text": "（未设定资格条件）"}
    for key, heading in GROUPS.items():
        if key in tree:
            children = tree[key] if isinstance(tree[key], list) else []
            return {
                "group": heading,
                "items": [describe_criteria(c, parameter, labels) for c in children],
            }
    return {"text": describe_leaf(tree, parameter, labels)}


def describe_leaf(
    leaf: Mapping[str, Any],
    parameter: Parameter | None = None,
    labels: Mapping[str, Mapping[str, str]] | None = None,
) -> str:
    """One criterion: "一季度新增工业产值（企业申报）高于3亿元"."""
    code = str(leaf.get("feature", ""))
    try:
        feature = catalog.get(code)
        label = feature.label
    except catalog.CatalogError:
        feature, label = None, f"未知指标“{code}”"
    op = leaf.get("op", "")
    value, unit = leaf.get("value"), leaf.get("unit", "")
    cited = ""
    param = leaf.get("param")
    if param is not None:
        found = parameter(param) if parameter is not None else None
        if found is None:
            return f"{label}{OPS.get(op, op)}参数“{param}”（未设定）"
        value, unit = found
        cited = f"（参数 {param}）"
    if op == "in":
        names = (labels or {}).get(code, {})
        values = value if isinstance(value, list) else [value]
        return f"{label}属于{'、'.join(str(names.get(str(v), v)) for v in values)}{cited}"
    if isinstance(value, bool) or (feature is not None and feature.kind == "flag"):
        return f"{label}：{'是' if value else '否'}{cited}"
    unit = unit or (feature.unit if feature is not None else "")
    return f"{label}{OPS.get(op, op)}{number(value)}{unit}{cited}"


def describe_award(rule: Mapping[str, Any] | None) -> str:
    """The award rule in words: "最高100万元", "按一季度新增工业产值的1%计算，最高100万元"."""
    if not rule:
        return "无资金奖补（服务事项）"
    kind = rule.get("kind")
    cap = f"，最高{number(rule['cap'])}万元" if "cap" in rule else ""
    if kind == "cap":
        text = f"最高{number(rule['cap'])}万元（未设定测算公式）"
    elif kind == "fixed":
        text = f"定额{number(rule['amount'])}万元{cap}"
    elif kind in ("rate", "tiers"):
        try:
            base = catalog.get(str(rule.get("base"))).label
        except catalog.CatalogError:
            base = str(rule.get("base"))
        if kind == "rate":
            text = f"按{base}的{number(rule['rate'])}%计算{cap}"
        else:
            tiers = "；".join(
                f"达到{wan(Decimal(t['from']))}奖{number(t['amount'])}万元"
                for t in rule.get("tiers", [])
            )
            text = f"按{base}分档：{tiers}（取最高档）{cap}"
    else:
        text = str(rule)
    stages = rule.get("stages")
    if stages:
        text += f"；分期拨付{'、'.join(f'{number(s)}%' for s in stages)}"
    return text


def award_text(award: Decimal | None, cap: Decimal | None) -> str:
    """A match's money: the estimate when the clause has a formula, else the cap."""
    if award is not None:
        return f"测算{wan(award)}" + (f"（上限{wan(cap)}）" if cap is not None else "")
    if cap is not None:
        return f"最高{wan(cap)}"
    return ""


def reason_lines(reasons: list[dict] | None, *, show_survey: bool = True) -> list[dict]:
    """Each criterion's stored text with its outcome, for ✓/✗ lists. A figure from the
    statistics survey is withheld from readers who may not see one enterprise's survey
    data (the bureau's supervisor and leader): the criterion's outcome stays visible."""
    lines = []
    for reason in reasons or []:
        text = reason.get("text", "")
        if reason.get("source") == "survey" and not show_survey:
            try:
                label = catalog.get(reason["feature"]).label
            except (catalog.CatalogError, KeyError):
                label = str(reason.get("feature", ""))
            text = f"{label}{SURVEY_HIDDEN} {'✓' if reason.get('passed') else '✗'}"
        lines.append({"text": text, "passed": bool(reason.get("passed"))})
    return lines


def reasons_text(reasons: list[dict] | None, *, show_survey: bool = True) -> str:
    """All criteria on one line, for a table cell and its export."""
    return "；".join(line["text"] for line in reason_lines(reasons, show_survey=show_survey))
