"""Monthly industrial statistics per enterprise (统计月报), their revisions and releases."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongxin.enterprises.models import Enterprise
from gongxin.monitoring.querysets import MonthlyStatQuerySet

MEASURES = ("output", "revenue", "profit", "tax", "energy_tce", "value_added", "employees")
VALUE_FIELDS = tuple(f"{m}{suffix}" for m in MEASURES for suffix in ("", "_prior"))


def _value(label: str):
    return models.DecimalField(label, max_digits=18, decimal_places=4, null=True, blank=True)


class MonthlyStat(models.Model):
    """One enterprise's YTD figures for a period and the prior-year same-period YTD figures
    it reported on this year's form (同口径). Money in 万元, energy in tce, people in 人."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="monthly_stats"
    )
    period = models.CharField("统计期", max_length=7, db_index=True)
    output = _value("工业总产值")
    output_prior = _value("工业总产值（上年同期）")
    revenue = _value("营业收入")
    revenue_prior = _value("营业收入（上年同期）")
    profit = _value("利润总额")
    profit_prior = _value("利润总额（上年同期）")
    tax = _value("应交增值税")
    tax_prior = _value("应交增值税（上年同期）")
    energy_tce = _value("综合能源消费量")
    energy_tce_prior = _value("综合能源消费量（上年同期）")
    value_added = _value("工业增加值")
    value_added_prior = _value("工业增加值（上年同期）")
    employees = _value("从业人员平均人数")
    employees_prior = _value("从业人员平均人数（上年同期）")
    provenance = models.CharField("来源", max_length=16, default="survey")
    revised = models.BooleanField("已修订", default=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = MonthlyStatQuerySet.as_manager()

    class Meta:
        ordering = ["period", "enterprise"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "period"], name="one_stat_per_enterprise_month"
            ),
        ]
        verbose_name = "统计月报"
        verbose_name_plural = "统计月报"

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.period}"


class StatRevision(models.Model):
    """The previous values of a month that a later import revised (kept with history)."""

    stat = models.ForeignKey(MonthlyStat, on_delete=models.CASCADE, related_name="revisions")
    before = models.JSONField()
    after = models.JSONField()
    revised_at = models.DateTimeField(auto_now_add=True)
    revised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT)
    reason = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.stat_id} @ {self.revised_at:%Y-%m-%d}"


class PeriodRelease(models.Model):
    """A period's figures become visible beyond the statistics role once released."""

    period = models.CharField("统计期", max_length=7, unique=True)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    released_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period"]
        verbose_name = "数据发布"
        verbose_name_plural = "数据发布"

    def __str__(self) -> str:
        return self.period


class OfficialFigure(models.Model):
    """A growth rate published by the statistics bureau (官方发布) for the region or one of
    its industries, year to date, at comparable prices (可比价). Imported, never computed:
    the engine's figures are nominal (现价) and are shown beside these, never mixed."""

    class ScopeKind(models.TextChoices):
        TOTAL = "total", "全区"
        SECTION = "section", "行业门类"
        DIVISION = "division", "行业大类"
        GROUP = "group", "产业（行业组合）"

    class Indicator(models.TextChoices):
        VALUE_ADDED = "value_added", "规上工业增加值"
        OUTPUT = "output", "规上工业总产值"
        REVENUE = "revenue", "规上工业营业收入"
        PROFIT = "profit", "规上工业利润总额"
        INVESTMENT = "investment", "工业投资"
        RENOVATION = "renovation", "工业技改投资"

    period = models.CharField("统计期", max_length=7, db_index=True)
    scope_kind = models.CharField("范围类型", max_length=16, choices=ScopeKind)
    # "" for the region total; a 门类 letter, a 大类 number, or the group's own name.
    scope_code = models.CharField("范围代码", max_length=60, blank=True)
    scope_name = models.CharField("范围", max_length=100)
    indicator = models.CharField("指标", max_length=16, choices=Indicator)
    growth = models.DecimalField("增速（%，可比价）", max_digits=8, decimal_places=2)
    value = _value("总量（万元）")
    source = models.CharField("发布单位", max_length=60, blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    provenance = models.CharField("来源", max_length=16, default="survey")
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-period", "scope_kind", "scope_code", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "scope_kind", "scope_code", "indicator"],
                name="one_official_figure_per_period_scope_indicator",
            ),
        ]
        verbose_name = "官方发布数据"
        verbose_name_plural = "官方发布数据"

    def __str__(self) -> str:
        return f"{self.period} {self.scope_name} {self.get_indicator_display()} {self.growth}%"
