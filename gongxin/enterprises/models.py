"""The enterprise registry: identity (USCC, industry, region), the yearly above-scale
register, honors, programs, clusters/chains and liaison officers. Every write goes
through services.py, which audits it."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from gongxin.accounts.choices import UnitKind
from gongxin.core import uscc
from gongxin.enterprises import industries
from gongxin.enterprises.choices import ClusterKind, HonorKind, HonorLevel, LiaisonLevel
from gongxin.enterprises.querysets import (
    EnterpriseQuerySet,
    EnterpriseRelatedQuerySet,
    GroupingQuerySet,
)

REGION_KINDS = (UnitKind.TOWN, UnitKind.ZONE)


def validate_uscc(value: str) -> None:
    try:
        uscc.validate(value)
    except uscc.InvalidUSCC as error:
        raise ValidationError(str(error)) from error


def validate_industry_code(value: str) -> None:
    """A 4-digit 小类 of GB/T 4754-2017, stored without its letter."""
    try:
        industry = industries.lookup_class(value)
    except industries.UnknownIndustry as error:
        raise ValidationError(error.message) from error
    if industry.code != value:
        raise ValidationError(f"行业代码应存为4位数字“{industry.code}”。")


class Enterprise(models.Model):
    """An enterprise known to the bureau, identified by its 统一社会信用代码."""

    uscc = models.CharField(
        "统一社会信用代码", max_length=18, unique=True, validators=[validate_uscc]
    )
    name = models.CharField("企业名称", max_length=200)
    industry_code = models.CharField(
        "行业代码",
        max_length=4,
        blank=True,
        validators=[validate_industry_code],
        help_text="GB/T 4754-2017 小类，4位数字",
    )
    region = models.ForeignKey(
        "accounts.Unit",
        verbose_name="所属镇街/功能区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
        limit_choices_to={"kind__in": REGION_KINDS},
    )
    land_mu = models.DecimalField(
        "用地面积(亩)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    employees = models.PositiveIntegerField("从业人员", null=True, blank=True)
    is_active = models.BooleanField("在册", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "企业"
        verbose_name_plural = "企业"

    def __str__(self) -> str:
        return self.name

    @property
    def industry(self) -> industries.Industry | None:
        if not self.industry_code:
            return None
        try:
            return industries.lookup(self.industry_code)
        except industries.UnknownIndustry:
            return None

    @property
    def industry_path(self) -> list[industries.Industry]:
        return industries.path(self.industry_code) if self.industry is not None else []

    @property
    def section(self) -> str:
        return industries.section_of(self.industry_code) if self.industry is not None else ""


class ScaleRecord(models.Model):
    """The above-scale register (规上企业名录) of one year: whether the enterprise is on
    it, and when it entered (入规) or left (退规)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="scale_records"
    )
    year = models.PositiveSmallIntegerField("年度")
    above_scale = models.BooleanField("规上")
    entered_on = models.DateField("入规日期", null=True, blank=True)
    exited_on = models.DateField("退规日期", null=True, blank=True)

    objects = EnterpriseRelatedQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = "规上名录"
        verbose_name_plural = "规上名录"
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="scale_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}年 {'规上' if self.above_scale else '规下'}"


