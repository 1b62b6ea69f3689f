"""Policies as data: documents, their clauses (criteria, award rule, mode), the dated
parameters clauses cite, and the matches with their explanations and history. Every
write goes through services.py, which validates and audits it."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongxin.enterprises.models import Enterprise


class Policy(models.Model):
    code = models.SlugField("政策代码", max_length=60, unique=True)
    title = models.CharField("政策名称", max_length=200)
    issuer = models.CharField("发文机关", max_length=100, blank=True)
    doc_number = models.CharField("文号", max_length=100, blank=True)
    effective_from = models.DateField("施行日期")
    effective_to = models.DateField("有效期至", null=True, blank=True)
    source_text = models.TextField("原文", blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-effective_from", "code"]
        verbose_name = "惠企政策"
        verbose_name_plural = "惠企政策"

    def __str__(self) -> str:
        return self.title


class Clause(models.Model):
    class Mode(models.TextChoices):
        AUTO_GRANT = "auto_grant", "免申即享"
        APPLY = "apply", "申请兑现"
        SERVICE = "service", "服务安排"  # no money: a pool, a 帮包 level

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="clauses")
    code = models.SlugField("条款代码", max_length=60)
    title = models.CharField("条款名称", max_length=200)
    text = models.TextField("条款原文", blank=True)
    mode = models.CharField("兑现方式", max_length=16, choices=Mode, default=Mode.APPLY)
    year = models.PositiveSmallIntegerField("政策年度", null=True, blank=True)
    valid_from = models.DateField("条款生效", null=True, blank=True)
    valid_to = models.DateField("条款截止", null=True, blank=True)
    provenances = models.JSONField("允许读取的数据来源", default=list)
    criteria = models.JSONField("资格条件")
    award = models.JSONField("奖补规则", default=dict, blank=True)
    exclusive_group = models.CharField("就高不重复组", max_length=60, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["policy", "code"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "code"], name="clause_code_unique"),
        ]
        verbose_name = "政策条款"
        verbose_name_plural = "政策条款"

    def __str__(self) -> str:
        return f"{self.policy.code}/{self.code}"


class ClauseParameter(models.Model):
    """A threshold or amount a clause cites, with the date it takes effect and the
    document that set it: a change is a new dated row, never an edit."""

    clause = models.ForeignKey(Clause, on_delete=models.CASCADE, related_name="parameters")
    name = models.SlugField("参数", max_length=60)
    label = models.CharField("名称", max_length=100)
    value = models.JSONField("取值")
    unit = models.CharField("单位", max_length=20, blank=True)
    effective_from = models.DateField("生效日期")
    document = models.CharField("依据", max_length=200)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        ordering = ["clause", "name", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["clause", "name", "effective_from"], name="one_parameter_value_per_date"
            ),
        ]
        verbose_name = "条款参数"
        verbose_name_plural = "条款参数"

    def __str__(self) -> str:
        return f"{self.name}={self.value}{self.unit}"


class MatchRun(models.Model):
    as_of = models.DateField("依据日期")
    backend = models.CharField("计算后端", max_length=16, default="live")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    started_at = models.DateTimeField(auto_now_add=True)
    clauses = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.as_of} #{self.pk}"


class Match(models.Model):
    """The current result of a clause for an enterprise; `history` keeps every change."""

    class Status(models.TextChoices):
        ELIGIBLE = "eligible", "符合条件"
        NEAR_MISS = "near_miss", "接近条件"
        INELIGIBLE = "ineligible", "不符合"

    clause = models.ForeignKey(Clause, on_delete=models.CASCADE, related_name="matches")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="matches")
    status = models.CharField("结果", max_length=16, choices=Status)
    award = models.DecimalField("测算奖补（万元）", max_digits=18, decimal_places=4, null=True)
    award_cap = models.DecimalField("奖补上限（万元）", max_digits=18, decimal_places=4, null=True)
    reasons = models.JSONField("逐项说明")
    run = models.ForeignKey(MatchRun, on_delete=models.PROTECT, related_name="matches")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["clause", "enterprise"]
        constraints = [
            models.UniqueConstraint(fields=["clause", "enterprise"], name="one_match_per_clause"),
        ]
        verbose_name = "匹配结果"
        verbose_name_plural = "匹配结果"

    def __str__(self) -> str:
        return f"{self.clause} {self.enterprise_id} {self.status}"


class MatchChange(models.Model):
    """Who was eligible when: one row each time a match's status or award changes."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="history")
    run = models.ForeignKey(MatchRun, on_delete=models.PROTECT, related_name="changes")
    before = models.CharField(max_length=16, blank=True)
    after = models.CharField(max_length=16)
    award = models.DecimalField(max_digits=18, decimal_places=4, null=True)

    class Meta:
        ordering = ["match", "id"]

    def __str__(self) -> str:
        return f"{self.match_id}: {self.before or '—'} → {self.after}"


