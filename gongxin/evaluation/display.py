"""What the evaluation pages show, worded in Chinese: a scheme's rules, the reason for a
class, class counts and charts of a run, the movement between years, and an
enterprise's report card with what would lift it to the next class.

Pure reads of the stored scheme and results (no scoring here: the numbers are the ones
the engine stored with the run)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from gongxin.analytics import catalog
from gongxin.analytics.catalog import Provenance
from gongxin.evaluation import rules
from gongxin.evaluation.features import provenances_of
from gongxin.evaluation.models import CLASS_LABELS, EnterpriseClass, Result, Run, Scheme

ORDER = ("A", "B", "C", "D", "T")
UNSET = "待设定"
# classes not reached by score (a floor, a veto, the D quota): not the line to reach
NOT_BY_SCORE = ("protected", "veto", "quota_d")


# --- numbers and labels -------------------------------------------------------------------
def dec(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def num(value: Any, places: int = 2) -> str:
    """A stored Decimal (string) as shown: `places` decimals, trailing zeros dropped."""
    number = dec(value)
    if number is None:
        return "—"
    rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{rounded:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def label_of(code: str) -> str:
    if code in rules.DERIVED_FLAGS:
        return rules.DERIVED_FLAGS[code]
    try:
        return catalog.get(code).label
    except catalog.CatalogError:
        return code


def unit_of(code: str) -> str:
    try:
        return catalog.get(code).unit
    except catalog.CatalogError:
        return ""


def class_label(klass: str) -> str:
    return CLASS_LABELS.get(klass, klass)


def region_names(ids) -> dict[int | None, str]:
    from gongxin.accounts.models import Unit

    names: dict[int | None, str] = {
        pk: name for pk, name in Unit.objects.filter(pk__in=[i for i in ids if i]).values_list("pk", "name")
    }  # fmt: skip
    names[None] = "未划分镇街"
    return names


def division_name(industry_code: str) -> str:
    from gongxin.enterprises import industries

    if len(industry_code or "") < 2:
        return "未分类"
    try:
        return industries.lookup(industry_code[:2]).name
    except industries.UnknownIndustry:
        return "未分类"


# --- a scheme's rules ---------------------------------------------------------------------
def indicator_rows(scheme: Scheme) -> list[dict]:
    sources = rules.source_labels(scheme.indicators)
    rows = []
    for item in scheme.indicators:
        code = item["feature"]
        weight = dec(item.get("weight"))
        bench = item.get("benchmark") or {"kind": "mean"}
        bench_text = rules.BENCHMARKS.get(bench.get("kind"), bench.get("kind"))
        if bench.get("kind") == "fixed":
            bench_text += f"：{num(bench.get('value'), 4)}{unit_of(code)}"
        cap = dec(item.get("cap"))
        if cap is None:
            cap_text = "不设上限"
        elif weight is None:
            cap_text = f"权重的{num(cap)}倍"
        else:
            cap_text = f"权重的{num(cap)}倍（最高{num(cap * weight)}分）"
        rows.append({
            "feature": code, "label": label_of(code), "unit": unit_of(code),
            "definition": catalog.get(code).definition,
            "weight": UNSET if weight is None else num(weight),
            "direction": rules.DIRECTIONS.get(item.get("direction", "higher"), ""),
            "benchmark": bench_text,
            "scoring": rules.SCORINGS.get(item.get("scoring", "ratio"), ""),
            "cap": cap_text,
            "floor": f"{num(item.get('floor', 20))}%" if item.get("scoring") == "minmax" else "—",
            "missing": rules.MISSING.get(item.get("missing", "zero"), ""),
            "source": sources.get(code, ""),
        })  # fmt: skip
    return rows


def weights_unset(scheme: Scheme) -> bool:
    return any(item.get("weight") in (None, "") for item in scheme.indicators)


def class_rule_text(classes: dict) -> str:
    if not classes:
        return UNSET
    if classes.get("method") == "thresholds":
        lines = classes.get("thresholds", {})
        text = "按得分线：" + "、".join(f"{k}类≥{num(lines.get(k))}分" for k in "ABC")
        text += "，其余为D类"
    else:
        shares = classes.get("shares", {})
        text = "按排名比例：" + "、".join(f"{k}类{num(shares.get(k))}%" for k in "ABCD")
    quotas = classes.get("quotas") or {}
    limits = []
    if "A_max" in quotas:
        limits.append(f"A类不超过{num(quotas['A_max'])}%")
    if "D_min" in quotas:
        limits.append(f"D类不少于{num(quotas['D_min'])}%")
    return text + ("；" + "，".join(limits) if limits else "")


def restriction_texts(restrictions: list[dict]) -> list[str]:
    out = []
    for r in restrictions:
        effect = rules.EFFECTS.get(r["effect"], r["effect"])
        tail = "" if r["effect"] == "exempt" else f"{r['class']}类"
        out.append(f"{label_of(r['flag'])}：{effect}{tail}")
    return out


def adjustment_texts(adjustments: list[dict]) -> list[str]:
    out = []
    for a in adjustments:
        points = dec(a["points"]) or Decimal(0)
        sign = "加" if points > 0 else "减"
        out.append(f"{a.get('label') or label_of(a.get('flag', ''))}：{sign}{num(abs(points))}分")
    return out


# --- the reason for a class -------------------------------------------------------------------
def _flags(reason: dict) -> str:
    return "、".join(label_of(f) for f in reason.get("flags", [])) or "限制条件"


def reason_text(result: Result) -> str:
    reason = result.reason or {}
    rule = reason.get("rule")
    k = result.klass
    if rule == "exempt":
        text = f"{_flags(reason)}，列为T类（暂不评价）"
    elif rule == "share":
        # the shares are taken over the firms not set aside by a veto: say so, since the
        # overall rank shown beside it counts every evaluated firm
        text = (f"综合得分{num(result.score)}分，在按比例分类的{reason.get('of')}家企业（不含被否决的企业）中排第"
                f"{reason.get('position')}位，按排名比例评为{k}类")  # fmt: skip
    elif rule == "threshold":
        if reason.get("line") is not None:
            text = (
                f"综合得分{num(result.score)}分，达到{k}类得分线{num(reason['line'])}分，评为{k}类"
            )
        else:
            text = f"综合得分{num(result.score)}分，低于C类得分线，评为D类"
    elif rule == "veto":
        would = reason.get("would_be")
        best = reason.get("best")
        basis = f"按得分本可评为{would}类" if would and would < best else f"按得分评为{would}类"
        text = f"{_flags(reason)}，最高只能评为{best}类（{basis}）"
    elif rule == "protected":
        text = (f"{_flags(reason)}，最低评为{reason.get('worst')}类"
                f"（按得分本应评为{reason.get('would_be')}类）")  # fmt: skip
    elif rule == "quota_a":
        text = (f"A类不得超过参评企业的比例上限（{reason.get('of')}家中最多{reason.get('limit')}家），"
                "按得分由A类调整为B类")  # fmt: skip
    elif rule == "quota_d":
        text = (f"D类不得少于参评企业的比例下限（{reason.get('of')}家中至少{reason.get('minimum')}家），"
                "按得分调整为D类")  # fmt: skip
    else:
        text = f"评为{class_label(k)}"
    adjustment = dec(reason.get("adjustment"))
    if adjustment:
        text += f"；综合得分含加减分{'+' if adjustment > 0 else ''}{num(adjustment)}分"
    return text


# --- a run: counts, charts, movement ----------------------------------------------------------
def class_counts(results) -> list[dict]:
    counts = Counter(results.values_list("klass", flat=True))
    return [{"klass": k, "label": class_label(k), "count": counts.get(k, 0)} for k in ORDER]


def _stacked(pairs: list[tuple[str, str]]) -> dict:
    """(group name, class) per firm → categories and one series per class."""
    groups = sorted({g for g, _ in pairs})
    counts = Counter(pairs)
    return {
        "categories": groups,
        "series": [
            {"name": class_label(k), "data": [counts.get((g, k), 0) for g in groups]}
            for k in ORDER
            if any(c == k for _, c in pairs)
        ],
    }


def chart_data(run: Run) -> dict:
    rows = list(run.results.values_list("klass", "region_id", "industry_code"))
    names = region_names({r for _, r, _ in rows})
    overall = Counter(k for k, _, _ in rows)
    clusters = _stacked(_cluster_pairs(run))
    return {
        "overall": [{"name": class_label(k), "value": overall[k]} for k in ORDER if overall.get(k)],
        "by_region": _stacked([(names.get(r, names[None]), k) for k, r, _ in rows]),
        "by_industry": _stacked([(division_name(code), k) for k, _, code in rows]),
        "by_cluster": clusters,
        "cluster_height": 110 + 30 * len(clusters["categories"]),
        "industry_height": max(280, 110 + 22 * len({division_name(code) for _, _, code in rows})),
    }


def _cluster_pairs(run: Run) -> list[tuple[str, str]]:
    """(cluster name, class) per member firm of the run; a firm in two clusters counts in
    each (a cluster's own distribution), firms in none are not shown."""
    from gongxin.enterprises.models import ClusterMembership

    klass = dict(run.results.values_list("enterprise_id", "klass"))
    members = ClusterMembership.objects.filter(enterprise_id__in=klass).values_list(
        "cluster__name", "enterprise_id"
    )
    return [(name, klass[pk]) for name, pk in members]


@dataclass
class Movement:
    previous_year: int
    columns: list[str]
    rows: list[dict] = field(default_factory=list)


def movement(run: Run) -> Movement | None:
    """Counts of firms by last year's published class (rows) × this run's class (columns),
    when last year's final classes exist."""
    year = run.scheme.year - 1
    now = dict(run.results.values_list("enterprise_id", "klass"))
    before = dict(
        EnterpriseClass.objects.filter(year=year, enterprise_id__in=list(now)).values_list(
            "enterprise_id", "klass"
        )
    )
    if not before:
        return None
    pairs = Counter((before.get(pk, ""), k) for pk, k in now.items())
    columns = [k for k in ORDER if any(c == k for _, c in pairs)]
    out = Movement(year, columns)
    for old in (*ORDER, ""):
        cells = [pairs.get((old, k), 0) for k in columns]
        if any(cells):
            out.rows.append({
                "label": f"{old}类" if old else "上年未参评",
                "cells": cells, "total": sum(cells),
            })  # fmt: skip
    return out


# --- the report card --------------------------------------------------------------------------
def _value_visible(code: str, viewer_role: str | None) -> bool:
    """Survey-derived values of one firm are shown to the statistics role and to the firm
    itself; other bureau readers see its scores (统计法: no individual survey figures)."""
    from gongxin.accounts.choices import Role

    if viewer_role in (Role.ANALYST, Role.ENTERPRISE):
        return True
    return Provenance.SURVEY not in provenances_of(code)


def card_rows(result: Result, viewer_role: str | None = None) -> list[dict]:
    scheme = result.run.scheme
    config = {item["feature"]: item for item in scheme.indicators}
    sources = rules.source_labels(scheme.indicators)
    rows = []
    for item in result.indicators:
        code = item["feature"]
        visible = _value_visible(code, viewer_role)
        missing = item.get("value") is None
        rule = config.get(code, {})
        rows.append({
            "feature": code, "label": label_of(code), "unit": unit_of(code),
            "value": ("缺数据" if missing else num(item["value"])) if visible else "不予显示",
            "benchmark": num(item.get("benchmark")),
            "score": num(item.get("score")), "weight": num(item.get("weight")),
            "direction": rules.DIRECTIONS.get(rule.get("direction", "higher"), ""),
            "missing_rule": rules.MISSING.get(rule.get("missing", "zero"), "") if missing else "",
            "source": sources.get(code, ""), "hidden": not visible,
        })  # fmt: skip
    return rows


@dataclass
class Lift:
    summary: str
    lines: list[str] = field(default_factory=list)
    note: str = ""


def points_to_next(result: Result) -> tuple[str, Decimal, str] | str:
    """(next class, points needed, where the figure comes from) or why there is none."""
    k = result.klass
    if k == "T":
        return "本企业列为T类（暂不评价），不参与得分排名。"
    if k == "A":
        return "已是最高类别（A类）。"
    reason = result.reason or {}
    target = "ABCD"["ABCD".index(k) - 1]
    if reason.get("rule") == "veto" and "ABCD".index(reason.get("best", "A")) >= "ABCD".index(k):
        return (f"因{_flags(reason)}，本年度最高只能评为{reason.get('best')}类，"
                "提高得分不能改变类别。")  # fmt: skip
    score = result.score or Decimal(0)
    classes = result.run.scheme.classes
    if classes.get("method") == "thresholds":
        line = Decimal(classes["thresholds"][target])
        return target, line - score, f"{target}类得分线{num(line)}分"
    lowest = (
        result.run.results.filter(klass=target)
        .exclude(score=None)
        .exclude(reason__rule__in=NOT_BY_SCORE)
        .order_by("score")
        .values_list("score", flat=True)
        .first()
    )
    if lowest is None:
        return f"本次评价中没有{target}类企业。"
    return target, lowest - score, f"本次{target}类企业的最低得分{num(lowest)}分"


def lift(result: Result) -> Lift:
    found = points_to_next(result)
    if isinstance(found, str):
        return Lift(found)
    target, points, basis = found
    if points <= 0:
        return Lift(f"得分已不低于{basis}；类别由排名比例、限额或限制条件决定（见分类依据）。")
    out = Lift(
        f"升为{target}类约需再得{num(points)}分（{basis}，本企业{num(result.score)}分）。",
        note="按本次计算的基准值测算；基准值随参评企业数据变化，实际以下一次评价为准。",
    )
    config = {item["feature"]: item for item in result.run.scheme.indicators}
    for item in result.indicators:
        code = item["feature"]
        rule = config.get(code, {})
        out.lines.append(_indicator_lift(code, item, rule, points))
    return out


def _indicator_lift(code: str, item: dict, rule: dict, points: Decimal) -> str:
    label, unit = label_of(code), unit_of(code)
    weight, bench = dec(item.get("weight")), dec(item.get("benchmark"))
    value, score = dec(item.get("value")), dec(item.get("score")) or Decimal(0)
    if rule.get("scoring", "ratio") != "ratio":
        scoring = rules.SCORINGS.get(rule.get("scoring"), "")
        return f"{label}：按{scoring}计分，所需数值取决于其他企业，不作测算。"
    if value is None:
        return f"{label}：本项缺数据（{rules.MISSING.get(rule.get('missing', 'zero'))}），补报核实后的数据可提高得分。"
    if not weight or not bench:
        return f"{label}：基准值为0，不作测算。"
    cap = dec(rule.get("cap"))
    wanted = score + points
    if cap is not None and wanted > cap * weight:
        return (f"{label}：该项得分上限为{num(cap * weight)}分（权重的{num(cap)}倍），"
                f"单靠此项无法补足{num(points)}分。")  # fmt: skip
    capped = f"（该项设有得分上限{num(cap * weight)}分）" if cap is not None else ""
    if rule.get("direction", "higher") == "higher":
        delta = points * bench / weight  # ratio scoring: Δvalue = Δpoints × benchmark ÷ weight
        return (f"{label}：单靠此项需提高{num(delta)}{unit}，"
                f"即由{num(value)}提高到{num(value + delta)}{unit}{capped}。")  # fmt: skip
    target = bench * weight / wanted  # lower is better: score = benchmark ÷ value × weight
    return (f"{label}：单靠此项需降低{num(value - target)}{unit}，"
            f"即由{num(value)}降到{num(target)}{unit}{capped}。")  # fmt: skip


def rank_text(result: Result) -> str:
    if result.rank is None:
        return "不参与排名"
    return f"第{result.rank}名 / 共{result.run.evaluated}家"
