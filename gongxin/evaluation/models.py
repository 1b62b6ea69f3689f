"""亩产效益 evaluation: schemes as data (versioned), runs with every enterprise's scores,
class and reasons, the 公示 objections, and each enterprise's final class per year (the
catalog feature `evaluation_class`). Every write goes through services.py, which validates
and audits it."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongxin.enterprises.models import Enterprise

CLASSES = ("A", "B", "C", "D")
CLASS_LABELS = {"A": "A类（优先发展）", "B": "B类（支持发展）", "C": "C类（提升发展）",
                "D": "D类（限制发展）", "T": "T类（暂不评价）"}  # fmt: skip


class Scheme(models.Model):
    """One year's evaluation of one population. Indicators, class rules, restrictions and
    adjustments are data (rules.check_scheme normalises them); a change to a scheme that
    has runs is saved as a new version, so published results keep the rules they used."""

    class Population(models.TextChoices):
        ABOVE_SCALE = "above_scale", "规模以上工业企业"
        BELOW_SCALE = "below_scale", "规模以下工业企业"

    code = models.SlugField("方案代码", max_length=60)
    version = models.PositiveIntegerField("版本", default=1)
    name = models.CharField("方案名称", max_length=200)
    year = models.PositiveIntegerField("评价数据年度")
    population = models.CharField("参评范围", max_length=16, choices=Population)
    min_land_mu = models.DecimalField(
        "用地面积下限（亩）", max_digits=12, decimal_places=2, null=True, blank=True,
        help_text="规下企业：用地面积不低于此值的参评",
    )  # fmt: skip
    legal_basis = models.TextField(
        "数据使用依据", blank=True, help_text="使用统计调查数据时必填：授权开展评价及数据共享的文件"
    )
    source_note = models.TextField("权重与基准来源", blank=True)
    indicators = models.JSONField("指标", default=list)
    classes = models.JSONField("分类规则", default=dict)
    restrictions = models.JSONField("限制与豁免", default=list)
    adjustments = models.JSONField("加减分", default=list)
    is_current = models.BooleanField("现行版本", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["-year", "code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="scheme_version_once")
        ]
        verbose_name = "评价方案"
        verbose_name_plural = "评价方案"

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"


class Run(models.Model):
    """One scoring of a scheme over the data as it was. Draft → 公示 (notice, with an
    objection window) → final. A final run is never changed; corrections after the
    notice give a new final run that supersedes the notice run."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        NOTICE = "notice", "公示中"
        FINAL = "final", "已公布"

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="runs")
    status = models.CharField("状态", max_length=8, choices=Status, default=Status.DRAFT)
    inputs_digest = models.CharField("数据摘要", max_length=64)
    evaluated = models.PositiveIntegerField("参评企业数", default=0)
    notice_until = models.DateField("公示截止", null=True, blank=True)
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("计算时间", auto_now_add=True)
    published_at = models.DateTimeField("公示时间", null=True, blank=True)
    finalized_at = models.DateTimeField("公布时间", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "评价结果批次"
        verbose_name_plural = "评价结果批次"

    def __str__(self) -> str:
        return f"{self.scheme.name} {self.get_status_display()} #{self.pk}"


class Result(models.Model):
    """An enterprise's outcome in one run: total score, class, rank, the reason for the
    class, and per indicator its value, benchmark and score (structured; worded only for
    display). Region and industry are kept as they were at the run."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="results")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField("综合得分", max_digits=10, decimal_places=4, null=True)
    klass = models.CharField("类别", max_length=1)
    rank = models.PositiveIntegerField("排名", null=True)
    reason = models.JSONField("分类依据", default=dict)
    indicators = models.JSONField("指标得分", default=list)
    region_id = models.IntegerField(null=True)
    industry_code = models.CharField(max_length=4, blank=True)

    class Meta:
        ordering = ["run", "rank", "enterprise_id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "enterprise"], name="result_once_per_run")
        ]
        verbose_name = "企业评价结果"
        verbose_name_plural = "企业评价结果"

    def __str__(self) -> str:
        return f"{self.enterprise} {self.klass}"


class Objection(models.Model):
    """An enterprise's objection during the notice window, with evidence; resolved by the
    bureau (accepted with a data correction, or rejected with a reason)."""

    class Status(models.TextChoices):
        OPEN = "open", "待处理"
        ACCEPTED = "accepted", "已采纳"
        REJECTED = "rejected", "未采纳"

    result = models.ForeignKey(Result, on_delete=models.PROTECT, related_name="objections")
    text = models.TextField("异议内容")
    evidence = models.TextField("证明材料说明")
    status = models.CharField("状态", max_length=8, choices=Status, default=Status.OPEN)
    resolution = models.TextField("处理意见", blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField("提出时间", auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = "评价异议"
        verbose_name_plural = "评价异议"

    def __str__(self) -> str:
        return f"{self.result.enterprise}的异议（{self.get_status_display()}）"


class EnterpriseClass(models.Model):
    """The published class of an enterprise for a data year (from its latest final run):
    what policy clauses read as `evaluation_class`."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField("评价数据年度")
    klass = models.CharField("类别", max_length=1)
    run = models.ForeignKey(Run, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="one_class_per_year")
        ]
        verbose_name = "企业评价类别"
        verbose_name_plural = "企业评价类别"

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}年 {self.klass}"
