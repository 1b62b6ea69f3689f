"""Building the demo: units and leaders from the seed supervision table, one login per role.

Every write goes through gongxin.accounts.services, so the demo is audited like any other
change (actor None = "system"). Running it again creates nothing new and gives every demo
user a fresh random password (and the administrators a fresh TOTP secret).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction

from gongxin.accounts import services as accounts
from gongxin.accounts.choices import ADMIN_ROLES, Role
from gongxin.accounts.models import User
from gongxin.core.errors import ServiceError
from gongxin.demo import units as unit_names
from gongxin.demo.supervision_table import SUPERVISION_SEED, items, leader_names, read_seed
from gongxin.demo.supervision_table import unit_names as written_units

LEADER_TITLE = "区分管领导"  # the seed table's column header; their offices are not given
DEMO_USCC = "91370211264123450C"


@dataclass(frozen=True)
class DemoUserSpec:
    username: str
    name: str
    role: str
    unit: str = ""
    leader: str = ""
    uscc: str = ""


DEMO_USERS = (
    DemoUserSpec("demo_sysadmin", "演示 系统管理员", Role.SYSADMIN),
    DemoUserSpec("demo_secadmin", "演示 安全管理员", Role.SECADMIN),
    DemoUserSpec("demo_auditadmin", "演示 审计管理员", Role.AUDITADMIN),
    DemoUserSpec("demo_supervisor", "督查科 演示督查员", Role.SUPERVISOR),
    DemoUserSpec("demo_leader", "隋斌", Role.LEADER, leader="隋斌"),
    DemoUserSpec("demo_reporter", "工信局 演示填报员", Role.REPORTER, unit="区工业和信息化局"),
    DemoUserSpec("demo_reporter2", "发改局 演示填报员", Role.REPORTER, unit="区发展和改革局"),
    DemoUserSpec("demo_analyst", "统计科 演示分析员", Role.ANALYST),
    DemoUserSpec("demo_enterprise", "演示企业 联络员", Role.ENTERPRISE, uscc=DEMO_USCC),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    name: str
    role_label: str
    password: str
    totp_secret: str | None = None


@dataclass
class DemoResult:
    units_created: int = 0
    aliases_created: int = 0
    leaders_created: int = 0
    logins: list[DemoLogin] = field(default_factory=list)
    plan: dict = field(default_factory=dict)
    panel: dict = field(default_factory=dict)
    official: dict = field(default_factory=dict)
    policies: dict = field(default_factory=dict)
    evaluation: dict = field(default_factory=dict)
    cultivation: dict = field(default_factory=dict)


def require_demo_mode() -> None:
    if not settings.GONGXIN_DEMO:
        raise ServiceError("仅演示环境可用：请设置环境变量 GONGXIN_DEMO=1。生产环境不得开启。")


def load_units(actor=None) -> tuple[int, int]:
    """Canonical units and their aliases from the 责任单位 column; (units, aliases) created."""
    written = written_units(items(read_seed()))
    groups = unit_names.canonical_names([unit.name for unit in written])
    canonical_of = {name: canonical for canonical, names in groups.items() for name in names}
    for unit in written:
        others = groups[canonical_of.get(unit.name, unit.name)]
        others.extend(alias for alias in unit.also_known_as if alias not in others)

    units_created = aliases_created = 0
    for position, (canonical, aliases) in enumerate(groups.items(), start=1):
        unit = accounts.resolve_unit(canonical)
        if unit is None:
            entry = unit_names.known(canonical)
            unit = accounts.create_unit(
                actor,
                name=canonical,
                short_name=entry.short_name if entry else "",
                kind=unit_names.kind_for(canonical),
                sort_order=position * 10,
            )
            units_created += 1
        for alias in aliases:
            if accounts.resolve_unit(alias) is None:
                accounts.add_alias(actor, unit, alias)
                aliases_created += 1
    return units_created, aliases_created


def load_leaders(actor=None) -> int:
    """The 区分管领导 named in the seed table; the number created."""
    created = 0
    for position, name in enumerate(leader_names(items(read_seed())), start=1):
        if accounts.resolve_leader(name) is None:
            accounts.create_leader(actor, name=name, title=LEADER_TITLE, sort_order=position * 10)
            created += 1
    return created


def _fields(spec: DemoUserSpec) -> dict:
    unit = accounts.resolve_unit(spec.unit) if spec.unit else None
    leader = accounts.resolve_leader(spec.leader) if spec.leader else None
    if spec.unit and unit is None:
        raise ServiceError(f"演示单位“{spec.unit}”不存在。")
    if spec.leader and leader is None:
        raise ServiceError(f"演示领导“{spec.leader}”不存在。")
    return {
        "name": spec.name,
        "role": spec.role,
        "unit": unit,
        "leader": leader,
        "uscc": spec.uscc,
        "is_active": True,
    }


def reset_demo_user(actor, spec: DemoUserSpec) -> DemoLogin:
    """Create the demo user, or bring it back to its spec with a fresh password."""
    fields = _fields(spec)
    with transaction.atomic():
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            password = accounts.generate_password()
            user, enrolment = accounts.create_user(
                actor, password=password, username=spec.username, **fields
            )
        else:
            user = accounts.update_user(actor, user, **fields)
            # Demo passwords are printed for people to try the platform: no change forced.
            password = accounts.reset_password(actor, user, must_change=False)
            enrolment = accounts.reenrol_totp(actor, user) if user.role in ADMIN_ROLES else None
            if AccessAttempt.objects.filter(username=user.username).exists():
                accounts.unlock_user(actor, user)
    return DemoLogin(
        username=user.username,
        name=user.name,
        role_label=Role(user.role).label,
        password=password,
        totp_secret=enrolment.secret_base32 if enrolment else None,
    )


def build_demo(actor=None) -> DemoResult:
    """Everything the demo needs; safe to run again. Refuses outside demo mode."""
    require_demo_mode()
    result = DemoResult()
    with transaction.atomic():
        result.units_created, result.aliases_created = load_units(actor)
        result.leaders_created = load_leaders(actor)
        result.logins = [reset_demo_user(actor, spec) for spec in DEMO_USERS]
    result.plan = load_supervision_plan(actor)
    result.panel = load_panel(actor)
    result.official = load_official_figures(actor)
    result.policies = load_policy_demo(actor)
    result.evaluation = load_evaluation_demo(actor)
    result.cultivation = load_cultivation_demo(actor)
    # Growth targets (seed 003 item 12: 规上工业增加值增长10%) follow their data source.
    from gongxin.supervision.services.bindings import bind_targets_by_rule

    bind_targets_by_rule(actor)
    return result


def load_panel(actor=None) -> dict:
    """The synthetic panel calibrated to seed 000 (demo/PANEL.md), its months released by
    the demo analyst so leaders and supervisors see the (suppressed) dashboard."""
    from gongxin.demo.panel import build_panel
    from gongxin.monitoring import services as monitoring
    from gongxin.monitoring.models import MonthlyStat, PeriodRelease

    summary = build_panel(actor=actor)
    analyst = User.objects.get(username="demo_analyst")
    released = set(PeriodRelease.objects.values_list("period", flat=True))
    for period in (
        MonthlyStat.objects.values_list("period", flat=True).distinct().order_by("period")
    ):
        if period not in released:
            monitoring.release_period(analyst, period)
    return summary.as_dict()


# Seed 000 line 9: "规上工业增加值同比增长7.5%" for 2024 (a published, comparable-price rate).
OFFICIAL_SEED = (
    "统计期,范围,指标,增速(%),发布单位\n2024-12,全区,规上工业增加值,7.5,2024年工作总结\n"
)


def load_official_figures(actor=None) -> dict:
    """The published 2024 value-added growth of seed 000, through the official importer."""
    from gongxin.core.imports import services as imports

    outcome = imports.run_import(
        "official", "官方发布数据（2024年工作总结）.csv", OFFICIAL_SEED.encode("utf-8"),
        user=actor, commit=True,
    )  # fmt: skip
    if outcome["errors"]:
        raise ServiceError(f"演示官方数据导入失败：{outcome['errors'][0]['message']}")
    return outcome


def load_policy_demo(actor=None) -> dict:
    """Seed 002's clauses, the declared and tax figures they read (synthetic, for the
    panel's enterprises), and a first match as of the end of 2024 (demo/policies.py)."""
    from datetime import date

    from gongxin.demo import policies
    from gongxin.demo.panel import USCC_PREFIX
    from gongxin.enterprises.models import Enterprise, ScaleRecord
    from gongxin.enterprises.services import apply_figures
    from gongxin.monitoring.models import MonthlyStat
    from gongxin.policies import services as policy_services
    from gongxin.policies.assignments import assign_liaison_levels

    above = set(
        ScaleRecord.objects.filter(year=2024, above_scale=True).values_list(
            "enterprise_id", flat=True
        )
    )
    output = dict(
        MonthlyStat.objects.filter(period="2024-12").values_list("enterprise_id", "output")
    )
    firms = [
        (pk, pk in above, output.get(pk) or Decimal(0))
        for pk in Enterprise.objects.filter(uscc__startswith=USCC_PREFIX).values_list(
            "pk", flat=True
        )
    ]
    with transaction.atomic():
        figures = apply_figures(actor, policies.declared_figures(firms), reason="演示数据")
        library = policies.load_policies(actor)
    run = policy_services.run_match(actor, date(2024, 12, 31))
    liaisons = assign_liaison_levels(actor, date(2024, 12, 31), "bangbao-2024")
    bound = bind_demo_enterprise(actor)
    return {**library, "figures": figures, "matched": run.changed if run else 0,
            "liaisons": liaisons, "enterprise": bound}  # fmt: skip


