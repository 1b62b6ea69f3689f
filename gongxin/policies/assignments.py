"""Service clauses that act on the registry rather than pay money: the 小升规 pool
(places = the year's target × a multiplier, ranked by a feature) and the 帮包 levels
(eligible enterprises get a liaison record at the clause's level)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from gongxin.core import audit
from gongxin.core.errors import ServiceError
from gongxin.policies import services
from gongxin.policies.models import Clause

PENDING_OFFICER = "（待明确服务专员）"


@dataclass
class Pool:
    clause: Clause
    places: int
    eligible: int
    members: list[services.Result]  # ranked, at most `places`


def _parameter(clause: Clause, name: str, as_of: date):
    found = services.parameter_value(clause, name, as_of)
    if found is None:
        raise ServiceError(f"条款“{clause.title}”缺少参数“{name}”。")
    return found[0]


def pool(clause: Clause, as_of: date) -> Pool:
    """The eligible enterprises ranked by the `ranking` feature (highest first), cut at
    ceil(target × multiplier) places: seed 002's "数量目标的1.2倍"."""
    target = Decimal(str(_parameter(clause, "target", as_of)))
    multiplier = Decimal(str(_parameter(clause, "multiplier", as_of)))
    ranking = str(_parameter(clause, "ranking", as_of))
    places = math.ceil(target * multiplier)
    eligible = [r for r in services.evaluate(clause, as_of) if r.status == "eligible"]

    def key(result: services.Result):
        value = next((r["actual"] for r in result.reasons if r["feature"] == ranking), None)
        return (-(value or 0), result.uscc)

    ranked = sorted(eligible, key=key)
    return Pool(clause=clause, places=places, eligible=len(eligible), members=ranked[:places])


def assign_liaison_levels(actor, as_of: date, policy_code: str) -> dict[str, int]:
    """Each clause of the policy with a `liaison_level` parameter gives its eligible
    enterprises a liaison record at that level for the clause's year (an officer still
    to be named, as seed 002 asks: "逐一明确服务专员"). Existing records are kept."""
    from gongxin.enterprises.models import Liaison

    created = kept = 0
    with transaction.atomic():
        for clause in services.clauses_in_force(as_of, policy_code):
            level = services.parameter_value(clause, "liaison_level", as_of)
            if level is None:
                continue
            year = clause.year or as_of.year
            for result in services.evaluate(clause, as_of):
                if result.status != "eligible":
                    continue
                liaison, made = Liaison.objects.get_or_create(
                    enterprise_id=result.enterprise_id, level=level[0], year=year,
                    defaults={"officer_name": PENDING_OFFICER},
                )  # fmt: skip
                if made:
                    audit.record(
                        actor,
                        "liaison.assign",
                        liaison,
                        after={"level": level[0], "year": year, "clause": str(clause)},
                    )
                    created += 1
                else:
                    kept += 1
    return {"created": created, "kept": kept}
