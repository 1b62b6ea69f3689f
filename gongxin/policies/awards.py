"""Award rules as data (amounts in 万元, rates in percent):

    {}                                              no money (a pool, a service level)
    {"kind": "cap", "cap": 100}                     "最高100万元": shown as a cap, no estimate
    {"kind": "fixed", "amount": 50}
    {"kind": "rate", "base": "q1_output_new_declared", "rate": 1, "cap": 100}
                                                    rate % of a feature (e.g. of the increment)
      optional "higher": [{"when": <criteria tree>, "rate": 1.5}, …]
                                                    a higher rate for a sub-group (e.g. high-tech
                                                    manufacturing); the highest that applies
    {"kind": "tiers", "base": "...", "tiers": [{"from": 10000, "amount": 20}, …]}
                                                    the highest tier whose lower bound is met
    optional "stages": [40, 60]                     staged payment, percent of the approved award

Tiers that differ in their criteria ("产值超过1亿、3亿、5亿元且增速分别不低于30%、25%、20%")
are separate clauses in one exclusive group (就高不重复): the matcher keeps the highest.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

KINDS = ("cap", "fixed", "rate", "tiers")


class AwardError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def base_features(rule: Mapping[str, Any]) -> list[str]:
    return [rule["base"]] if rule.get("kind") in ("rate", "tiers") else []


def check(rule: Any) -> dict:
    if not rule:
        return {}
    if not isinstance(rule, Mapping) or rule.get("kind") not in KINDS:
        raise AwardError(f"奖补规则类型应为：{'、'.join(KINDS)}。")
    out = dict(rule)
    for key in ("cap", "amount", "rate"):
        if key in out:
            out[key] = str(_positive(out[key], key))
    if out["kind"] == "cap" and "cap" not in out:
        raise AwardError("“最高额”规则需要上限金额。")
    if out["kind"] == "fixed" and "amount" not in out:
        raise AwardError("“定额”规则需要金额。")
    if out["kind"] in ("rate", "tiers"):
        from gongxin.analytics import catalog

        try:
            feature = catalog.get(str(out.get("base")))
        except catalog.CatalogError:
            raise AwardError(f"奖补基数“{out.get('base')}”不在指标目录中。") from None
        if feature.unit != "万元":
            raise AwardError(f"奖补基数“{feature.label}”应为金额（万元）。")
    if out["kind"] == "rate" and "rate" not in out:
        raise AwardError("“按比例”规则需要比例。")
    higher = out.get("higher")
    if higher is not None:
        if out["kind"] != "rate" or not isinstance(higher, list) or not higher:
            raise AwardError("“提高比例”只用于按比例规则，且至少一项。")
        out["higher"] = [_higher(h) for h in higher]
    if out["kind"] == "tiers":
        tiers = out.get("tiers")
        if not isinstance(tiers, list) or not tiers:
            raise AwardError("“分档”规则至少需要一档。")
        out["tiers"] = sorted(
            (
                {
                    "from": str(_positive(t["from"], "from")),
                    "amount": str(_positive(t["amount"], "amount")),
                }
                for t in tiers
            ),
            key=lambda t: Decimal(t["from"]),
        )
    stages = out.get("stages")
    if stages is not None and (
        not isinstance(stages, list) or sum(Decimal(str(s)) for s in stages) != 100
    ):
        raise AwardError("分期拨付比例之和应为100%。")
    return out


def _higher(entry: Any) -> dict:
    if (
        not isinstance(entry, Mapping)
        or not isinstance(entry.get("when"), Mapping)
        or "rate" not in entry
    ):
        raise AwardError("“提高比例”每项需要适用条件和比例。")
    return {"when": dict(entry["when"]), "rate": str(_positive(entry["rate"], "rate"))}


def conditions(rule: Mapping[str, Any]) -> list[dict]:
    """The condition trees of a rule's higher rates, in order (flags x_0, x_1…)."""
    return [h["when"] for h in rule.get("higher", [])]


def _positive(value: Any, key: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        raise AwardError(f"奖补规则的“{key}”不是数字。") from None
    if not number.is_finite() or number < 0:
        raise AwardError(f"奖补规则的“{key}”应为非负数。")
    return number


def estimate(
    rule: Mapping[str, Any], base: Decimal | None, applies: tuple[bool, ...] = ()
) -> tuple[Decimal | None, Decimal | None]:
    """(estimated award, cap), both in 万元; None where the rule gives none. `applies`
    says which of the rule's higher rates hold for the enterprise."""
    kind = rule.get("kind")
    cap = Decimal(rule["cap"]) if "cap" in rule else None
    if kind == "fixed":
        return Decimal(rule["amount"]), cap
    if kind == "rate":
        if base is None or base <= 0:
            return Decimal(0), cap
        rates = [Decimal(rule["rate"])]
        rates += [
            Decimal(h["rate"])
            for h, held in zip(rule.get("higher", []), applies, strict=False)
            if held
        ]
        award = base * max(rates) / 100
        return (min(award, cap) if cap is not None else award), cap
    if kind == "tiers":
        reached = [
            Decimal(t["amount"])
            for t in rule["tiers"]
            if base is not None and base >= Decimal(t["from"])
        ]
        award = reached[-1] if reached else Decimal(0)
        return (min(award, cap) if cap is not None else award), cap
    return None, cap