class Honor(models.Model):
    """A title the enterprise holds (专精特新, 高新技术企业, 绿色工厂…), by level and year."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="honors"
    )
    kind = models.CharField("称号", max_length=24, choices=HonorKind)
    level = models.CharField("级别", max_length=16, choices=HonorLevel)
    year = models.PositiveSmallIntegerField("认定年度")
    document = models.CharField("批次/文号", max_length=100, blank=True)

    objects = EnterpriseRelatedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "kind", "level"]
        verbose_name = "荣誉资质"
        verbose_name_plural = "荣誉资质"
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "kind", "level", "year"], name="honor_once_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.get_level_display()}{self.get_kind_display()}"


class Program(models.Model):
    """A cultivation program of a year (倍增企业, 重点培育企业…) and its enterprises."""

    name = models.CharField("名称", max_length=100)
    year = models.PositiveSmallIntegerField("年度")
    members = models.ManyToManyField(
        Enterprise, through="ProgramMembership", related_name="programs", verbose_name="企业"
    )

    objects = GroupingQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = "培育计划"
        verbose_name_plural = "培育计划"
        constraints = [
            models.UniqueConstraint(fields=["name", "year"], name="program_once_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.name}"


class ProgramMembership(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="memberships")
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="program_memberships"
    )

    objects = EnterpriseRelatedQuerySet.as_manager()

    class Meta:
        verbose_name = "培育计划成员"
        verbose_name_plural = "培育计划成员"
        constraints = [
            models.UniqueConstraint(fields=["program", "enterprise"], name="program_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.program} · {self.enterprise}"


class Cluster(models.Model):
    """An industrial cluster or chain (the "5+3" clusters, 产业链) and its enterprises."""

    name = models.CharField("名称", max_length=100, unique=True)
    kind = models.CharField("类型", max_length=16, choices=ClusterKind, default=ClusterKind.CLUSTER)
    # The bureau reports clusters in families ("五大传统优势产业", "三大战略新兴产业");
    # a family's figures are the union of its clusters' members, each counted once.
    family = models.CharField("所属产业板块", max_length=50, blank=True)
    members = models.ManyToManyField(
        Enterprise, through="ClusterMembership", related_name="clusters", verbose_name="企业"
    )

    objects = GroupingQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = "产业集群/产业链"
        verbose_name_plural = "产业集群/产业链"

    def __str__(self) -> str:
        return self.name


class ClusterMembership(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="memberships")
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="cluster_memberships"
    )
    is_chain_leader = models.BooleanField("链主企业", default=False)

    objects = EnterpriseRelatedQuerySet.as_manager()

    class Meta:
        verbose_name = "集群/产业链成员"
        verbose_name_plural = "集群/产业链成员"
        constraints = [
            models.UniqueConstraint(fields=["cluster", "enterprise"], name="cluster_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.cluster} · {self.enterprise}{'（链主）' if self.is_chain_leader else ''}"


class Liaison(models.Model):
    """The service officer (帮包/包联) assigned to an enterprise for a year, by level."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="liaisons"
    )
    officer_name = models.CharField("联络人", max_length=50)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="联络人账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="liaisons",
    )
    level = models.CharField("级别", max_length=16, choices=LiaisonLevel)
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("职务/单位", max_length=100, blank=True)
    # Personal data: pages show it to bureau roles only (services.may_see_liaison_phone).
    phone = models.CharField("联系电话", max_length=30, blank=True)

    objects = EnterpriseRelatedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "level"]
        verbose_name = "包联干部"
        verbose_name_plural = "包联干部"
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "level", "year"], name="liaison_one_per_level_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.get_level_display()}包联：{self.officer_name}"


class EnterpriseFigure(models.Model):
    """A figure kept with its provenance outside the monthly survey tables: declared by the
    enterprise for a purpose (企业申报, e.g. its Q1 output for the 开门红 reward), taken
    from an administrative record (行政记录: tax, power, market supervision), or an annual
    statistics-survey value collected for the 亩产效益 evaluation under its documented
    legal basis (统计调查: value added, R&D; read only by schemes that cite that basis).
    `feature` is a feature-catalog code; `period` is "YYYY", "YYYY-Qn" or "YYYY-MM"."""

    class Provenance(models.TextChoices):
        DECLARED = "declared", "企业申报"
        ADMIN = "admin", "行政记录"
        SURVEY = "survey", "统计调查"

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="figures"
    )
    feature = models.CharField("指标", max_length=60)
    period = models.CharField("期别", max_length=7)
    value = models.DecimalField("数值", max_digits=18, decimal_places=4)
    provenance = models.CharField("来源", max_length=16, choices=Provenance)
    source = models.CharField("出处", max_length=100, blank=True)
    recorded_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = EnterpriseRelatedQuerySet.as_manager()

    class Meta:
        ordering = ["enterprise", "feature", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "feature", "period", "provenance"],
                name="one_figure_per_period",
            ),
        ]
        indexes = [models.Index(fields=["feature", "period"])]
        verbose_name = "企业申报与行政记录数据"
        verbose_name_plural = "企业申报与行政记录数据"

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.feature} {self.period}"
