"""Supervision (督查督办): plans of items, responsible units, period targets, progress
reports, reviews, leaders' instructions, reminders and closure requests."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

from gongxin.accounts.models import Leader, Unit
from gongxin.core.models import StoredFile
from gongxin.supervision.choices import AssignmentMode, Cadence, Stage, Status, UnitRole
from gongxin.supervision.querysets import (
    ItemQuerySet,
    ItemUnitQuerySet,
    PlanQuerySet,
    ProgressReportQuerySet,
)

period_validator = RegexValidator(r"^\d{4}-(0[1-9]|1[0-2])$", "统计期应为YYYY-MM格式。")


def PeriodField(verbose_name: str = "统计期", **kwargs):  # noqa: N802  (a field factory)
    return models.CharField(verbose_name, max_length=7, validators=[period_validator], **kwargs)


class Plan(models.Model):
    """A set of supervised items, e.g. "2021年区政府工作报告确定事项"."""

    title = models.CharField("名称", max_length=200, unique=True)
    year = models.PositiveSmallIntegerField("年度")
    cadence = models.CharField("报送周期", max_length=16, choices=Cadence, default=Cadence.MONTHLY)
    report_day = models.PositiveSmallIntegerField("每期报送截止日", default=25)
    light_rules = models.CharField("亮灯规则", max_length=32, default="time_progress")
    current_period = PeriodField("当前统计期", blank=True)
    is_active = models.BooleanField("进行中", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = "督办计划"
        verbose_name_plural = "督办计划"

    def __str__(self) -> str:
        return self.title


class Item(models.Model):
    """One supervised task (事项) of a plan, with its leaders and responsible units."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    seq = models.PositiveIntegerField("序号")
    content = models.TextField("事项内容")
    key = models.BooleanField("重点事项（★）", default=False)
    leaders = models.ManyToManyField(
        Leader, verbose_name="分管领导", related_name="items", blank=True, through="ItemLeader"
    )
    mode = models.CharField(
        "办理方式", max_length=16, choices=AssignmentMode, default=AssignmentMode.SOLE
    )
    units_text = models.CharField("责任单位（原文）", max_length=500, blank=True)
    deadline = models.DateField("办结时限", null=True, blank=True)
    stage = models.CharField("办理阶段", max_length=20, choices=Stage, default=Stage.ASSIGNED)
    official_status = models.CharField("审核状态", max_length=16, choices=Status, blank=True)
    suggested_status = models.CharField("系统建议状态", max_length=16, choices=Status, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "seq"], name="item_seq_unique_in_plan")
        ]
        verbose_name = "督办事项"
        verbose_name_plural = "督办事项"

    def __str__(self) -> str:
        return f"{self.seq}. {self.content[:30]}"

    @property
    def ordered_leaders(self) -> list[Leader]:
        return [
            link.leader for link in sorted(self.leader_links.all(), key=lambda link: link.order)
        ]

    @property
    def status_disagrees(self) -> bool:
        return bool(
            self.official_status
            and self.suggested_status
            and self.official_status != self.suggested_status
        )


class ItemLeader(models.Model):
    """A leader of an item, in the order the table lists them."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="leader_links")
    leader = models.ForeignKey(Leader, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["item", "order"]
        constraints = [
            models.UniqueConstraint(fields=["item", "leader"], name="item_leader_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}:{self.leader_id}"


class ItemUnit(models.Model):
    """A unit responsible for an item, in a role; `unit` is empty while the name as
    written (e.g. "各行业主管部门") still needs a person to resolve it."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments"
    )
    name_as_written = models.CharField("原文名称", max_length=100)
    role = models.CharField("角色", max_length=16, choices=UnitRole)
    order = models.PositiveSmallIntegerField(default=0)
    needs_resolution = models.BooleanField("待明确", default=False)
    acknowledged_at = models.DateTimeField("签收时间", null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ItemUnitQuerySet.as_manager()

    class Meta:
        ordering = ["item", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "name_as_written"], name="item_unit_name_unique"
            ),
        ]
        verbose_name = "责任单位"
        verbose_name_plural = "责任单位"

    def __str__(self) -> str:
        return f"{self.display_name}（{self.get_role_display()}）"

    @property
    def display_name(self) -> str:
        return self.unit.name if self.unit_id else self.name_as_written


class PeriodTarget(models.Model):
    """The target of one period ("3月份目标") for an item, per unit or for the item as a whole."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="period_targets")
    assignment = models.ForeignKey(
        ItemUnit, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    period = PeriodField()
    text = models.TextField("阶段目标")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["item", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "assignment", "period"],
                name="unit_target_unique",
                condition=models.Q(assignment__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["item", "period"],
                name="item_target_unique",
                condition=models.Q(assignment__isnull=True),
            ),
        ]
        verbose_name = "阶段目标"
        verbose_name_plural = "阶段目标"

    def __str__(self) -> str:
        return f"{self.item_id} {self.period}"


class ProgressReport(models.Model):
    """A unit's one progress entry for an item and period ("report once")."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="reports")
    assignment = models.ForeignKey(ItemUnit, on_delete=models.CASCADE, related_name="reports")
    period = PeriodField()
    text = models.TextField("推进情况")
    claimed_status = models.CharField("自评状态", max_length=16, choices=Status, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    on_time = models.BooleanField("按时报送", default=True)
    version = models.PositiveIntegerField(default=1)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        ordering = ["item", "assignment__order", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "period"], name="one_report_per_unit_and_period"
            ),
        ]
        verbose_name = "推进情况"
        verbose_name_plural = "推进情况"

    def __str__(self) -> str:
        return f"{self.item_id} {self.period} {self.assignment_id}"


