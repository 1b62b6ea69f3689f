"""免申即享 batches and the 兑现 ledger: every write takes the acting user, runs in one
transaction and leaves an audit row beside the change.

A batch of an auto-grant clause is proposed as a draft, reviewed (the reviewer sets each
enterprise's amount: the estimate by default, or by hand for a cap-only rule) and approved
into grants; payments are recorded against grants, following the rule's stages when it
has them. The draft stores no lines of its own (the model has none): its lines are the
clause's current eligible matches, less the enterprises already granted under the clause
and those 就高不重复 gives to another clause of the same exclusive group. What was
proposed is kept in the proposal's audit row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gongxin.core import audit
from gongxin.core.errors import ConflictError, ServiceError
from gongxin.monitoring.brief import amount as amount_words
from gongxin.policies.models import Clause, Grant, GrantBatch, Match, Payment

Q4 = Decimal("0.0001")
GRANT_FIELDS = ("batch", "clause", "enterprise", "match", "approved_amount", "approved_on", "year")
PAYMENT_FIELDS = ("grant", "amount", "paid_on", "stage", "note")


def _money(value) -> Decimal:
    try:
        number = Decimal(str(value)).quantize(Q4)
    except (ArithmeticError, ValueError):
        raise ServiceError(f"金额“{value}”不是有效数字。") from None
    if not number.is_finite():
        raise ServiceError(f"金额“{value}”不是有效数字。")
    return number


def cap_of(clause: Clause) -> Decimal | None:
    cap = (clause.award or {}).get("cap")
    return None if cap is None else Decimal(str(cap))


def stages_of(clause: Clause) -> list[Decimal]:
    """The rule's payment stages as percentages ([40, 60]); [] when paid in one go."""
    return [Decimal(str(s)) for s in (clause.award or {}).get("stages") or []]


def _rank(match: Match) -> Decimal:
    """What 就高 compares: the estimated award, or the cap when the rule gives no estimate."""
    value = match.award if match.award is not None else match.award_cap
    return value if value is not None else Decimal(0)


# --- the lines of a draft batch -----------------------------------------------------------------
@dataclass
class Line:
    match: Match
    amount: Decimal | None  # the estimate; None when the reviewer must enter it (cap-only rule)
    cap: Decimal | None

    @property
    def enterprise(self):
        return self.match.enterprise


@dataclass
class Excluded:
    match: Match
    reason: str


@dataclass
class Lines:
    included: list[Line] = field(default_factory=list)
    excluded: list[Excluded] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.amount or Decimal(0) for line in self.included), Decimal(0))

    def by_enterprise(self) -> dict[int, Line]:
        return {line.match.enterprise_id: line for line in self.included}

    def reason_for(self, enterprise_id: int) -> str | None:
        return next(
            (e.reason for e in self.excluded if e.match.enterprise_id == enterprise_id), None
        )


def group_clauses(clause: Clause) -> list[Clause]:
    """The other clauses of the clause's 就高不重复 group."""
    if not clause.exclusive_group:
        return []
    return list(
        Clause.objects.filter(exclusive_group=clause.exclusive_group)
        .exclude(pk=clause.pk)
        .select_related("policy")
    )


