"""Users, organisational units with their aliases, and leaders (分管领导)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models

from gongxin.accounts.choices import ADMIN_ROLES, Role, UnitKind
from gongxin.accounts.querysets import LeaderQuerySet, UnitQuerySet, UserQuerySet


class Unit(models.Model):
    """An organisational unit (责任单位): a bureau department, another department, a
    town/street or a function zone; units form a tree through `parent`."""

    name = models.CharField("规范名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=50, blank=True)
    kind = models.CharField("类型", max_length=16, choices=UnitKind, default=UnitKind.DEPARTMENT)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    sort_order = models.PositiveIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)
    version = models.PositiveIntegerField(default=1)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = "单位"
        verbose_name_plural = "单位"

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list[Unit]:
        chain, node, seen = [], self.parent, set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            chain.append(node)
            node = node.parent
        return chain


class UnitAlias(models.Model):
    """Another name under which a unit appears in documents ("区工信局" = "工信局")."""

    alias = models.CharField("别名", max_length=100, unique=True)
    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="aliases"
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["alias"]
        verbose_name = "单位别名"
        verbose_name_plural = "单位别名"

    def __str__(self) -> str:
        return f"{self.alias} → {self.unit}"


class Leader(models.Model):
    """A 分管领导 named in plans and tables; may be linked to a user with the leader role."""

    name = models.CharField("姓名", max_length=50, unique=True)
    title = models.CharField("职务", max_length=100, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=100)
    is_active = models.BooleanField("在任", default=True)

    objects = LeaderQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = "分管领导"
        verbose_name_plural = "分管领导"

    def __str__(self) -> str:
        return self.name


class GongxinUserManager(UserManager.from_queryset(UserQuerySet)):
    def create_superuser(self, *args, **kwargs):
        raise PermissionError("本平台不设超级用户：请用 `gongxin create_admin` 创建三员管理员。")


class User(AbstractUser):
    """A person who signs in. Exactly one role; never a Django superuser or staff member."""

    name = models.CharField("姓名", max_length=50, blank=True)
    role = models.CharField("角色", max_length=16, choices=Role)
    unit = models.ForeignKey(
        Unit,
        verbose_name="所在单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    leader = models.ForeignKey(
        Leader,
        verbose_name="对应领导",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    phone = models.CharField("电话", max_length=30, blank=True)
    must_change_password = models.BooleanField("下次登录须修改密码", default=False)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = GongxinUserManager()

    class Meta:
        ordering = ["username"]
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_superuser=False, is_staff=False), name="no_superuser"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name or self.username}（{self.username}）"

    @property
    def display_name(self) -> str:
        return self.name or self.username

    @property
    def is_admin_role(self) -> bool:
        return self.role in ADMIN_ROLES


class PasswordHistory(models.Model):
    """Hashes of a user's earlier passwords, so a recent one cannot be reused."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d}"
