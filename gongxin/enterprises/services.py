"""Every write to the enterprise registry: checks, the change and its audit row, in one
transaction. `actor` None is the system (commands, demo data)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max, Min

from gongxin.accounts.models import Unit
from gongxin.core import audit, uscc
from gongxin.core.errors import ConflictError, ServiceError
from gongxin.core.text import normalize_name
from gongxin.enterprises import industries
from gongxin.enterprises.choices import HonorKind, HonorLevel
from gongxin.enterprises.models import (
    REGION_KINDS,
    Enterprise,
    Honor,
    Program,
    ProgramMembership,
    ScaleRecord,
)
from gongxin.enterprises.querysets import READ_ALL_ROLES, enterprise_scope

ENTERPRISE_FIELDS = ("uscc", "name", "industry_code", "region", "land_mu", "employees", "is_active")
SCALE_FIELDS = ("above_scale", "entered_on", "exited_on")
HONOR_FIELDS = ("enterprise", "kind", "level", "year", "document")
CLUSTER_FIELDS = ("name", "kind", "family")
PROGRAM_FIELDS = ("name", "year")
MEMBER_FIELDS = ("cluster", "enterprise", "is_chain_leader")
LIAISON_FIELDS = ("enterprise", "year", "level", "officer_name", "title", "phone")
NAME_MAX = Enterprise._meta.get_field("name").max_length
YEARS = range(1949, 2101)


def _check_may_change(actor) -> None:
    if actor is not None and enterprise_scope(actor, "change") is not True:
        raise ServiceError("您的角色无权修改企业库。")


def clean_uscc(value: str) -> str:
    try:
        return uscc.validate(value)
    except uscc.InvalidUSCC as error:
        raise ServiceError(str(error)) from error


def clean_industry_code(value: str | None) -> str:
    """A code written with or without its letter → the stored 4-digit 小类 ("" for none)."""
    if value is None or not str(value).strip():
        return ""
    try:
        return industries.lookup_class(value).code
    except industries.UnknownIndustry as error:
        raise ServiceError(error.message) from error


def check_region(region: Unit | None) -> None:
    if region is not None and region.kind not in REGION_KINDS:
        raise ServiceError(f"“{region.name}”不是镇街或功能区，不能作为企业的所属区域。")


def _clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    if "uscc" in fields:
        fields["uscc"] = clean_uscc(fields["uscc"])
    if "name" in fields:
        fields["name"] = normalize_name(fields["name"])
        if not fields["name"]:
            raise ServiceError("企业名称不能为空。")
        if len(fields["name"]) > NAME_MAX:
            raise ServiceError(f"企业名称不能超过 {NAME_MAX} 个字。")
    if "industry_code" in fields:
        fields["industry_code"] = clean_industry_code(fields["industry_code"])
    if "region" in fields:
        check_region(fields["region"])
    land = fields.get("land_mu")
    if land is not None and Decimal(land) < 0:
        raise ServiceError("用地面积不能为负数。")
    employees = fields.get("employees")
    if employees is not None and employees < 0:
        raise ServiceError("从业人员不能为负数。")
    unknown = set(fields) - set(ENTERPRISE_FIELDS)
    if unknown:
        raise ValueError(f"not enterprise fields: {sorted(unknown)}")
    return fields


def create_enterprise(actor, **fields) -> Enterprise:
    _check_may_change(actor)
    fields = _clean_fields(fields)
    if not fields.get("uscc") or not fields.get("name"):
        raise ServiceError("统一社会信用代码和企业名称必须填写。")
    with transaction.atomic():
        if Enterprise.objects.filter(uscc=fields["uscc"]).exists():
            raise ServiceError(f"统一社会信用代码“{fields['uscc']}”的企业已存在。")
        enterprise = Enterprise.objects.create(**fields)
        audit.record(
            actor,
            "enterprise.create",
            enterprise,
            after=audit.snapshot(enterprise, ENTERPRISE_FIELDS),
        )
    return enterprise


def update_enterprise(
    actor, enterprise: Enterprise, *, expected_version: int | None = None, **fields
) -> Enterprise:
    _check_may_change(actor)
    fields = _clean_fields(fields)
    with transaction.atomic():
        enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        if expected_version is not None and enterprise.version != expected_version:
            raise ConflictError()
        taken = Enterprise.objects.filter(uscc=fields.get("uscc")).exclude(pk=enterprise.pk)
        if "uscc" in fields and taken.exists():
            raise ServiceError(f"统一社会信用代码“{fields['uscc']}”的企业已存在。")
        before = audit.snapshot(enterprise, ENTERPRISE_FIELDS)
        for name, value in fields.items():
            setattr(enterprise, name, value)
        old, new = audit.diff(before, audit.snapshot(enterprise, ENTERPRISE_FIELDS))
        if not new:
            return enterprise
        enterprise.version += 1
        enterprise.save()
        audit.record(actor, "enterprise.update", enterprise, before=old, after=new)
    return enterprise


def add_honor(actor, enterprise: Enterprise, *, kind: str, level: str, year: int) -> Honor:
    _check_may_change(actor)
    if kind not in HonorKind.values:
        raise ServiceError(f"称号“{kind}”无法识别。")
    if level not in HonorLevel.values:
        raise ServiceError(f"级别“{level}”无法识别。")
    if year not in YEARS:
        raise ServiceError(f"认定年度“{year}”不正确。")
    with transaction.atomic():
        if Honor.objects.filter(enterprise=enterprise, kind=kind, level=level, year=year).exists():
            label = f"{year}年{HonorLevel(level).label}{HonorKind(kind).label}"
            raise ServiceError(f"{enterprise.name}已有{label}称号记录。")
        honor = Honor.objects.create(enterprise=enterprise, kind=kind, level=level, year=year)
        audit.record(actor, "honor.create", honor, after=audit.snapshot(honor, HONOR_FIELDS))
    return honor


def set_scale_record(
    actor,
    enterprise: Enterprise,
    *,
    year: int,
    above_scale: bool,
    entered_on: dt.date | None = None,
    exited_on: dt.date | None = None,
) -> ScaleRecord:
    """Put the enterprise on (or off) the above-scale register of the year; unchanged
    values write nothing."""
    _check_may_change(actor)
    if year not in YEARS:
        raise ServiceError(f"年度“{year}”不正确。")
    if entered_on and exited_on and exited_on < entered_on:
        raise ServiceError("退规日期不能早于入规日期。")
    with transaction.atomic():
        record = (
            ScaleRecord.objects.select_for_update().filter(enterprise=enterprise, year=year).first()
        )
        after = {"above_scale": above_scale, "entered_on": entered_on, "exited_on": exited_on}
        if record is None:
            record = ScaleRecord.objects.create(enterprise=enterprise, year=year, **after)
            audit.record(
                actor,
                "scale.create",
                record,
                after={"enterprise": enterprise.pk, "year": year, **audit.jsonable(after)},
            )
            return record
        before = audit.snapshot(record, SCALE_FIELDS)
        for name, value in after.items():
            setattr(record, name, value)
        old, new = audit.diff(before, audit.snapshot(record, SCALE_FIELDS))
        if new:
            record.save()
            audit.record(actor, "scale.update", record, before=old, after=new)
    return record


# --- Liaison officers' contact ---------------------------------------------------------------


def may_see_liaison_phone(user) -> bool:
    """A liaison officer's phone number is personal data: bureau roles only (not the
    enterprise itself, not the administrators)."""
    return bool(user.is_authenticated and getattr(user, "role", None) in READ_ALL_ROLES)


def mask_phone(phone: str) -> str:
    """ "13812345678" → "138****5678": how a phone number enters the audit trail."""
    if len(phone) < 8:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


# --- Cultivation results: "新增X家" ----------------------------------------------------------


@dataclass(frozen=True)
class HonorCount:
    """Enterprises holding one title at one level in a year.

    total: recognised in the year or before (累计; validity periods are not modelled);
    recognised: recognised in the year, re-recognitions (复核) included (当年认定);
    new: recognised in the year for the first time at this level (新增).
    """

    kind: str
    level: str
    total: int
    recognised: int
    new: int

    @property
    def kind_label(self) -> str:
        return HonorKind(self.kind).label

    @property
    def level_label(self) -> str:
        return HonorLevel(self.level).label


@dataclass(frozen=True)
class ProgramCount:
    """The members of a year's program, and those in no earlier year's program of the
    same name (新增, 首次入选)."""

    name: str
    year: int
    total: int
    new: int


def honor_counts(year: int) -> list[HonorCount]:
    """Per title and level (in the order of the choices), the enterprises counted once
    each; titles nobody holds by the year are left out."""
    firsts = (
        Honor.objects.filter(year__lte=year)
        .values("kind", "level", "enterprise_id")
        .annotate(first=Min("year"), last=Max("year"))
        .order_by()
    )
    tally: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in firsts:
        counts = tally[row["kind"], row["level"]]
        counts[0] += 1
        counts[1] += row["last"] == year
        counts[2] += row["first"] == year
    return [
        HonorCount(kind, level, *tally[kind, level])
        for kind in HonorKind.values
        for level in HonorLevel.values
        if (kind, level) in tally
    ]


def program_counts(year: int) -> list[ProgramCount]:
    """Per program of the year (by name), its members and how many of them are new."""
    # Sorted here, not by the database: collations order Chinese differently.
    programs = sorted(Program.objects.filter(year=year), key=lambda p: p.name)
    members: dict[str, set[int]] = defaultdict(set)
    earlier: dict[str, set[int]] = defaultdict(set)
    names = [p.name for p in programs]
    rows = ProgramMembership.objects.filter(
        program__name__in=names, program__year__lte=year
    ).values_list("program__name", "program__year", "enterprise_id")
    for name, program_year, enterprise_id in rows:
        (members if program_year == year else earlier)[name].add(enterprise_id)
    return [
        ProgramCount(p.name, year, len(members[p.name]), len(members[p.name] - earlier[p.name]))
        for p in programs
    ]


def cultivation_years() -> list[int]:
    """The years with a recognition or a program, newest first."""
    years = set(Honor.objects.values_list("year", flat=True).distinct())
    years |= set(Program.objects.values_list("year", flat=True).distinct())
    return sorted(years, reverse=True)


def cultivation_summary(year: int | None = None) -> dict[str, Any]:
    """The "企业培育成果" card: the year asked for (or the latest with records), the
    years to choose from, the honor and program counts."""
    years = cultivation_years()
    if year not in years:
        year = years[0] if years else None
    if year is None:
        return {"year": None, "years": [], "honors": [], "programs": []}
    return {
        "year": year,
        "years": years,
        "honors": honor_counts(year),
        "programs": program_counts(year),
    }


def apply_figures(actor, rows: list[dict], *, reason: str = "") -> dict[str, int]:
    """Create or update declared and administrative figures (EnterpriseFigure) keyed by
    enterprise, feature, period and provenance; an unchanged value writes nothing. Runs
    inside the caller's transaction and audits each change."""
    from gongxin.enterprises.models import EnterpriseFigure

    keys = {(r["enterprise_id"], r["feature"], r["period"], r["provenance"]) for r in rows}
    existing = {
        (f.enterprise_id, f.feature, f.period, f.provenance): f
        for f in EnterpriseFigure.objects.filter(
            enterprise_id__in={k[0] for k in keys}, feature__in={k[1] for k in keys}
        )
    }
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    changes, new = [], []
    for row in rows:
        key = (row["enterprise_id"], row["feature"], row["period"], row["provenance"])
        figure = existing.get(key)
        value = Decimal(row["value"]).quantize(Decimal("0.0001"))
        if figure is None:
            new.append(EnterpriseFigure(**{**row, "value": value}))
            counts["created"] += 1
        elif figure.value != value or figure.source != row.get("source", ""):
            before = {"value": str(figure.value), "source": figure.source}
            figure.value, figure.source, figure.version = (
                value,
                row.get("source", ""),
                figure.version + 1,
            )
            figure.save()
            changes.append(
                audit.Change(
                    figure, before=before, after={"value": str(value), "source": figure.source}
                )
            )
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    for figure in EnterpriseFigure.objects.bulk_create(new, batch_size=2000):
        changes.append(
            audit.Change(figure, after={"value": str(figure.value), "source": figure.source})
        )
    if changes:
        audit.record_many(actor, "enterprise.figures", changes, reason=reason)
    return counts