def batch_lines(clause: Clause, *, batch: GrantBatch | None = None) -> Lines:
    """The enterprises a batch of `clause` would grant now, and those left out with why."""
    eligible = list(
        Match.objects.filter(clause=clause, status=Match.Status.ELIGIBLE)
        .select_related("enterprise")
        .order_by("enterprise__name", "enterprise_id")
    )
    ids = [m.enterprise_id for m in eligible]
    granted = {
        g.enterprise_id: g for g in Grant.objects.filter(clause=clause, enterprise_id__in=ids)
    }
    others = group_clauses(clause)
    other_grants: dict[int, Grant] = {}
    rivals: dict[int, list[Match]] = defaultdict(list)
    if others:
        for g in Grant.objects.filter(clause__in=others, enterprise_id__in=ids).select_related(
            "clause"
        ):
            other_grants.setdefault(g.enterprise_id, g)
        proposed = set(
            GrantBatch.objects.filter(clause__in=others, status=GrantBatch.Status.DRAFT)
            .exclude(pk=getattr(batch, "pk", None))
            .values_list("clause_id", flat=True)
        )
        for m in Match.objects.filter(
            clause_id__in=proposed, enterprise_id__in=ids, status=Match.Status.ELIGIBLE
        ).select_related("clause"):
            rivals[m.enterprise_id].append(m)
    lines = Lines()
    cap = cap_of(clause)
    for m in eligible:
        if m.enterprise_id in granted:
            g = granted[m.enterprise_id]
            lines.excluded.append(
                Excluded(
                    m, f"已于{g.approved_on:%Y-%m-%d}核定{_wan(g.approved_amount)}，不重复兑现"
                )
            )
            continue
        if m.enterprise_id in other_grants:
            g = other_grants[m.enterprise_id]
            lines.excluded.append(
                Excluded(
                    m,
                    f"已在同组条款“{g.clause.title}”核定{_wan(g.approved_amount)}（就高不重复）",
                )
            )
            continue
        higher = [r for r in rivals[m.enterprise_id] if _beats(r, m)]
        if higher:
            lines.excluded.append(
                Excluded(
                    m,
                    f"同组条款“{higher[0].clause.title}”待审核批次中金额更高"
                    f"（{_wan(_rank(higher[0]))}），就高不重复",
                )
            )
            continue
        lines.included.append(Line(m, m.award, cap))
    return lines


def _beats(rival: Match, mine: Match) -> bool:
    """Rival's clause takes the enterprise: higher amount, or equal and the older clause."""
    return (_rank(rival), -rival.clause_id) > (_rank(mine), -mine.clause_id)


def _wan(value) -> str:
    return f"{Decimal(value).quantize(Q4).normalize():f}万元"


# --- batches --------------------------------------------------------------------------------------
def propose_batch(actor, clause: Clause, title: str = "") -> GrantBatch:
    """A draft batch of an auto-grant clause's eligible enterprises, for review."""
    with transaction.atomic():
        clause = Clause.objects.select_for_update().select_related("policy").get(pk=clause.pk)
        if clause.mode != Clause.Mode.AUTO_GRANT:
            raise ServiceError(f"条款“{clause.title}”不是免申即享条款，不能生成兑现批次。")
        if not clause.award:
            raise ServiceError(f"条款“{clause.title}”没有奖补规则，不能生成兑现批次。")
        if GrantBatch.objects.filter(clause=clause, status=GrantBatch.Status.DRAFT).exists():
            raise ServiceError(f"条款“{clause.title}”已有待审核的批次，请先审定或撤销。")
        lines = batch_lines(clause)
        if not lines.included:
            raise ServiceError(f"条款“{clause.title}”当前没有可纳入批次的符合条件企业。")
        number = GrantBatch.objects.filter(clause=clause).count() + 1
        batch = GrantBatch.objects.create(
            clause=clause,
            title=(title or f"{clause.policy.title}·{clause.title} 第{number}批").strip()[:200],
            created_by=actor,
        )
        audit.record(
            actor,
            "policy.batch.propose",
            batch,
            after={
                "clause": clause.pk,
                "title": batch.title,
                "lines": [
                    {"enterprise": x.match.enterprise_id, "match": x.match.pk, "award": x.amount}
                    for x in lines.included
                ],
                "excluded": [
                    {"enterprise": x.match.enterprise_id, "reason": x.reason}
                    for x in lines.excluded
                ],
            },
        )
        return batch