class Push(models.Model):
    """A match brought to the enterprise's attention by the bureau (推送), recorded."""

    class Channel(models.TextChoices):
        INBOX = "inbox", "平台消息"
        PHONE = "phone", "电话告知"
        VISIT = "visit", "上门服务"
        OTHER = "other", "其他"

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="pushes")
    channel = models.CharField("方式", max_length=16, choices=Channel, default=Channel.INBOX)
    note = models.CharField("说明", max_length=300, blank=True)
    pushed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    pushed_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField("企业查看时间", null=True, blank=True)

    class Meta:
        ordering = ["-pushed_at"]
        verbose_name = "政策推送"
        verbose_name_plural = "政策推送"

    def __str__(self) -> str:
        return f"{self.match_id} {self.channel}"


class GrantBatch(models.Model):
    """A reviewed batch of a 免申即享 clause's eligible matches turned into grants."""

    class Status(models.TextChoices):
        DRAFT = "draft", "待审核"
        APPROVED = "approved", "已审定"
        CANCELLED = "cancelled", "已撤销"

    clause = models.ForeignKey(Clause, on_delete=models.PROTECT, related_name="grant_batches")
    title = models.CharField("批次名称", max_length=200)
    status = models.CharField("状态", max_length=16, choices=Status, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField("审核意见", max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "兑现批次"
        verbose_name_plural = "兑现批次"

    def __str__(self) -> str:
        return self.title


class Grant(models.Model):
    """An award approved for an enterprise under a clause (兑现台账 row)."""

    batch = models.ForeignKey(
        GrantBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="grants"
    )
    clause = models.ForeignKey(Clause, on_delete=models.PROTECT, related_name="grants")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="grants")
    match = models.ForeignKey(Match, null=True, blank=True, on_delete=models.SET_NULL)
    approved_amount = models.DecimalField("核定金额（万元）", max_digits=18, decimal_places=4)
    approved_on = models.DateField("核定日期")
    year = models.PositiveSmallIntegerField("兑现年度")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["clause", "enterprise"]
        constraints = [
            models.UniqueConstraint(fields=["clause", "enterprise"], name="one_grant_per_clause"),
        ]
        verbose_name = "兑现台账"
        verbose_name_plural = "兑现台账"

    def __str__(self) -> str:
        return f"{self.clause} {self.enterprise_id} {self.approved_amount}"


class Payment(models.Model):
    """Money actually paid on a grant (staged payments are several rows)."""

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField("拨付金额（万元）", max_digits=18, decimal_places=4)
    paid_on = models.DateField("拨付日期")
    stage = models.PositiveSmallIntegerField("期次", default=1)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        ordering = ["grant", "paid_on", "id"]
        verbose_name = "拨付记录"
        verbose_name_plural = "拨付记录"

    def __str__(self) -> str:
        return f"{self.grant_id} {self.amount} {self.paid_on}"
