"""Eligibility criteria as data: a tree of AND/OR groups over feature-catalog codes.

    {"all": [node, …]}  every node holds        {"any": [node, …]}  at least one holds
    {"feature": "q1_output_new_declared", "op": "gt", "value": 3, "unit": "亿元"}
    {"feature": "q1_output_growth_declared", "op": "ge", "param": "min_growth"}
    {"feature": "industry_code", "op": "in", "value": ["C", "39"]}

`check(tree, provenances, parameters)` refuses anything malformed with a Chinese message
and returns the tree normalised: amounts converted to the feature's stored unit, dated
parameters resolved, numbers as Decimal strings. Nothing here is ever evaluated as code:
the compiler maps each code to SQL through a fixed table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from gongxin.analytics import catalog
from gongxin.analytics.catalog import PROVENANCE_LABELS, Provenance

OPS = {"gt": "高于", "ge": "不低于", "lt": "低于", "le": "不高于", "eq": "等于", "in": "属于"}
NUMERIC_OPS = ("gt", "ge", "lt", "le", "eq")
MONEY_IN_WAN = {
    "元": Decimal("0.0001"),
    "千元": Decimal("0.1"),
    "万元": Decimal(1),
    "亿元": Decimal(10000),
}


class CriteriaError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def leaves(tree: Mapping[str, Any]) -> Iterator[dict]:
    if "feature" in tree:
        yield dict(tree)
        return
    for node in tree.get("all", tree.get("any", [])):
        yield from leaves(node)


def check(
    tree: Any,
    provenances: set[str],
    parameter: Callable[[str], tuple[Any, str] | None] = lambda name: None,
) -> dict:
    """The normalised tree, or CriteriaError naming what is wrong."""
    if not isinstance(tree, Mapping) or not tree:
        raise CriteriaError("资格条件为空：至少需要一个条件。")
    return _node(tree, provenances, parameter, depth=0)


def _node(node: Any, provenances: set[str], parameter, depth: int) -> dict:
    if not isinstance(node, Mapping):
        raise CriteriaError("资格条件格式不正确：每个条件应为一个条件或一个条件组。")
    if depth > 6:
        raise CriteriaError("条件组嵌套过深（最多6层）。")
    groups = [key for key in ("all", "any") if key in node]
    if groups:
        if len(groups) > 1 or len(node) > 1:
            raise CriteriaError("一个条件组只能是“全部满足”或“满足其一”之一。")
        key = groups[0]
        children = node[key]
        if not isinstance(children, list) or not children:
            label = "全部满足" if key == "all" else "满足其一"
            raise CriteriaError(f"“{label}”条件组为空：请至少加入一个条件。")
        return {key: [_node(child, provenances, parameter, depth + 1) for child in children]}
    return _leaf(node, provenances, parameter)


def _leaf(node: Mapping[str, Any], provenances: set[str], parameter) -> dict:
    from gongxin.policies import features

    code = node.get("feature")
    if not isinstance(code, str) or not code:
        raise CriteriaError("条件缺少指标。")
    try:
        feature = catalog.get(code)
    except catalog.CatalogError:
        raise CriteriaError(f"指标“{code}”不在指标目录中。") from None
    if features.source_of(code) is None:
        raise CriteriaError(f"指标“{feature.label}”不能用于政策条件。")
    read = features.provenances_read(code) - {Provenance.REGISTRY}  # identity: never limited
    if not read <= provenances:
        names = "、".join(PROVENANCE_LABELS[p] for p in sorted(read - provenances))
        allowed = "、".join(PROVENANCE_LABELS[p] for p in sorted(provenances)) or "无"
        raise CriteriaError(
            f"指标“{feature.label}”的数据来源为{names}，本条款只允许读取：{allowed}。"
        )
    op = node.get("op")
    if op not in OPS:
        raise CriteriaError(
            f"指标“{feature.label}”的比较方式“{op}”无效，应为：{'、'.join(OPS.values())}。"
        )
    value, unit = node.get("value"), node.get("unit", "")
    param = node.get("param")
    if param is not None:
        found = parameter(param)
        if found is None:
            raise CriteriaError(f"指标“{feature.label}”引用的参数“{param}”未设定。")
        value, unit = found
    out: dict[str, Any] = {"feature": code, "op": op}
    if param is not None:
        out["param"] = param
    if op == "in":
        if feature.kind != "category":
            raise CriteriaError(f"指标“{feature.label}”不是分类指标，不能用“属于”。")
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(v, str | int) for v in value)
        ):
            raise CriteriaError(f"指标“{feature.label}”的“属于”需要一个非空的取值列表。")
        out["value"] = [_category_value(feature, str(v)) for v in value]
        return out
    if feature.kind == "category":
        raise CriteriaError(f"分类指标“{feature.label}”只能用“属于”。")
    if feature.kind == "flag":
        if op != "eq" or not isinstance(value, bool):
            raise CriteriaError(f"指标“{feature.label}”只能判断“是/否”。")
        out["value"] = value
        return out
    out["value"] = str(_in_feature_unit(feature, _number(feature, value), unit or feature.unit))
    out["unit"] = feature.unit
    return out


def _number(feature, value) -> Decimal:
    if isinstance(value, bool):
        raise CriteriaError(f"指标“{feature.label}”的阈值应为数字。")
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise CriteriaError(f"指标“{feature.label}”的阈值“{value}”不是数字。") from None
    if not number.is_finite():
        raise CriteriaError(f"指标“{feature.label}”的阈值“{value}”不是数字。")
    return number


def _in_feature_unit(feature, number: Decimal, unit: str) -> Decimal:
    if unit == feature.unit:
        return number
    if feature.unit == "万元" and unit in MONEY_IN_WAN:
        return number * MONEY_IN_WAN[unit]
    raise CriteriaError(
        f"指标“{feature.label}”的单位应为{feature.unit or '无单位'}"
        f"{'（或元、千元、亿元）' if feature.unit == '万元' else ''}，不能用“{unit}”。"
    )


def _category_value(feature, value: str) -> str:
    """A category value the compiler can use: an industry as its 门类 letter or its digits
    (大类/中类/小类), an honor kind; refused with the feature's label otherwise."""
    if feature.code == "industry_code":
        from gongxin.enterprises import industries

        try:
            industry = industries.lookup(value)
        except industries.UnknownIndustry as error:
            raise CriteriaError(f"指标“{feature.label}”：{error.message}") from None
        return industry.code
    if feature.code == "evaluation_class" and value not in ("A", "B", "C", "D", "T"):
        raise CriteriaError(f"指标“{feature.label}”的取值应为A、B、C、D或T，不能是“{value}”。")
    if feature.code == "region" and not value.isdigit():
        raise CriteriaError(f"指标“{feature.label}”的取值“{value}”不是镇街或功能区的编号。")
    if feature.code == "honors":
        from gongxin.enterprises.choices import HonorKind

        if value not in HonorKind.values:
            raise CriteriaError(f"指标“{feature.label}”的取值“{value}”不是已知的荣誉资质。")
    return value