def _locked_batch(batch: GrantBatch, version) -> GrantBatch:
    batch = GrantBatch.objects.select_for_update().select_related("clause__policy").get(pk=batch.pk)
    if version is None or str(batch.version) != str(version):
        raise ConflictError("该批次已被他人修改（审定或撤销），请刷新页面后重试。")
    if batch.status != GrantBatch.Status.DRAFT:
        raise ServiceError(f"批次“{batch.title}”{batch.get_status_display()}，不能再审核。")
    return batch


def _lock_group(clause: Clause) -> None:
    """Serialise grants within a 就高不重复 group (two batches approved at once)."""
    ids = [clause.pk, *(c.pk for c in group_clauses(clause))]
    list(Clause.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def approve_batch(
    actor,
    batch: GrantBatch,
    amounts: Mapping[int, object],
    version,
    *,
    approved_on: date | None = None,
    note: str = "",
) -> list[Grant]:
    """Approve a draft: one grant per enterprise in `amounts` (enterprise id → 万元).
    Lines left out of `amounts` stay eligible for a later batch. Any refusal writes
    nothing."""
    approved_on = approved_on or timezone.localdate()
    with transaction.atomic():
        batch = _locked_batch(batch, version)
        clause = batch.clause
        _lock_group(clause)
        if not amounts:
            raise ServiceError("请至少纳入一家企业并填写核定金额。")
        lines = batch_lines(clause, batch=batch)
        available = lines.by_enterprise()
        cap = cap_of(clause)
        grants = []
        for enterprise_id, value in amounts.items():
            line = available.get(int(enterprise_id))
            if line is None:
                existing = Grant.objects.filter(clause=clause, enterprise_id=enterprise_id).first()
                if existing is not None:
                    raise ServiceError(
                        f"{existing.enterprise.name}已有本条款的兑现记录"
                        f"（{_wan(existing.approved_amount)}），不能重复核定。"
                    )
                reason = lines.reason_for(int(enterprise_id))
                raise ServiceError(
                    f"企业（编号{enterprise_id}）不能纳入本批次：{reason or '当前不符合条件'}。"
                )
            name = line.enterprise.name
            if value in (None, ""):
                raise ServiceError(f"请填写{name}的核定金额（本条款只规定了上限）。")
            money = _money(value)
            if money <= 0:
                raise ServiceError(f"{name}的核定金额应大于0。")
            if cap is not None and money > cap:
                raise ServiceError(f"{name}的核定金额{_wan(money)}超过上限{_wan(cap)}。")
            grants.append(
                Grant(
                    batch=batch,
                    clause=clause,
                    enterprise=line.enterprise,
                    match=line.match,
                    approved_amount=money,
                    approved_on=approved_on,
                    year=approved_on.year,
                )
            )
        for grant in grants:
            grant.save()
        before = audit.snapshot(batch, ("status", "note"))
        batch.status = GrantBatch.Status.APPROVED
        batch.approved_by, batch.approved_at = actor, timezone.now()
        batch.note = note.strip()[:300]
        batch.version += 1
        batch.save()
        audit.record(
            actor,
            "policy.batch.approve",
            batch,
            before=before,
            after={**audit.snapshot(batch, ("status", "note")), "grants": len(grants),
                   "total": sum((g.approved_amount for g in grants), Decimal(0))},
        )  # fmt: skip
        audit.record_many(
            actor,
            "policy.grant.create",
            [audit.Change(g, None, audit.snapshot(g, GRANT_FIELDS)) for g in grants],
        )
        return grants


def cancel_batch(actor, batch: GrantBatch, version, note: str = "") -> GrantBatch:
    """Withdraw a draft batch; an approved batch has grants and is never cancelled."""
    with transaction.atomic():
        batch = _locked_batch(batch, version)
        before = audit.snapshot(batch, ("status", "note"))
        batch.status = GrantBatch.Status.CANCELLED
        batch.note = note.strip()[:300]
        batch.version += 1
        batch.save()
        audit.record(
            actor,
            "policy.batch.cancel",
            batch,
            before=before,
            after=audit.snapshot(batch, ("status", "note")),
        )
        return batch


# --- grants by hand (apply-mode clauses) ------------------------------------------------------------
def grant_by_hand(
    actor, clause: Clause, enterprise, amount, approved_on: date, note: str = ""
) -> Grant:
    """Enter a grant the bureau decided on an application (申请兑现)."""
    with transaction.atomic():
        _lock_group(clause)
        clause = Clause.objects.select_related("policy").get(pk=clause.pk)
        if clause.mode != Clause.Mode.APPLY:
            raise ServiceError(
                f"条款“{clause.title}”为{clause.get_mode_display()}，"
                "只有申请兑现条款可以手工登记（免申即享请走兑现批次）。"
            )
        existing = Grant.objects.filter(clause=clause, enterprise=enterprise).first()
        if existing is not None:
            raise ServiceError(
                f"{enterprise.name}已有本条款的兑现记录（{_wan(existing.approved_amount)}），"
                "不能重复核定。"
            )
        rival = (
            Grant.objects.filter(clause__in=group_clauses(clause), enterprise=enterprise)
            .select_related("clause")
            .first()
        )
        if rival is not None:
            raise ServiceError(
                f"{enterprise.name}已在同组条款“{rival.clause.title}”核定"
                f"{_wan(rival.approved_amount)}，就高不重复，不能再核定。"
            )
        money = _money(amount)
        cap = cap_of(clause)
        if money <= 0:
            raise ServiceError("核定金额应大于0。")
        if cap is not None and money > cap:
            raise ServiceError(f"核定金额{_wan(money)}超过本条款上限{_wan(cap)}。")
        if approved_on > timezone.localdate():
            raise ServiceError("核定日期不能晚于今天。")
        grant = Grant.objects.create(
            clause=clause,
            enterprise=enterprise,
            match=Match.objects.filter(clause=clause, enterprise=enterprise).first(),
            approved_amount=money,
            approved_on=approved_on,
            year=approved_on.year,
        )
        audit.record(
            actor,
            "policy.grant.create",
            grant,
            after=audit.snapshot(grant, GRANT_FIELDS),
            reason=note.strip(),
        )
        return grant


# --- payments -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class NextStage:
    stage: int
    amount: Decimal | None  # what this stage pays; None when any amount up to the rest will do
    percent: Decimal | None
    outstanding: Decimal


def next_stage(grant: Grant) -> NextStage | None:
    """The stage the next payment pays, or None when the grant is paid in full."""
    paid = sum((p.amount for p in grant.payments.all()), Decimal(0))
    outstanding = grant.approved_amount - paid
    count = len(grant.payments.all())
    stages = stages_of(grant.clause)
    if outstanding <= 0 or (stages and count >= len(stages)):
        return None
    if not stages:
        return NextStage(count + 1, None, None, outstanding)
    if count == len(stages) - 1:  # the last stage pays the rest, whatever the rounding left
        return NextStage(count + 1, outstanding, stages[count], outstanding)
    due = (grant.approved_amount * stages[count] / 100).quantize(Q4)
    return NextStage(count + 1, due, stages[count], outstanding)


def record_payment(
    actor, grant: Grant, amount, paid_on: date, stage: int | None = None, *, note: str = ""
) -> Payment:
    """Record money paid on a grant: never more than approved, stages in order and at
    their share of the approved amount when the rule has stages (e.g. 40% then 60%)."""
    with transaction.atomic():
        grant = (
            Grant.objects.select_for_update()
            .select_related("clause", "enterprise")
            .get(pk=grant.pk)
        )
        money = _money(amount)
        if money <= 0:
            raise ServiceError("拨付金额应大于0。")
        if paid_on > timezone.localdate():
            raise ServiceError("拨付日期不能晚于今天。")
        if paid_on < grant.approved_on:
            raise ServiceError(f"拨付日期不能早于核定日期{grant.approved_on:%Y-%m-%d}。")
        upcoming = next_stage(grant)
        if upcoming is None:
            raise ServiceError(f"{grant.enterprise.name}的本项奖补已全部拨付。")
        if stage is not None and int(stage) != upcoming.stage:
            raise ServiceError(f"应拨付第{upcoming.stage}期，不能登记第{stage}期。")
        if money > upcoming.outstanding:
            raise ServiceError(
                f"拨付金额{_wan(money)}超过未拨付金额{_wan(upcoming.outstanding)}"
                f"（核定{_wan(grant.approved_amount)}）。"
            )
        if upcoming.amount is not None and money != upcoming.amount:
            raise ServiceError(
                f"第{upcoming.stage}期按核定金额的{upcoming.percent.normalize():f}%拨付，"
                f"应为{_wan(upcoming.amount)}。"
            )
        payment = Payment.objects.create(
            grant=grant,
            amount=money,
            paid_on=paid_on,
            stage=upcoming.stage,
            recorded_by=actor,
            note=note.strip()[:300],
        )
        grant.version += 1
        grant.save(update_fields=["version"])
        audit.record(
            actor, "policy.payment.create", payment, after=audit.snapshot(payment, PAYMENT_FIELDS)
        )
        return payment


# --- totals ---------------------------------------------------------------------------------------
@dataclass
class TotalRow:
    policy: str  # code; "" for the overall line
    title: str
    year: int | None
    approved: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)
    enterprises: int = 0  # with a grant, each counted once
    paid_enterprises: int = 0  # with at least one payment

    @property
    def outstanding(self) -> Decimal:
        return self.approved - self.paid

    @property
    def sentence(self) -> str:
        """ "兑现资金2.75亿元、惠及企业40家（核定3亿元，42家）" as seed 000 writes it."""
        when = f"{self.year}年" if self.year else ""
        return (
            f"{when}兑现资金{amount_words(self.paid)}、惠及企业{self.paid_enterprises}家"
            f"（核定{amount_words(self.approved)}，{self.enterprises}家）"
        )


