"""A scheme's rules as data, checked and normalised before they are stored or run.

    indicators   [{"feature": "mu_tax", "weight": 30, "direction": "higher",
                   "benchmark": {"kind": "mean"}, "scoring": "ratio", "cap": 1.5,
                   "floor": 20, "missing": "zero"}, …]
    classes      {"method": "shares", "shares": {"A": 20, "B": 55, "C": 20, "D": 5},
                  "quotas": {"A_max": 20, "D_min": 5}}
              or {"method": "thresholds", "thresholds": {"A": 85, "B": 70, "C": 55}}
    restrictions [{"flag": "eval_exempt", "effect": "exempt"},
                  {"flag": "eval_accident", "effect": "best", "class": "C"},
                  {"flag": "eval_new_firm", "effect": "worst", "class": "C"}]
    adjustments  [{"flag": "…", "points": -5, "label": "…"} | {"honor": "srdi", …}]

Benchmarks: mean (Σ numerator ÷ Σ denominator over the evaluated firms, e.g. the county's
亩均税收), median (of the firms' values), industry_mean (the same ratio of sums within the
firm's 大类), fixed (a published value). Scoring: ratio (value ÷ benchmark × weight, or
benchmark ÷ value when lower is better; `cap` limits it to cap × weight; never below 0),
minmax (weight × [floor + (100 − floor) × position between min and max] ÷ 100), rank
(weight × share of firms it beats). Missing data: zero, or the evaluated firms' average
score on that indicator. Errors are Chinese and name the indicator.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from gongxin.analytics import catalog
from gongxin.analytics.catalog import PROVENANCE_LABELS, Provenance

DIRECTIONS = {"higher": "越高越好", "lower": "越低越好"}
BENCHMARKS = {"mean": "参评企业总量平均", "median": "参评企业中位数",
              "industry_mean": "同行业（大类）总量平均", "fixed": "公布的基准值"}  # fmt: skip
SCORINGS = {"ratio": "与基准值之比", "minmax": "最大最小值法", "rank": "排名法"}
MISSING = {"zero": "缺数据得0分", "average": "缺数据取参评企业该项平均得分"}
EFFECTS = {"exempt": "列为T类（暂不评价）", "best": "最高只能评为", "worst": "最低只能评为"}
CLASSES = ("A", "B", "C", "D")
DERIVED_FLAGS = {"upgraded_last_year": "上年小升规企业"}


class SchemeError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def check_scheme(data: Mapping[str, Any], *, complete: bool = True) -> dict[str, Any]:
    """The rules normalised (numbers as strings of Decimals, defaults filled), or SchemeError.
    With `complete=False` a weight may be left unset (None: a parameter the bureau has not
    decided yet, e.g. Shandong's set); such a scheme can be saved but not run."""
    indicators = data.get("indicators")
    if not isinstance(indicators, list) or not indicators:
        raise SchemeError("评价方案至少需要一项指标。")
    checked = [_indicator(i, item, complete) for i, item in enumerate(indicators, 1)]
    codes = [item["feature"] for item in checked]
    if len(set(codes)) != len(codes):
        raise SchemeError("同一指标在方案中出现了两次。")
    out = {
        "indicators": checked,
        "classes": _classes(data.get("classes")),
        "restrictions": [_restriction(r) for r in data.get("restrictions") or []],
        "adjustments": [_adjustment(a) for a in data.get("adjustments") or []],
    }
    legal = str(data.get("legal_basis") or "").strip()
    survey = sorted({label for code in codes for label in _survey_inputs(code)})
    if survey and not legal:
        raise SchemeError(
            f"指标使用了统计调查数据（{'、'.join(survey)}），请填写数据使用依据"
            "（授权开展评价及数据共享的文件）。"
        )
    return out


def _survey_inputs(code: str) -> list[str]:
    from gongxin.evaluation.features import inputs_of

    return [
        catalog.get(c).label
        for c in inputs_of(code)
        if catalog.get(c).provenance == Provenance.SURVEY
    ]


def _indicator(i: int, item: Any, complete: bool = True) -> dict[str, Any]:
    from gongxin.evaluation.features import RATIOS

    if not isinstance(item, Mapping):
        raise SchemeError(f"第{i}项指标格式不正确。")
    code = item.get("feature")
    try:
        feature = catalog.get(str(code))
    except catalog.CatalogError:
        raise SchemeError(f"第{i}项指标“{code}”不在指标目录中。") from None
    if code not in RATIOS:
        raise SchemeError(f"指标“{feature.label}”不是亩产效益评价指标。")
    name = f"指标“{feature.label}”"
    weight: Decimal | None = None
    if item.get("weight") in (None, "") and not complete:
        pass
    elif item.get("weight") in (None, ""):
        raise SchemeError(f"{name}的权重尚未设定，设定后才能计算。")
    else:
        weight = _number(item.get("weight"), f"{name}的权重")
        if weight <= 0:
            raise SchemeError(f"{name}的权重应大于0。")
    direction = _choice(item.get("direction", "higher"), DIRECTIONS, f"{name}的方向")
    scoring = _choice(item.get("scoring", "ratio"), SCORINGS, f"{name}的计分方法")
    missing = _choice(item.get("missing", "zero"), MISSING, f"{name}的缺数据规则")
    benchmark = item.get("benchmark") or {"kind": "mean"}
    if not isinstance(benchmark, Mapping):
        raise SchemeError(f"{name}的基准值格式不正确。")
    kind = _choice(benchmark.get("kind"), BENCHMARKS, f"{name}的基准值")
    bench: dict[str, Any] = {"kind": kind}
    if kind == "fixed":
        value = _number(benchmark.get("value"), f"{name}的基准值")
        if value <= 0:
            raise SchemeError(f"{name}的基准值应大于0。")
        bench["value"] = str(value)
    out: dict[str, Any] = {"feature": code, "weight": None if weight is None else str(weight), "direction": direction,
                           "benchmark": bench, "scoring": scoring, "missing": missing}  # fmt: skip
    if item.get("cap") not in (None, ""):
        cap = _number(item["cap"], f"{name}的得分上限倍数")
        if cap < 1:
            raise SchemeError(f"{name}的得分上限倍数不能小于1（即不低于权重）。")
        out["cap"] = str(cap)
    floor = _number(item.get("floor", 20), f"{name}的最低分比例")
    if not 0 <= floor < 100:
        raise SchemeError(f"{name}的最低分比例应在0到100之间。")
    out["floor"] = str(floor)
    return out


def _classes(data: Any) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise SchemeError("请设定分类规则（按得分线或按比例）。")
    method = data.get("method")
    if method == "thresholds":
        lines = data.get("thresholds")
        if not isinstance(lines, Mapping) or set(lines) != {"A", "B", "C"}:
            raise SchemeError("按得分线分类需要A、B、C三类的最低得分。")
        a, b, c = (_number(lines[k], f"{k}类得分线") for k in ("A", "B", "C"))
        if not a > b > c:
            raise SchemeError("得分线应满足 A > B > C。")
        out: dict[str, Any] = {
            "method": method,
            "thresholds": {"A": str(a), "B": str(b), "C": str(c)},
        }
    elif method == "shares":
        shares = data.get("shares")
        if not isinstance(shares, Mapping) or set(shares) != set(CLASSES):
            raise SchemeError("按比例分类需要A、B、C、D四类的比例（%）。")
        values = {k: _number(shares[k], f"{k}类比例") for k in CLASSES}
        if any(v < 0 for v in values.values()) or sum(values.values()) != 100:
            raise SchemeError("A、B、C、D四类比例之和应为100%。")
        out = {"method": method, "shares": {k: str(v) for k, v in values.items()}}
    else:
        raise SchemeError("分类方法应为“按得分线”或“按比例”。")
    quotas = data.get("quotas") or {}
    checked = {}
    for key, label in (("A_max", "A类比例上限"), ("D_min", "D类比例下限")):
        if quotas.get(key) not in (None, ""):
            value = _number(quotas[key], label)
            if not 0 <= value <= 100:
                raise SchemeError(f"{label}应在0到100之间。")
            checked[key] = str(value)
    out["quotas"] = checked
    return out


def _flag_label(code: Any, where: str) -> str:
    if code in DERIVED_FLAGS:
        return DERIVED_FLAGS[code]
    try:
        feature = catalog.get(str(code))
    except catalog.CatalogError:
        raise SchemeError(f"{where}的条件“{code}”不在指标目录中。") from None
    if feature.kind != "flag":
        raise SchemeError(f"{where}的条件“{feature.label}”不是“是/否”类指标。")
    return feature.label


def _restriction(item: Any) -> dict[str, Any]:
    if not isinstance(item, Mapping):
        raise SchemeError("限制条件格式不正确。")
    label = _flag_label(item.get("flag"), "限制条件")
    effect = _choice(item.get("effect"), EFFECTS, f"限制条件“{label}”的作用")
    out = {"flag": item["flag"], "effect": effect}
    if effect != "exempt":
        klass = item.get("class")
        if klass not in ("B", "C"):
            raise SchemeError(f"限制条件“{label}”应指定类别（B或C）。")
        out["class"] = klass
    return out


def _adjustment(item: Any) -> dict[str, Any]:
    from gongxin.enterprises.choices import HonorKind

    if not isinstance(item, Mapping):
        raise SchemeError("加减分项格式不正确。")
    if "honor" in item:
        if item["honor"] not in HonorKind.values:
            raise SchemeError(f"加减分项的荣誉“{item['honor']}”不是已知的荣誉资质。")
        label = str(HonorKind(item["honor"]).label)
        key = {"honor": item["honor"]}
    else:
        label = _flag_label(item.get("flag"), "加减分项")
        key = {"flag": item["flag"]}
    points = _number(item.get("points"), f"加减分项“{label}”的分值")
    if points == 0:
        raise SchemeError(f"加减分项“{label}”的分值不能为0。")
    return {**key, "points": str(points), "label": str(item.get("label") or label)}


def _choice(value: Any, choices: Mapping[str, str], what: str) -> str:
    if value not in choices:
        raise SchemeError(f"{what}“{value}”无效，应为：{'、'.join(choices.values())}。")
    return str(value)


def _number(value: Any, what: str) -> Decimal:
    if isinstance(value, bool) or value is None or value == "":
        raise SchemeError(f"请填写{what}。")
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise SchemeError(f"{what}“{value}”不是数字。") from None
    if not number.is_finite():
        raise SchemeError(f"{what}“{value}”不是数字。")
    return number


def source_labels(indicators: list[dict]) -> dict[str, str]:
    """Each indicator's input provenances in Chinese (shown on report cards)."""
    from gongxin.evaluation.features import provenances_of

    return {
        item["feature"]: "、".join(
            PROVENANCE_LABELS[p] for p in sorted(provenances_of(item["feature"]))
        )
        for item in indicators
    }
