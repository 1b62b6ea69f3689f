"""梯度培育 rule sets as data (rules/*.yaml): loaded, checked with Chinese errors, chosen by
date, and evaluated per enterprise. Pure: no ORM; facts are a mapping of fact keys to
Decimal, bool or None.

A rule set (one tier, one dated document):

    scheme: srdi-2026            tier: srdi (innovative | srdi | little_giant)
    name / document / note       valid_from: 2026-04-01   valid_to: null (open)
    parameters:                  every threshold, with its unit and its reference
      revenue_min: {value: 1500, unit: 万元, ref: "…"}
      rnd_ratio_bands: {value: [[5, 20], [3, 15]], unit: "%", ref: "…"}   # [threshold, points]
      inclusive: {value: true, ref: "“以上”含本数"}   # used by at_least/at_most/above/below
    derived:                     quantities computed from facts (units follow the operation)
      rnd_ratio: {label: …, ratio: [tier_rnd_expense, tier_revenue]}     # a ÷ b × 100
      main_growth: {label: …, growth: [tier_main_revenue, tier_main_revenue@-1]}
      main_growth_avg: {label: …, average_growth: [x, x@-1, x@-2], method: growth_method}
      rnd_2y: {label: …, sum: [x, x@-1]}          # also mean
    conditions: [criterion, …]   all must hold
    points: {total: 100, pass: points_min, groups: [{code, label, min: param}], items: […]}
    alternatives: [criterion, …] any one replaces the points
    near: {criteria: near_criteria, points: near_points}

Fact keys are catalog codes; `code@-1` is the year before the last full year (yearly
features only). A criterion is a comparison `{code, label, value, op, threshold[, inclusive]}`,
a flag `{code, label, value, is: true}`, a manual item `{code, label, manual: "what to check"}`
or a group `{code, label, any|all: […]}`; `on_missing: manual` turns missing data into a
manual check, `skip_in_review: true` leaves it out of a title's review. Operators: at_least,
at_most (boundary included when the `inclusive` parameter is true), above, below (their
complements), ge, gt, le, lt (fixed). A points item is `bands` over one value, `best_of`
several scales (the higher band wins), `options` (first that holds, `otherwise` last),
`per_unit` (points per step of a count, capped at the item's max), `score` (points read from
a fact) or `manual`.

Evaluation (results.py, through `evaluate` here) reads nothing but the facts.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import yaml

from gongxin.analytics import catalog
from gongxin.analytics.catalog import Feature
from gongxin.evaluation.tiers import features as tier_features

if TYPE_CHECKING:
    from gongxin.evaluation.tiers.results import TierResult

RULES_DIR = Path(__file__).resolve().parent / "rules"
TIERS = {
    "innovative": "创新型中小企业",
    "srdi": "专精特新中小企业",
    "little_giant": "专精特新“小巨人”企业",
}
MODES = {"application": "申报", "review": "复核"}

# op → (direction, strict when the boundary is included, strict when it is not)
OPS: dict[str, tuple[str, bool, bool]] = {
    "at_least": ("min", False, True), "above": ("min", True, False),
    "at_most": ("max", False, True), "below": ("max", True, False),
    "ge": ("min", False, False), "gt": ("min", True, True),
    "le": ("max", False, False), "lt": ("max", True, True),
}  # fmt: skip
DERIVED_OPS = {"ratio": "比值", "growth": "增长率", "average_growth": "平均增长率",
               "sum": "合计", "mean": "平均值"}  # fmt: skip
GROWTH_METHODS = {"arithmetic": "各年增长率的算术平均", "geometric": "复合增长率（几何平均）"}
LAG_WORDS = {0: "上年度", -1: "前年度", -2: "大前年度", -3: "三年前"}

_TOP_KEYS = {"scheme", "tier", "name", "document", "note", "valid_from", "valid_to",
             "parameters", "derived", "conditions", "points", "alternatives", "near"}  # fmt: skip
_CONDITION_KEYS = {"code", "label", "value", "op", "threshold", "inclusive", "is", "manual",
                   "any", "all", "on_missing", "skip_in_review", "ref"}  # fmt: skip
_ITEM_KEYS = {"code", "label", "group", "max", "value", "op", "bands", "inclusive", "best_of",
              "options", "per_unit", "step", "score", "manual", "ref"}  # fmt: skip


class TierRuleError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def split_key(key: str) -> tuple[str, int]:
    """ "tier_revenue@-1" → ("tier_revenue", -1); a plain code has lag 0."""
    code, _, lag = key.partition("@")
    if not lag:
        return code, 0
    try:
        return code, int(lag)
    except ValueError:
        return code, 1  # refused by the loader (lags are 0 or negative)


def trim(value: Decimal, places: str = "0.01") -> str:
    text = str(value.quantize(Decimal(places), ROUND_HALF_UP))
    return text.rstrip("0").rstrip(".") if "." in text else text


def amount(value: Decimal, unit: str) -> str:
    """万元 from 1亿 up in 亿元; at most two decimals."""
    if unit == "万元" and abs(value) >= 10000:
        return f"{trim(value / 10000)}亿元"
    return f"{trim(value)}{unit}"


def difference(value: Decimal, unit: str) -> str:
    return f"{trim(value)}个百分点" if unit == "%" else amount(value, unit)


# ---------------------------------------------------------------- the rule set


@dataclass(frozen=True)
class Parameter:
    name: str
    value: Any
    unit: str
    ref: str


@dataclass(frozen=True)
class Comparison:
    direction: str  # min | max
    strict: bool
    threshold: Decimal
    param: str

    def holds(self, value: Decimal) -> bool:
        if self.direction == "min":
            return value > self.threshold if self.strict else value >= self.threshold
        return value < self.threshold if self.strict else value <= self.threshold

    def gap(self, value: Decimal) -> Decimal:
        return self.threshold - value if self.direction == "min" else value - self.threshold

    @property
    def word(self) -> str:
        if self.direction == "min":
            return "高于" if self.strict else "不低于"
        return "低于" if self.strict else "不高于"

    @property
    def fail_word(self) -> str:
        if self.direction == "min":
            return "未高于" if self.strict else "低于"
        return "未低于" if self.strict else "高于"


@dataclass(frozen=True)
class Derived:
    name: str
    label: str
    op: str
    inputs: tuple[str, ...]
    unit: str
    method: str = ""


@dataclass(frozen=True)
class Condition:
    code: str
    label: str
    kind: str  # compare | flag | manual | all | any
    value: str = ""
    comparison: Comparison | None = None
    expected: bool | None = None
    children: tuple[Condition, ...] = ()
    missing_is_manual: bool = False
    skip_in_review: bool = False
    note: str = ""
    ref: str = ""


@dataclass(frozen=True)
class Scale:
    value: str
    bands: tuple[tuple[Comparison, Decimal], ...]  # best first


@dataclass(frozen=True)
class Option:
    when: Condition | None  # None: otherwise
    points: Decimal
    label: str


@dataclass(frozen=True)
class PointsItem:
    code: str
    label: str
    group: str
    max: Decimal
    kind: str  # bands | options | per_unit | score | manual
    value: str = ""
    scales: tuple[Scale, ...] = ()
    options: tuple[Option, ...] = ()
    per: Decimal = Decimal(0)
    step: Decimal = Decimal(1)
    note: str = ""
    ref: str = ""


@dataclass(frozen=True)
class PointsGroup:
    code: str
    label: str
    min: Decimal | None


@dataclass(frozen=True)
class Points:
    items: tuple[PointsItem, ...]
    groups: tuple[PointsGroup, ...]
    total: Decimal
    pass_total: Decimal


@dataclass(frozen=True)
class RuleSet:
    code: str
    tier: str
    name: str
    document: str
    valid_from: date
    valid_to: date | None
    note: str
    parameters: Mapping[str, Parameter]
    derived: Mapping[str, Derived]
    conditions: tuple[Condition, ...]
    points: Points | None
    alternatives: tuple[Condition, ...]
    near_criteria: int
    near_points: Decimal
    labels: Mapping[str, tuple[str, str]]  # value name → (label, unit)

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def fact_keys(self) -> frozenset[str]:
        """Every fact key the set reads, derived quantities followed to their inputs."""
        names: set[str] = set()
        for condition in (*self.conditions, *self.alternatives):
            names.update(_condition_values(condition))
        for item in self.points.items if self.points else ():
            names.update(scale.value for scale in item.scales)
            names.update(v for o in item.options if o.when for v in _condition_values(o.when))
            if item.value:
                names.add(item.value)
        keys: set[str] = set()
        for name in names:
            keys.update(self.derived[name].inputs if name in self.derived else (name,))
        return frozenset(keys)


def _condition_values(condition: Condition) -> Iterator[str]:
    if condition.value:
        yield condition.value
    for child in condition.children:
        yield from _condition_values(child)


def _key_label(feature: Feature, lag: int) -> str:
    return f"{feature.label}（{LAG_WORDS[lag]}）" if lag else feature.label


def key_label(key: str) -> str:
    """ "tier_revenue@-1" → "营业收入总额（前年度）"."""
    code, lag = split_key(key)
    return _key_label(catalog.get(code), lag)


# ---------------------------------------------------------------- loading and checking


def known_features() -> dict[str, Feature]:
    tier_features.register_all()
    return dict(catalog.CATALOG)


def load(path: Path, known: Mapping[str, Feature] | None = None) -> RuleSet:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise TierRuleError(f"{path.name}：不是有效的YAML（{error}）。") from error
    return parse(data, path.name, known)


def parse(data: Any, origin: str, known: Mapping[str, Feature] | None = None) -> RuleSet:
    """The rule set checked and resolved, or TierRuleError naming the problem in Chinese."""
    return _Loader(origin, known if known is not None else known_features()).rule_set(data)


def load_all(directory: Path = RULES_DIR) -> list[RuleSet]:
    sets = [load(path) for path in sorted(directory.glob("*.yaml"))]
    codes = [s.code for s in sets]
    for code in codes:
        if codes.count(code) > 1:
            raise TierRuleError(f"规则集代码“{code}”重复。")
    for tier in TIERS:
        dated = sorted((s for s in sets if s.tier == tier), key=lambda s: s.valid_from)
        for before, after in zip(dated, dated[1:], strict=False):
            if before.valid_to is None or before.valid_to >= after.valid_from:
                raise TierRuleError(
                    f"{TIERS[tier]}的规则集“{before.code}”与“{after.code}”有效期重叠。"
                )
    return sets


@functools.cache
def rule_sets() -> tuple[RuleSet, ...]:
    return tuple(load_all())


def in_force(tier: str, on: date, sets: Sequence[RuleSet] | None = None) -> RuleSet:
    if tier not in TIERS:
        raise TierRuleError(f"未知的培育梯度“{tier}”。")
    for rule_set in sets if sets is not None else rule_sets():
        if rule_set.tier == tier and rule_set.in_force(on):
            return rule_set
    raise TierRuleError(f"{on.isoformat()}没有有效的{TIERS[tier]}认定规则集。")


def evaluate(rule_set: RuleSet, facts: Mapping[str, Any], mode: str = "application") -> TierResult:
    """One enterprise's result (results.TierResult); mode "review" for a title's review."""
    from gongxin.evaluation.tiers import results  # results builds on this module's types

    return results.evaluate(rule_set, facts, mode)


def by_code(code: str) -> RuleSet:
    for rule_set in rule_sets():
        if rule_set.code == code:
            return rule_set
    raise TierRuleError(f"没有代码为“{code}”的规则集。")


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


class _Loader:
    def __init__(self, origin: str, known: Mapping[str, Feature]):
        self.origin = origin
        self.known = known
        self.parameters: dict[str, Parameter] = {}
        self.derived: dict[str, Derived] = {}
        self.used: set[str] = set()
        self.codes: set[str] = set()
        self.labels: dict[str, tuple[str, str]] = {}

    def fail(self, message: str) -> NoReturn:
        raise TierRuleError(f"{self.origin}：{message}")

    def rule_set(self, data: Any) -> RuleSet:
        if not isinstance(data, Mapping):
            self.fail("规则集应为一个映射（scheme、tier、parameters、conditions…）。")
        if unknown := sorted(set(data) - _TOP_KEYS):
            self.fail(f"未知字段：{'、'.join(map(str, unknown))}。")
        code = data.get("scheme")
        if not isinstance(code, str) or not code:
            self.fail("缺少规则集代码（scheme）。")
        self.origin = f"规则集“{code}”"
        tier = data.get("tier")
        if tier not in TIERS:
            self.fail(f"培育梯度（tier）应为 {'、'.join(TIERS)} 之一，现为“{tier}”。")
        for key in ("name", "document"):
            if not isinstance(data.get(key), str) or not data[key].strip():
                self.fail(f"缺少{'名称' if key == 'name' else '依据文件'}（{key}）。")
        valid_from, valid_to = _date(data.get("valid_from")), _date(data.get("valid_to"))
        if valid_from is None:
            self.fail("缺少或无法识别生效日期（valid_from，如 2026-04-01）。")
        if data.get("valid_to") is not None and valid_to is None:
            self.fail("无法识别失效日期（valid_to）。")
        if valid_to is not None and valid_to < valid_from:
            self.fail("失效日期早于生效日期。")
        self._parameters(data.get("parameters"))
        self.param("inclusive", "", "规则集", kind="bool")
        self._derived(data.get("derived") or {})
        conditions = data.get("conditions")
        if not isinstance(conditions, list) or not conditions:
            self.fail("至少需要一项认定条件（conditions）。")
        checked = tuple(self.condition(c, "认定条件") for c in conditions)
        points = self._points(data["points"]) if data.get("points") is not None else None
        alternatives = tuple(self.condition(c, "替代条件") for c in data.get("alternatives") or [])
        if alternatives and points is None:
            self.fail("替代条件（alternatives）只能与评分（points）一起使用。")
        near = data.get("near")
        if not isinstance(near, Mapping) or "criteria" not in near:
            self.fail("缺少“接近条件”的参数（near: {criteria: 参数名, points: 参数名}）。")
        near_criteria = self.param(near["criteria"], "项", "接近条件")
        near_points = Decimal(0)
        if points is not None:
            if "points" not in near:
                self.fail("有评分的规则集须在 near 中给出分差参数（points）。")
            near_points = self.param(near["points"], "分", "接近条件")
        if unused := sorted(set(self.parameters) - self.used):
            self.fail(f"参数未被任何条件使用：{'、'.join(unused)}。")
        return RuleSet(
            code=code, tier=tier, name=data["name"].strip(), document=data["document"].strip(),
            valid_from=valid_from, valid_to=valid_to, note=str(data.get("note") or "").strip(),
            parameters=self.parameters, derived=self.derived, conditions=checked,
            points=points, alternatives=alternatives, near_criteria=int(near_criteria),
            near_points=near_points, labels=self.labels,
        )  # fmt: skip

    def _parameters(self, raw: Any) -> None:
        if not isinstance(raw, Mapping):
            self.fail("缺少参数表（parameters）。")
        for name, spec in raw.items():
            if not isinstance(spec, Mapping) or "value" not in spec:
                self.fail(f"参数“{name}”应写作 {{value: …, unit: …, ref: …}}。")
            ref = spec.get("ref")
            if not isinstance(ref, str) or not ref.strip():
                self.fail(f"参数“{name}”缺少出处（ref）：每个阈值都应注明依据。")
            self.parameters[str(name)] = Parameter(
                str(name), spec["value"], str(spec.get("unit") or ""), ref.strip()
            )

    def param(self, name: Any, unit: str | None, where: str, kind: str = "number") -> Any:
        """The parameter's value (Decimal, bool or str), checked for kind and unit."""
        if not isinstance(name, str) or name not in self.parameters:
            self.fail(f"{where}引用的参数“{name}”未定义（parameters 中没有）。")
        parameter = self.parameters[name]
        self.used.add(name)
        if kind == "bool":
            if not isinstance(parameter.value, bool):
                self.fail(f"参数“{name}”应为 true 或 false。")
            return parameter.value
        if kind == "method":
            if parameter.value not in GROWTH_METHODS:
                self.fail(f"参数“{name}”应为 {'、'.join(GROWTH_METHODS)} 之一。")
            return parameter.value
        if kind == "number":
            value = _decimal(parameter.value)
            if value is None:
                self.fail(f"参数“{name}”应为数值，现为“{parameter.value}”。")
        else:
            value = parameter.value
        if unit is not None and parameter.unit != unit:
            self.fail(f"{where}：参数“{name}”的单位为“{parameter.unit}”，应为“{unit}”。")
        return value

    def _derived(self, raw: Any) -> None:
        if not isinstance(raw, Mapping):
            self.fail("派生指标（derived）应为映射。")
        for name, spec in raw.items():
            where = f"派生指标“{name}”"
            if name in self.known:
                self.fail(f"{where}与指标目录中的代码重名。")
            if not isinstance(spec, Mapping) or not isinstance(spec.get("label"), str):
                self.fail(
                    f"{where}应写作 {{label: …, ratio|growth|average_growth|sum|mean: […]}}。"
                )
            ops = [op for op in DERIVED_OPS if op in spec]
            if len(ops) != 1 or set(spec) - {"label", "method", *DERIVED_OPS}:
                self.fail(f"{where}须且只能有一种运算：{'、'.join(DERIVED_OPS)}。")
            op, inputs = ops[0], spec[ops[0]]
            wanted = {"ratio": 2, "growth": 2}.get(op)
            if (
                not isinstance(inputs, list)
                or len(inputs) < 2
                or (wanted and len(inputs) != wanted)
            ):
                self.fail(f"{where}的运算“{op}”需要{wanted or '至少2'}个输入。")
            units = {self.fact(key, where)[1] for key in inputs}
            if op in ("sum", "mean", "average_growth") and len(units) > 1:
                self.fail(f"{where}的输入单位不一致：{'、'.join(sorted(units))}。")
            method = ""
            if op == "average_growth":
                method = self.param(spec.get("method"), None, where, kind="method")
            unit = "%" if op in ("ratio", "growth", "average_growth") else units.pop()
            self.derived[str(name)] = Derived(
                str(name), spec["label"], op, tuple(inputs), unit, method
            )
            self.labels[str(name)] = (spec["label"], unit)

    def fact(self, key: Any, where: str) -> tuple[str, str, str]:
        """(label, unit, kind) of a fact key."""
        if not isinstance(key, str) or not key:
            self.fail(f"{where}缺少指标代码。")
        code, lag = split_key(key)
        feature = self.known.get(code)
        if feature is None:
            self.fail(f"{where}引用的指标“{code}”不在指标目录中。")
        if lag > 0 or lag < -3 or key != (code if lag == 0 else f"{code}@{lag}"):
            self.fail(f"{where}：往年值写作“{code}@-1”（前一年度）至“{code}@-3”，现为“{key}”。")
        if lag and feature.period_rule != "year":
            self.fail(f"{where}：“{feature.label}”是当前状态指标，不能取往年值（{key}）。")
        label = _key_label(feature, lag)
        self.labels[key] = (label, feature.unit)
        return label, feature.unit, feature.kind

    def value(self, name: Any, where: str) -> tuple[str, str, str]:
        if isinstance(name, str) and name in self.derived:
            derived = self.derived[name]
            return derived.label, derived.unit, "number"
        return self.fact(name, where)

    def operator(self, node: Mapping[str, Any], where: str) -> tuple[str, bool]:
        """(direction, strict) of the node's `op`, the boundary read from its parameter."""
        op = node.get("op")
        if op not in OPS:
            self.fail(f"{where}：运算符“{op}”无效，应为 {'、'.join(OPS)} 之一。")
        direction, strict_if_in, strict_if_out = OPS[op]
        inclusive = self.param(node.get("inclusive", "inclusive"), None, where, kind="bool")
        return direction, strict_if_in if inclusive else strict_if_out

    def _code(self, node: Mapping[str, Any], where: str) -> tuple[str, str]:
        code, label = node.get("code"), node.get("label") or node.get("manual")
        if not isinstance(code, str) or not code:
            self.fail(f"{where}缺少代码（code）。")
        if code in self.codes:
            self.fail(f"代码“{code}”重复。")
        self.codes.add(code)
        if not isinstance(label, str) or not label.strip():
            self.fail(f"{where}“{code}”缺少名称（label）。")
        return code, label.strip()

    def condition(self, node: Any, where: str, code: str | None = None) -> Condition:
        """A criterion; inside a group or an option `code` is given (parent.n) and the code
        and label may be left out (the label then says what is compared)."""
        if not isinstance(node, Mapping):
            self.fail(f"{where}格式不正确：每项应为一个映射。")
        if unknown := sorted(set(node) - _CONDITION_KEYS):
            self.fail(f"{where}含未知字段：{'、'.join(map(str, unknown))}。")
        if code is None or "code" in node:
            code, label = self._code(node, where)
        else:
            label = str(node.get("label") or "").strip()
        where = f"{where}“{code}”"
        if node.get("on_missing") not in (None, "manual", "missing"):
            self.fail(f"{where}：on_missing 应为 manual 或 missing。")
        base = Condition(
            code=code, label=label, kind="", ref=str(node.get("ref") or ""),
            skip_in_review=bool(node.get("skip_in_review", False)),
            missing_is_manual=node.get("on_missing") == "manual",
        )  # fmt: skip
        for key in ("any", "all"):
            if key in node:
                children = node[key]
                if not isinstance(children, list) or not children:
                    self.fail(f"{where}的条件组（{key}）为空。")
                kids = tuple(
                    self.condition(c, where, f"{code}.{i}") for i, c in enumerate(children, 1)
                )
                default = "满足其一" if key == "any" else "全部满足"
                return replace(base, kind=key, children=kids, label=label or default)
        if "manual" in node:
            note = str(node["manual"] or label)
            return replace(base, kind="manual", note=note, label=label or note)
        value_label, unit, kind = self.value(node.get("value"), where)
        if "is" in node:
            if kind != "flag" or not isinstance(node["is"], bool):
                self.fail(f"{where}：“is: true/false”只能用于是否类指标，“{value_label}”不是。")
            default = value_label if node["is"] else f"{value_label}：否"
            return replace(
                base, kind="flag", value=node["value"], expected=node["is"], label=label or default
            )
        if kind == "flag":
            self.fail(f"{where}：“{value_label}”是是否类指标，应写“is: true”或“is: false”。")
        direction, strict = self.operator(node, where)
        threshold = self.param(node.get("threshold"), unit, where)
        comparison = Comparison(direction, strict, threshold, node["threshold"])
        default = f"{value_label}{comparison.word}{amount(threshold, unit)}"
        return replace(
            base, kind="compare", value=node["value"], comparison=comparison, label=label or default
        )

    def _points(self, raw: Any) -> Points:
        if not isinstance(raw, Mapping) or not isinstance(raw.get("items"), list):
            self.fail("评分（points）应写作 {total: …, pass: 参数名, groups: […], items: […]}。")
        groups = []
        for group in raw.get("groups") or []:
            minimum = group.get("min")
            groups.append(PointsGroup(
                str(group.get("code")), str(group.get("label") or group.get("code")),
                self.param(minimum, "分", f"分组“{group.get('code')}”") if minimum else None,
            ))  # fmt: skip
        items = tuple(self._item(item, {g.code for g in groups}) for item in raw["items"])
        total = _decimal(raw.get("total"))
        summed = sum((item.max for item in items), Decimal(0))
        if total is None or summed != total:
            self.fail(
                f"各评分项满分合计为{trim(summed)}分，与总分（total）{raw.get('total')}不符。"
            )
        return Points(items, tuple(groups), total, self.param(raw.get("pass"), "分", "评分"))

    def _item(self, node: Any, groups: set[str]) -> PointsItem:
        if not isinstance(node, Mapping):
            self.fail("评分项格式不正确：每项应为一个映射。")
        code, label = self._code(node, "评分项")
        where = f"评分项“{code}”"
        if unknown := sorted(set(node) - _ITEM_KEYS):
            self.fail(f"{where}含未知字段：{'、'.join(map(str, unknown))}。")
        top = _decimal(node.get("max"))
        if top is None or top <= 0:
            self.fail(f"{where}缺少满分（max）。")
        group = str(node.get("group") or "")
        if groups and group not in groups:
            self.fail(f"{where}的分组“{group}”未在 groups 中定义。")
        base = PointsItem(code, label, group, top, kind="", ref=str(node.get("ref") or ""))
        if "manual" in node:
            return replace(base, kind="manual", note=str(node["manual"] or label))
        if "score" in node:
            self.value(node["score"], where)
            return replace(base, kind="score", value=node["score"])
        if "options" in node:
            return replace(base, kind="options", options=self._options(node["options"], code, top))
        if "best_of" in node or "bands" in node:
            raw = node.get("best_of", [node])
            if not isinstance(raw, list) or not raw:
                self.fail(f"{where}的 best_of 应为若干评分标尺。")
            return replace(
                base, kind="bands", scales=tuple(self._scale(s, where, top) for s in raw)
            )
        if "per_unit" not in node:
            self.fail(f"{where}应为 bands、best_of、options、per_unit、score 或 manual 之一。")
        _, unit, kind = self.value(node.get("value"), where)
        if kind == "flag":
            self.fail(f"{where}：是否类指标不能按数量计分。")
        per = self.param(node["per_unit"], "分", where)
        step = self.param(node["step"], unit, where) if "step" in node else Decimal(1)
        if step <= 0:
            self.fail(f"{where}的步长应大于0。")
        return replace(base, kind="per_unit", value=node["value"], per=per, step=step)

    def _scale(self, node: Any, where: str, top: Decimal) -> Scale:
        if not isinstance(node, Mapping):
            self.fail(f"{where}的评分标尺格式不正确。")
        _, unit, kind = self.value(node.get("value"), where)
        if kind == "flag":
            self.fail(f"{where}：是否类指标不能分档计分，请用 options。")
        table = self.param(node.get("bands"), unit, where, kind="table")
        if not isinstance(table, list) or not table:
            self.fail(f"{where}：分档参数“{node.get('bands')}”应为 [[阈值, 分值], …]。")
        bands: list[tuple[Decimal, Decimal]] = []
        for row in table:
            pair = [_decimal(x) for x in row] if isinstance(row, list) and len(row) == 2 else []
            if len(pair) != 2 or pair[0] is None or pair[1] is None:
                self.fail(f"{where}：分档参数“{node['bands']}”的每档应为 [阈值, 分值]。")
            bands.append((pair[0], pair[1]))
        direction, strict = self.operator(node, where)
        steps = [b[0] for b in bands]
        ordered = steps == sorted(steps, reverse=direction == "min")
        if not ordered or [b[1] for b in bands] != sorted((b[1] for b in bands), reverse=True):
            self.fail(f"{where}：分档参数“{node['bands']}”应从最高分档排起。")
        if any(b[1] > top for b in bands):
            self.fail(f"{where}：分档分值超过该项满分{trim(top)}分。")
        return Scale(node["value"], tuple(
            (Comparison(direction, strict, t, node["bands"]), p) for t, p in bands
        ))  # fmt: skip

    def _options(self, raw: Any, code: str, top: Decimal) -> tuple[Option, ...]:
        if not isinstance(raw, list) or not raw:
            self.fail(f"评分项“{code}”的 options 为空。")
        options = []
        for i, option in enumerate(raw, 1):
            points = _decimal(option.get("points")) if isinstance(option, Mapping) else None
            if points is None or points > top:
                self.fail(f"评分项“{code}”第{i}档的分值缺失或超过满分。")
            label = str(option.get("label") or "")
            if option.get("otherwise"):
                options.append(Option(None, points, label or "其他"))
            else:
                when = self.condition(option.get("when"), f"评分项“{code}”第{i}档", f"{code}.{i}")
                options.append(Option(when, points, label or when.label))
        return tuple(options)