@dataclass
class Totals:
    rows: list[TotalRow]
    overall: TotalRow


def totals(year: int | None = None, grants=None) -> Totals:
    """Approved and paid amounts and enterprises by policy and grant year (核定年度), summed
    as Decimals in Python so SQLite and PostgreSQL agree to the 万元 decimal."""
    grants = Grant.objects.all() if grants is None else grants
    if year is not None:
        grants = grants.filter(year=year)
    rows: dict[tuple[str, int], TotalRow] = {}
    people: dict[tuple[str, int], tuple[set, set]] = defaultdict(lambda: (set(), set()))
    paid_by_grant: dict[int, Decimal] = defaultdict(Decimal)
    for grant_id, value in Payment.objects.filter(grant__in=grants).values_list(
        "grant_id", "amount"
    ):
        paid_by_grant[grant_id] += value
    everyone: tuple[set, set] = (set(), set())
    overall = TotalRow("", "合计", year)
    for g in grants.values(
        "pk", "year", "enterprise_id", "approved_amount", "clause__policy__code",
        "clause__policy__title",
    ):  # fmt: skip
        key = (g["clause__policy__code"], g["year"])
        row = rows.setdefault(key, TotalRow(key[0], g["clause__policy__title"], key[1]))
        paid = paid_by_grant.get(g["pk"], Decimal(0))
        for target in (row, overall):
            target.approved += g["approved_amount"]
            target.paid += paid
        for sets in (people[key], everyone):
            sets[0].add(g["enterprise_id"])
            if paid > 0:
                sets[1].add(g["enterprise_id"])
    for key, row in rows.items():
        row.enterprises, row.paid_enterprises = len(people[key][0]), len(people[key][1])
    overall.enterprises, overall.paid_enterprises = len(everyone[0]), len(everyone[1])
    ordered = sorted(rows.values(), key=lambda r: (-r.year, r.policy))
    return Totals(ordered, overall)
