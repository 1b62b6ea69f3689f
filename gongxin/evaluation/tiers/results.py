"""One enterprise's result under a tier rule set (rules.py), from its facts alone.

Each criterion ends met / not_met (with the gap in its unit) / missing_data / manual, or
skipped (a test a title's review leaves out). The whole is decided under three readings of
what is unknown — pessimistic; manual items granted; manual items and missing figures
granted — giving qualified, qualified_pending_manual, incomplete (the missing figures decide)
or, when even the third reading fails, near (one criterion, or a few points, short: the set's
`near` parameters) or not_qualified. Alternatives (直通条件) never make a firm "near": they are
not something to coach towards.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from typing import Any

from gongxin.evaluation.tiers.rules import (
    MODES,
    Condition,
    Derived,
    Option,
    PointsItem,
    RuleSet,
    Scale,
    TierRuleError,
    amount,
    difference,
    key_label,
    trim,
)

Fact = Decimal | bool | None

MET, NOT_MET, MISSING, MANUAL, SKIPPED = "met", "not_met", "missing_data", "manual", "skipped"
STATUS_LABELS = {MET: "符合", NOT_MET: "不符合", MISSING: "缺数据", MANUAL: "需人工审核",
                 SKIPPED: "复核不考核"}  # fmt: skip
QUALIFIED, PENDING, NEAR = "qualified", "qualified_pending_manual", "near"
INCOMPLETE, NOT_QUALIFIED = "incomplete", "not_qualified"
OUTCOME_LABELS = {QUALIFIED: "符合条件", PENDING: "待人工审核", NEAR: "接近条件",
                  INCOMPLETE: "数据不全", NOT_QUALIFIED: "不符合"}  # fmt: skip
OUTCOME_ORDER = (QUALIFIED, PENDING, NEAR, INCOMPLETE, NOT_QUALIFIED)

PLACES = Decimal("0.00000001")  # derived values, so 2.9999999… is compared as 3
FAR = 10**6  # more criteria to fix than any set has
ZERO = Decimal(0)

Verdict = tuple[bool, bool, bool]  # pessimistic, manual granted, everything granted
Triple = tuple[Decimal, Decimal, Decimal]
_BY_STATUS: dict[str, Verdict] = {MET: (True, True, True), SKIPPED: (True, True, True),
                                  NOT_MET: (False, False, False), MANUAL: (False, True, True),
                                  MISSING: (False, False, True)}  # fmt: skip


@dataclass(frozen=True)
class CriterionResult:
    code: str
    label: str
    status: str
    text: str = ""
    actual: Decimal | bool | None = None
    threshold: Decimal | bool | None = None
    unit: str = ""
    gap: Decimal | None = None
    gap_text: str = ""
    ref: str = ""
    missing: tuple[str, ...] = ()
    points: Decimal | None = None
    max_points: Decimal | None = None
    group: str = ""
    children: tuple[CriterionResult, ...] = ()

    @property
    def status_label(self) -> str:
        if self.max_points is not None and self.status in (MET, NOT_MET):
            return "满分" if self.status == MET else "未满分"
        return STATUS_LABELS[self.status]

    def walk(self) -> Iterator[CriterionResult]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class GroupTotal:
    code: str
    label: str
    points: Decimal
    points_max: Decimal
    min: Decimal | None


@dataclass(frozen=True)
class TierResult:
    scheme: str
    tier: str
    mode: str
    status: str
    summary: str
    conditions: tuple[CriterionResult, ...]
    points: tuple[CriterionResult, ...] = ()
    alternatives: tuple[CriterionResult, ...] = ()
    total: Decimal | None = None  # certain now: manual items and missing figures at 0
    total_max: Decimal | None = None  # manual items and missing figures at their best
    pass_total: Decimal | None = None
    groups: tuple[GroupTotal, ...] = ()
    shortfall: Decimal | None = None  # points still lacking at best
    to_fix: int = 0  # criteria still to meet at best (FAR: out of reach)
    missing: tuple[str, ...] = ()  # fact keys

    @property
    def status_label(self) -> str:
        return OUTCOME_LABELS[self.status]

    def criteria(self) -> Iterator[CriterionResult]:
        for result in (*self.conditions, *self.points, *self.alternatives):
            yield from result.walk()

    def find(self, code: str) -> CriterionResult | None:
        return next((c for c in self.criteria() if c.code == code), None)


def evaluate(rule_set: RuleSet, facts: Mapping[str, Any], mode: str = "application") -> TierResult:
    if mode not in MODES:
        raise TierRuleError(f"未知的评价方式“{mode}”（application 申报 / review 复核）。")
    return _Evaluator(rule_set, normalise(facts), mode).result()


def normalise(facts: Mapping[str, Any]) -> dict[str, Fact]:
    """Numbers (int, float, str from YAML or a form) as Decimal; bools and None kept."""
    out: dict[str, Fact] = {}
    for key, value in facts.items():
        if value is None or isinstance(value, bool | Decimal):
            out[key] = value
            continue
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite():
            raise TierRuleError(f"事实“{key}”的值“{value}”不是有效数值。")
        out[key] = number
    return out


def _status_of(verdict: Verdict) -> str:
    if verdict[0]:
        return MET
    if verdict[1]:
        return MANUAL
    return MISSING if verdict[2] else NOT_MET


def compute(derived: Derived, values: Sequence[Decimal]) -> Decimal | None:
    """A derived quantity; None where it is undefined (a zero or negative base)."""
    hundred = Decimal(100)
    if derived.op == "sum":
        return sum(values, ZERO)
    if derived.op == "mean":
        return sum(values, ZERO) / len(values)
    if derived.op == "ratio":
        return values[0] / values[1] * hundred if values[1] else None
    if any(v <= 0 for v in values[1:]):
        return None
    if derived.op == "growth":
        return (values[0] / values[1] - 1) * hundred
    # average_growth over consecutive years, newest first
    if derived.method == "arithmetic":
        rates = [values[i] / values[i + 1] - 1 for i in range(len(values) - 1)]
        return sum(rates, ZERO) / len(rates) * hundred
    years = len(values) - 1
    factor = values[0] / values[-1]
    if factor <= 0:
        return None
    root = factor.sqrt() if years == 2 else factor ** (Decimal(1) / years)
    return (root - 1) * hundred


class _Evaluator:
    def __init__(self, rule_set: RuleSet, facts: dict[str, Fact], mode: str):
        self.rules = rule_set
        self.facts = facts
        self.mode = mode

    def label(self, name: str) -> tuple[str, str]:
        return self.rules.labels.get(name, (name, ""))

    def number(self, name: str) -> tuple[Decimal | None, tuple[str, ...]]:
        """A value (fact or derived) and the fact keys it lacks."""
        derived = self.rules.derived.get(name)
        keys = derived.inputs if derived else (name,)
        values: list[Decimal] = []
        for key in keys:
            value = self.facts.get(key)
            if value is not None:
                values.append(Decimal(int(value)) if isinstance(value, bool) else value)
        missing = tuple(k for k in keys if self.facts.get(k) is None)
        if missing:
            return None, missing
        if derived is None:
            return values[0], ()
        result = compute(derived, values)
        return (result.quantize(PLACES) if result is not None else None), ()

    def flag(self, name: str) -> bool | None:
        value = self.facts.get(name)
        return value if value is None or isinstance(value, bool) else value != 0

    # conditions -----------------------------------------------------------

    def condition(self, node: Condition) -> tuple[CriterionResult, Verdict, int]:
        base: dict[str, Any] = {"code": node.code, "label": node.label, "ref": node.ref}
        if node.skip_in_review and self.mode == "review":
            skipped = CriterionResult(**base, status=SKIPPED, text=f"{node.label}：复核时不考核")
            return skipped, _BY_STATUS[SKIPPED], 0
        if node.kind in ("all", "any"):
            return self._group(node, base)
        if node.kind == "manual":
            manual = CriterionResult(**base, status=MANUAL, text=f"{node.note}（需人工审核）")
            return manual, _BY_STATUS[MANUAL], 0
        label, unit = self.label(node.value)
        if node.kind == "flag":
            held = self.flag(node.value)
            if held is None:
                return self._missing(node, base, (node.value,), label)
            status = MET if held == node.expected else NOT_MET
            text = f"{label}：{'是' if held else '否'}"
            result = CriterionResult(
                **base, status=status, text=text, actual=held, threshold=node.expected
            )
            return result, _BY_STATUS[status], int(status == NOT_MET)
        value, missing = self.number(node.value)
        comparison = node.comparison
        if value is None or comparison is None:
            return self._missing(node, base, missing, label)
        shown, threshold = f"{label}{amount(value, unit)}", amount(comparison.threshold, unit)
        base.update(actual=value, threshold=comparison.threshold, unit=unit)
        if comparison.holds(value):
            return (
                CriterionResult(**base, status=MET, text=f"{shown}，{comparison.word}{threshold}"),
                _BY_STATUS[MET],
                0,
            )
        gap = comparison.gap(value)
        gap_text = (
            f"差{difference(gap, unit)}" if gap else f"恰为{threshold}，须{comparison.word}本数"
        )
        text = f"{shown}，{comparison.fail_word}{threshold}，{gap_text}"
        result = CriterionResult(**base, status=NOT_MET, text=text, gap=gap, gap_text=gap_text)
        return result, _BY_STATUS[NOT_MET], 1

    def _group(self, node: Condition, base: dict[str, Any]) -> tuple[CriterionResult, Verdict, int]:
        parts = [self.condition(child) for child in node.children]
        pick = all if node.kind == "all" else any
        verdict = (
            pick(p[1][0] for p in parts),
            pick(p[1][1] for p in parts),
            pick(p[1][2] for p in parts),
        )
        costs = [p[2] for p in parts]
        cost = min(sum(costs), FAR) if node.kind == "all" else min(costs)
        status = _status_of(verdict)
        children = tuple(p[0] for p in parts)
        failing = [p[0] for p in parts if p[0].status == NOT_MET]
        if node.kind == "any":  # the cheapest way in, not every branch
            failing = [p[0] for p in parts if p[0].status == NOT_MET and p[2] == cost]
        joiner = "；" if node.kind == "all" else "；或"
        gap_text = joiner.join(f"{c.label}：{c.gap_text}" for c in failing if c.gap_text)
        result = CriterionResult(
            **base, status=status, text=f"{node.label}：{STATUS_LABELS[status]}", gap_text=gap_text,
            missing=tuple(sorted({k for c in children for k in c.missing})), children=children,
        )  # fmt: skip
        return result, verdict, cost

    def _missing(
        self, node: Condition, base: dict[str, Any], missing: tuple[str, ...], label: str
    ) -> tuple[CriterionResult, Verdict, int]:
        if node.missing_is_manual:
            text = f"{label}：无数据，需人工核实"
            result = CriterionResult(**base, status=MANUAL, text=text, missing=missing)
            return result, _BY_STATUS[MANUAL], 0
        names = "、".join(self.label(key)[0] for key in missing) or "无法计算"
        result = CriterionResult(
            **base, status=MISSING, text=f"{label}：缺数据（{names}）", missing=missing
        )
        return result, _BY_STATUS[MISSING], 0

    # points ---------------------------------------------------------------

    def item(self, item: PointsItem) -> tuple[CriterionResult, Triple]:
        base: dict[str, Any] = {"code": item.code, "label": item.label, "ref": item.ref,
                                "group": item.group, "max_points": item.max}  # fmt: skip
        top = item.max
        if item.kind == "manual":
            text = f"{item.note}（需人工审核，最高{trim(top)}分）"
            return CriterionResult(**base, status=MANUAL, text=text), (ZERO, top, top)
        if item.kind == "options":
            return self._options(item, base)
        if item.kind == "bands":
            return self._bands(item, base)
        value, missing = self.number(item.value)
        label, unit = self.label(item.value)
        if value is None:
            if item.kind == "score":
                text = f"{label}：无数据，需人工评定（最高{trim(top)}分）"
                return CriterionResult(**base, status=MANUAL, text=text, missing=missing), (
                    ZERO,
                    top,
                    top,
                )
            text = f"{label}：缺数据，暂计0分"
            return CriterionResult(**base, status=MISSING, text=text, missing=missing), (
                ZERO,
                ZERO,
                top,
            )
        gap_text = ""
        if item.kind == "score":
            points = min(max(value, ZERO), top)
        else:  # per_unit
            steps = (value / item.step).to_integral_value(ROUND_FLOOR)
            points = min(steps * item.per, top)
            if points < top:
                need = (steps + 1) * item.step - value
                gap_text = f"再有{amount(need, unit)}可得{trim(min((steps + 1) * item.per, top))}分"
        text = f"{label}{amount(value, unit)}，得{trim(points)}分" + (
            f"；{gap_text}" if gap_text else ""
        )
        status = MET if points >= top else NOT_MET
        result = CriterionResult(**base, status=status, text=text, actual=value, unit=unit,
                                 points=points, gap_text=gap_text)  # fmt: skip
        return result, (points, points, points)

    def _bands(self, item: PointsItem, base: dict[str, Any]) -> tuple[CriterionResult, Triple]:
        top = item.max
        best = ZERO
        shown: list[str] = []
        gaps: list[tuple[str, Decimal, Decimal]] = []
        missing: list[str] = []
        scored: list[tuple[Scale, Decimal, str, str]] = []
        for scale in item.scales:
            value, lacking = self.number(scale.value)
            if value is None:
                missing.extend(lacking)
                continue
            points = next((p for c, p in scale.bands if c.holds(value)), ZERO)
            best = max(best, points)
            label, unit = self.label(scale.value)
            shown.append(f"{label}{amount(value, unit)}")
            scored.append((scale, value, label, unit))
        head = "；".join(shown)
        if missing and best < top:
            names = "、".join(self.label(k)[0] for k in missing)
            text = (f"{head}，" if head else "") + f"缺数据（{names}），暂计{trim(best)}分"
            result = CriterionResult(
                **base, status=MISSING, text=text, points=best, missing=tuple(missing)
            )
            return result, (best, best, top)
        for scale, value, label, unit in scored:
            better = [(c, p) for c, p in scale.bands if p > best]
            if better:
                comparison, points = better[-1]  # the next band up
                gap = comparison.gap(value)
                words = (
                    f"差{difference(gap, unit)}"
                    if gap
                    else f"须{comparison.word}{amount(comparison.threshold, unit)}"
                )
                gaps.append((f"{label}{words}", points, gap))
        gap_text = (
            ("或".join(g[0] for g in gaps) + f"可得{trim(min(g[1] for g in gaps))}分")
            if gaps
            else ""
        )
        text = f"{head}，得{trim(best)}分" + (f"；{gap_text}" if gap_text else "")
        if len(item.scales) == 1 and scored:
            base.update(actual=scored[0][1], unit=scored[0][3], gap=gaps[0][2] if gaps else None)
        status = MET if best >= top else NOT_MET
        result = CriterionResult(**base, status=status, text=text, points=best, gap_text=gap_text)
        return result, (best, best, best)

    def _options(self, item: PointsItem, base: dict[str, Any]) -> tuple[CriterionResult, Triple]:
        got: list[Decimal | None] = [None, None, None]
        chosen: Option | None = None
        missing: list[str] = []
        manual = False
        for option in item.options:
            found: CriterionResult | None = None
            verdict = _BY_STATUS[MET]
            if option.when is not None:
                found, verdict, _ = self.condition(option.when)
            for i in range(3):
                if got[i] is None and verdict[i]:
                    got[i] = option.points
            if got[0] is not None:
                chosen = option
                break
            if found is not None:
                missing.extend(found.missing)
                manual = manual or found.status == MANUAL
        pess, granted, best = (g if g is not None else ZERO for g in got)
        if pess == best:
            better = [o for o in item.options if o.points > pess]
            gap_text = f"如{better[-1].label}可得{trim(better[-1].points)}分" if better else ""
            held = chosen.label if chosen is not None and pess > 0 else "不属于计分情形"
            text = f"{held}，得{trim(pess)}分" + (f"；{gap_text}" if gap_text else "")
            status = MET if pess >= item.max else NOT_MET
            result = CriterionResult(
                **base, status=status, text=text, points=pess, gap_text=gap_text
            )
            return result, (pess, pess, pess)
        status = MISSING if pess == granted and not manual else MANUAL
        names = "、".join(self.label(k)[0] for k in missing)
        why = f"缺：{names}" if names else "需人工审核"
        text = f"暂计{trim(pess)}分，最高可得{trim(best)}分（{why}）"
        result = CriterionResult(
            **base, status=status, text=text, points=pess, missing=tuple(missing)
        )
        return result, (pess, granted, best)

    # the whole ------------------------------------------------------------

    def result(self) -> TierResult:
        rules = self.rules
        conditions = [self.condition(c) for c in rules.conditions]
        alternatives = [self.condition(c) for c in rules.alternatives]
        verdict = [all(c[1][i] for c in conditions) for i in range(3)]
        cost = min(sum(c[2] for c in conditions), FAR)
        outcome = TierResult(
            scheme=rules.code, tier=rules.tier, mode=self.mode, status=NOT_QUALIFIED, summary="",
            conditions=tuple(c[0] for c in conditions),
            alternatives=tuple(a[0] for a in alternatives),
        )  # fmt: skip
        if rules.points is not None:
            scored = [self.item(item) for item in rules.points.items]
            totals = [sum((s[1][i] for s in scored), ZERO) for i in range(3)]
            passes = [totals[i] >= rules.points.pass_total for i in range(3)]
            lacking = [rules.points.pass_total - totals[2]]
            groups = []
            for group in rules.points.groups:
                inside = [s[1] for s in scored if s[0].group == group.code]
                sums = [sum((t[i] for t in inside), ZERO) for i in range(3)]
                groups.append(GroupTotal(group.code, group.label, sums[0], sums[2], group.min))
                if group.min is not None:
                    passes = [passes[i] and sums[i] >= group.min for i in range(3)]
                    lacking.append(group.min - sums[2])
            shortfall = max(*lacking, ZERO)
            alternative = [any(a[1][i] for a in alternatives) for i in range(3)]
            verdict = [verdict[i] and (passes[i] or alternative[i]) for i in range(3)]
            points_cost = 0 if passes[2] else (1 if shortfall <= rules.near_points else FAR)
            cost = min(cost + (0 if alternative[2] else points_cost), FAR)
            outcome = replace(
                outcome, points=tuple(s[0] for s in scored), total=totals[0], total_max=totals[2],
                pass_total=rules.points.pass_total, groups=tuple(groups), shortfall=shortfall,
            )  # fmt: skip
        missing = tuple(sorted({k for c in outcome.criteria() for k in c.missing}))
        unknown = sum(1 for c in outcome.criteria() if c.status == MISSING and not c.children)
        if verdict[0]:
            status = QUALIFIED
        elif verdict[1]:
            status = PENDING
        elif verdict[2]:
            status = INCOMPLETE
        elif cost <= rules.near_criteria and unknown <= 1:
            # near means known to be close: a firm whose figures are mostly missing is not
            # near just because the missing ones are read optimistically
            status = NEAR
        else:
            status = NOT_QUALIFIED
        outcome = replace(outcome, status=status, to_fix=0 if verdict[2] else cost, missing=missing)
        return replace(outcome, summary=_summary(outcome))


def _points_pass(outcome: TierResult) -> bool:
    """The points alone carry the set on what is known (no alternative needed)."""
    if outcome.total is None or outcome.pass_total is None:
        return False
    groups = all(g.min is None or g.points >= g.min for g in outcome.groups)
    return outcome.total >= outcome.pass_total and groups


def _open(outcome: TierResult) -> Iterator[CriterionResult]:
    """The leaf criteria still deciding the outcome: not those of a settled group, nor the
    alternatives when the points already carry the set."""
    pending = [*outcome.conditions, *outcome.points]
    if not _points_pass(outcome):
        pending += outcome.alternatives
    while pending:
        result = pending.pop(0)
        if not result.children:
            yield result
        elif result.status != MET:
            pending[:0] = result.children


def _open_missing(outcome: TierResult) -> str:
    """The missing figures still deciding the outcome, in the rule set's order (five at most)."""
    keys = list(dict.fromkeys(k for c in _open(outcome) if c.status == MISSING for k in c.missing))
    shown = "、".join(key_label(k) for k in keys[:5])
    return shown + (f"等{len(keys)}项" if len(keys) > 5 else "")