class Evidence(models.Model):
    """A file attached to a progress report as evidence (佐证材料)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT)
    name = models.CharField("文件名", max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"

    def __str__(self) -> str:
        return self.name


class Review(models.Model):
    """The supervisor's official status of an item for a period."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="reviews")
    period = PeriodField()
    status = models.CharField("审核状态", max_length=16, choices=Status)
    suggested_status = models.CharField("当时系统建议", max_length=16, choices=Status, blank=True)
    comment = models.TextField("审核意见", blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    reviewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_at"]
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"

    def __str__(self) -> str:
        return f"{self.item_id} {self.period} {self.status}"


class Instruction(models.Model):
    """A leader's instruction (批示) on an item, shown in the responsible units' to-do."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="instructions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    text = models.TextField("批示内容")
    created_at = models.DateTimeField(auto_now_add=True)
    read_by_units = models.ManyToManyField(Unit, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "领导批示"
        verbose_name_plural = "领导批示"

    def __str__(self) -> str:
        return self.text[:30]


class Reminder(models.Model):
    """A 催办 notice to a unit that has not reported for a period."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reminders")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    period = PeriodField()
    items = models.ManyToManyField(Item, related_name="reminders")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = "催办通知"
        verbose_name_plural = "催办通知"

    def __str__(self) -> str:
        return f"{self.unit} {self.period}"


class ClosureRequest(models.Model):
    """A unit asks to close (销号) an item; the supervisor approves or refuses."""

    class Decision(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "同意销号"
        REFUSED = "refused", "不同意"

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="closure_requests")
    assignment = models.ForeignKey(ItemUnit, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField("申请理由")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(
        "审批结果", max_length=16, choices=Decision, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField("审批意见", blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = "销号申请"
        verbose_name_plural = "销号申请"

    def __str__(self) -> str:
        return f"{self.item_id} {self.get_decision_display()}"


class ItemTarget(models.Model):
    """A quantitative target of an item (指标, 比较, 数值, 单位), extracted from its content or
    period target and editable by people; with an actual value it is judged against 序时."""

    class Comparator(models.TextChoices):
        GE = "ge", "不低于"
        GT = "gt", "超过"
        LE = "le", "不超过"
        LT = "lt", "低于"
        APPROX = "approx", "左右"
        EQ = "eq", "达到"
        RANGE = "range", "区间"

    class BindKind(models.TextChoices):
        OFFICIAL = "official", "官方发布"
        ENGINE = "engine", "平台计算"

    class Curve(models.TextChoices):
        LINEAR = "linear", "按月均衡（M/12）"
        QUARTERLY = "quarterly", "按季度节点（25/50/75/100%）"
        QUARTERLY_Q1_22 = "quarterly_q1_22", "一季度22%"

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="targets")
    text = models.CharField("原文", max_length=300)
    indicator = models.CharField("指标", max_length=100)
    comparator = models.CharField("比较", max_length=8, choices=Comparator)
    value = models.DecimalField("目标值", max_digits=18, decimal_places=4)
    value_max = models.DecimalField(
        "目标上限", max_digits=18, decimal_places=4, null=True, blank=True
    )
    unit = models.CharField("单位", max_length=20, blank=True)
    hedge = models.CharField("措辞", max_length=8, blank=True)
    source = models.CharField("来源", max_length=16, default="content")
    curve = models.CharField("序时曲线", max_length=20, choices=Curve, default=Curve.LINEAR)
    actual = models.DecimalField("完成值", max_digits=18, decimal_places=4, null=True, blank=True)
    actual_period = PeriodField("完成值统计期", blank=True)
    status = models.CharField("达成情况", max_length=16, blank=True)
    explanation = models.CharField("说明", max_length=200, blank=True)
    # Binding to a data source, so the actual value and status update themselves
    # (services/bindings.py): an official figure (indicator code + scope) or the engine's
    # YoY growth of a measure over the region total.
    bind_kind = models.CharField("数据来源", max_length=8, choices=BindKind, blank=True)
    bind_indicator = models.CharField("来源指标", max_length=16, blank=True)
    bind_scope_kind = models.CharField("来源范围类型", max_length=16, blank=True)
    bind_scope_code = models.CharField("来源范围代码", max_length=60, blank=True)
    # Set when a person bound or unbound the target: the rules then leave it alone.
    bind_manual = models.BooleanField("人工指定来源", default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["item", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "indicator", "comparator", "value", "unit"],
                name="quantitative_target_unique",
            ),
        ]
        verbose_name = "量化目标"
        verbose_name_plural = "量化目标"

    def __str__(self) -> str:
        return f"{self.indicator} {self.get_comparator_display()} {self.value}{self.unit}"