def load_evaluation_demo(actor=None) -> dict:
    """Synthetic 2023 and 2024 evaluation inputs (demo/evaluation.py), the four demo
    schemes, and the 浙江县域方案一 taken through 公示 to a final list for both years (the
    notice dates are set in early 2024 and 2025 as the process would have run), so the
    run page shows classes and their movement; the other runnable schemes are drafts."""
    from datetime import date

    from gongxin.demo import evaluation
    from gongxin.demo.panel import USCC_PREFIX
    from gongxin.enterprises.models import Enterprise, EnterpriseFigure, ScaleRecord
    from gongxin.enterprises.services import apply_figures
    from gongxin.evaluation import schemes
    from gongxin.evaluation import services as evaluation_services
    from gongxin.evaluation.facts import population
    from gongxin.evaluation.models import Run
    from gongxin.monitoring.models import MonthlyStat

    above = set(
        ScaleRecord.objects.filter(year=2024, above_scale=True).values_list(
            "enterprise_id", flat=True
        )
    )
    output = dict(
        MonthlyStat.objects.filter(period="2024-12").values_list("enterprise_id", "output")
    )
    rng_revenue = {
        pk: Decimal(300 + (pk * 7919) % 1700)
        for pk in Enterprise.objects.values_list("pk", flat=True)
    }
    firms = [
        {"enterprise_id": pk, "above_scale": pk in above, "division": int(code[:2]) if code[:2].isdigit() else None,
         "revenue": output.get(pk) or rng_revenue[pk] if pk in above else rng_revenue[pk]}
        for pk, code in Enterprise.objects.filter(uscc__startswith=USCC_PREFIX).values_list("pk", "industry_code")
    ]  # fmt: skip
    existing = set(
        EnterpriseFigure.objects.filter(period__in=["2023", "2024"]).values_list(
            "enterprise_id", "feature", "period", "provenance"
        )
    )
    rows = [
        r for year in (2023, 2024) for r in evaluation.annual_figures(firms, year)
        if (r["enterprise_id"], r["feature"], r["period"], r["provenance"]) not in existing
    ]  # fmt: skip
    with transaction.atomic():
        figures = apply_figures(actor, rows, reason="演示数据") if rows else {"created": 0}
        saved = schemes.load(actor)
    previous = next(s for s in saved if s.code == "zj-county-a-2024")
    spec = next(s for s in schemes.specs() if s.code == "zj-county-a-2024")
    spec.code, spec.year, spec.name = "zj-county-a-2023", 2023, spec.name.replace("2024", "2023")
    saved.append(evaluation_services.save_scheme(actor, spec))
    finals = {}
    for scheme, notice in ((saved[-1], date(2024, 3, 1)), (previous, date(2025, 3, 1))):
        final = scheme.runs.filter(status=Run.Status.FINAL).first()
        if final is None and not population(scheme):
            continue  # a panel without that year's scale records
        if final is None:
            run, _ = evaluation_services.run_evaluation(actor, scheme)
            run = evaluation_services.publish_notice(
                actor, run, notice.replace(day=7), today=notice
            )
            final = evaluation_services.finalize(actor, run, today=notice.replace(day=8))
        finals[scheme.year] = final.evaluated
    drafts = 0
    for scheme in saved:
        if scheme.code in ("zj-county-b-2024", "below-scale-2024") and population(scheme):
            drafts += evaluation_services.run_evaluation(actor, scheme)[1]
    return {
        "figures": figures.get("created", 0),
        "schemes": len(saved),
        "finals": finals,
        "drafts": drafts,
    }


