"""Reads and data scope of the 亩产效益 evaluation: the one place that decides who sees
which schemes, runs, results and objections.

The bureau's analyst runs evaluations; the supervisor and the leader read every scheme,
run and result. An enterprise user reads only its own results, and only once they have
been put on 公示 or published (a draft is the bureau's working copy). Reporters and the
three administrators read nothing here.
"""

from __future__ import annotations

from django.db.models import Q

from gongxin.accounts.choices import Role
from gongxin.core.access import active_role, scoped
from gongxin.evaluation.models import EnterpriseClass, Objection, Result, Run, Scheme

READ_ROLES = frozenset({Role.ANALYST, Role.SUPERVISOR, Role.LEADER})
MANAGE_ROLES = frozenset({Role.ANALYST})
SHOWN_TO_ENTERPRISES = (Run.Status.NOTICE, Run.Status.FINAL)


def may_manage(user) -> bool:
    return active_role(user) in MANAGE_ROLES


def is_bureau_reader(user) -> bool:
    return active_role(user) in READ_ROLES


def _bureau_only(user, action: str) -> bool:
    role = active_role(user)
    return role in (MANAGE_ROLES if action == "manage" else READ_ROLES)


def schemes(user, action: str = "view"):
    return scoped(Scheme.objects.all(), _bureau_only(user, action))


def runs(user, action: str = "view"):
    return scoped(Run.objects.select_related("scheme"), _bureau_only(user, action))


def result_scope(user, action: str = "view", prefix: str = "") -> Q | bool:
    role = active_role(user)
    if role in READ_ROLES:
        return action == "view" or role in MANAGE_ROLES
    if role == Role.ENTERPRISE and user.uscc and action == "view":
        return Q(
            **{
                f"{prefix}enterprise__uscc": user.uscc,
                f"{prefix}run__status__in": SHOWN_TO_ENTERPRISES,
            }
        )
    return False


def results(user, action: str = "view"):
    return scoped(
        Result.objects.select_related("enterprise", "run__scheme"), result_scope(user, action)
    )


def objections(user, action: str = "view"):
    return scoped(
        Objection.objects.select_related("result__enterprise", "submitted_by", "resolved_by"),
        result_scope(user, action, prefix="result__"),
    )


def own_results(user):
    """An enterprise's results to show on its report card: per scheme code, the latest
    run on 公示 or published that includes it (newest scheme years first)."""
    latest: dict[str, Result] = {}
    for result in (
        results(user)
        .filter(enterprise__uscc=user.uscc or "")
        .order_by("-run__scheme__year", "-run__created_at", "-run__pk")
    ):
        latest.setdefault(result.run.scheme.code, result)
    return list(latest.values())


def latest_final_run(user):
    return runs(user).filter(status=Run.Status.FINAL).order_by("-scheme__year", "-pk").first()


def own_classes(user):
    if active_role(user) != Role.ENTERPRISE or not user.uscc:
        return EnterpriseClass.objects.none()
    return EnterpriseClass.objects.filter(enterprise__uscc=user.uscc).order_by("-year")