def _summary(outcome: TierResult) -> str:
    score = ""
    if outcome.total is not None and outcome.pass_total is not None:
        score = f"得分{trim(outcome.total)}分（需{trim(outcome.pass_total)}分）"
        if outcome.total_max is not None and outcome.total_max != outcome.total:
            score += f"，最高可达{trim(outcome.total_max)}分"
    if outcome.status == QUALIFIED:
        direct = [a.label for a in outcome.alternatives if a.status == MET]
        if direct and not _points_pass(outcome):
            return f"符合认定条件（{direct[0]}）"
        return "符合认定条件" + (f"，{score}" if score else "")
    if outcome.status == PENDING:
        manual = [c.label for c in _open(outcome) if c.status == MANUAL]
        lacking = _open_missing(outcome)
        return (
            "自动核验的条件均符合，待人工审核："
            + "、".join(manual)
            + (f"；缺数据：{lacking}" if lacking else "")
        )
    if outcome.status == INCOMPLETE:
        return "已有数据未见不符合项，缺数据：" + _open_missing(outcome)
    failing = [c for c in outcome.conditions if c.status == NOT_MET]
    parts = [f"{c.label}（{c.gap_text or STATUS_LABELS[c.status]}）" for c in failing[:3]]
    if outcome.shortfall and not any(a.status == MET for a in outcome.alternatives):
        lacks = [score] if (outcome.total_max or ZERO) < (outcome.pass_total or ZERO) else []
        lacks += [f"{g.label}{trim(g.points_max)}分（需{trim(g.min)}分）" for g in outcome.groups
                  if g.min is not None and g.points_max < g.min]  # fmt: skip
        parts.append("，".join(lacks) + f"，差{trim(outcome.shortfall)}分")
    lead = OUTCOME_LABELS[outcome.status]
    return f"{lead}：" + "；".join(parts) if parts else lead