def load_cultivation_demo(actor=None) -> dict:
    """Synthetic 梯度培育 declarations and records of last year for ~150 panel firms
    (demo/cultivation.py), so each tier's candidate list has firms to show."""
    from gongxin.demo import cultivation

    return cultivation.load(actor)


def bind_demo_enterprise(actor=None) -> str:
    """The demo enterprise user speaks for a panel enterprise that has something to show:
    the first (by code) eligible for the 开门红 reward, with its months and its matches."""
    from gongxin.core import audit
    from gongxin.policies.models import Match

    match = (
        Match.objects.filter(clause__policy__code="kmh-2024", status=Match.Status.ELIGIBLE)
        .select_related("enterprise")
        .order_by("enterprise__uscc")
        .first()
    )
    if match is None:
        return ""
    user = User.objects.get(username="demo_enterprise")
    if user.uscc != match.enterprise.uscc:
        before = {"uscc": user.uscc}
        user.uscc = match.enterprise.uscc
        user.save(update_fields=["uscc"])
        audit.record_now(actor, "user.update", user, before=before, after={"uscc": user.uscc})
    return match.enterprise.name


def load_supervision_plan(actor=None) -> dict:
    """Seed 003 as the demo plan, through the supervision importer (idempotent: a second
    run finds every item unchanged)."""
    from gongxin.core.imports import services as imports

    outcome = imports.run_import(
        "supervision", SUPERVISION_SEED, read_seed().encode("utf-8"), user=actor, commit=True
    )
    if outcome["errors"]:
        raise ServiceError(f"演示督办表导入失败：{outcome['errors'][0]['message']}")
    return outcome
