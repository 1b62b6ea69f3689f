"""A criterion's outcome in words, from its structured reason (stored as data, worded only
when shown): "一季度新增工业产值（企业申报）3.42亿元，高于3亿元 ✓",
"一季度工业产值增速（企业申报）12.1%，低于15%，差2.9个百分点 ✗"."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from gongxin.analytics import catalog

SOURCE_NAMES = {
    "survey": "survey",
    "admin": "admin_record",
    "declared": "declared",
    "registry": "registry",
}
OP_WORDS = {"gt": "高于", "ge": "不低于", "lt": "低于", "le": "不高于", "eq": "等于"}
FAIL_WORDS = {"gt": "未高于", "ge": "低于", "lt": "未低于", "le": "高于", "eq": "不等于"}


def _round(value: Decimal, places: str) -> str:
    text = str(value.quantize(Decimal(places), ROUND_HALF_UP))
    return text.rstrip("0").rstrip(".") if "." in text else text


def amount(value: Decimal, unit: str, *, threshold: bool = False) -> str:
    """万元 from 1亿 up in 亿元 (two decimals at most), else in 万元; other units as stored."""
    if unit == "万元":
        if abs(value) >= 10000:
            return f"{_round(value / 10000, '0.01')}亿元"
        return f"{_round(value, '0.1')}万元"
    if unit == "%":
        if threshold:
            return f"{_round(value, '0.01')}%"
        return f"{value.quantize(Decimal('0.1'), ROUND_HALF_UP)}%"
    return f"{_round(value, '0.01')}{unit}"


def gap(actual: Decimal, threshold: Decimal, unit: str) -> str:
    difference = abs(threshold - actual)
    if unit == "%":
        return f"差{difference.quantize(Decimal('0.1'), ROUND_HALF_UP)}个百分点"
    return f"差{amount(difference, unit)}"


def text(reason: dict, labels: dict[str, str] | None = None) -> str:
    """One criterion: label, actual, comparison with the threshold, the gap when failed."""
    feature = catalog.get(reason["feature"])
    mark = "✓" if reason["passed"] else "✗"
    actual = reason["actual"]
    if reason["op"] == "in":
        names = labels or {}
        wanted = "、".join(names.get(v, v) for v in reason["threshold"])
        if actual is None or not reason["passed"]:
            return f"{feature.label}不属于{wanted} {mark}"
        return f"{feature.label}：{names.get(str(actual), str(actual))}，属于{wanted} {mark}"
    if isinstance(reason["threshold"], bool):
        held = actual in (1, True, "1")
        return f"{feature.label}：{'是' if held else '否'} {mark}"
    if actual is None:
        return f"{feature.label}：无数据 {mark}"
    value, threshold = Decimal(str(actual)), Decimal(str(reason["threshold"]))
    shown = f"{feature.label}{amount(value, feature.unit)}"
    if reason["passed"]:
        return f"{shown}，{OP_WORDS[reason['op']]}{amount(threshold, feature.unit, threshold=True)} {mark}"
    return (
        f"{shown}，{FAIL_WORDS[reason['op']]}{amount(threshold, feature.unit, threshold=True)}，"
        f"{gap(value, threshold, feature.unit)} {mark}"
    )
