"""The cards of each role's home page ("我的待办"). Later apps register their cards here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from gongxin.accounts.choices import Role


@dataclass(frozen=True)
class Card:
    title: str
    body: str
    url_name: str | None = None
    count: int | None = None
    url: str | None = None  # a resolved link, when the card points at one object

    @property
    def href(self) -> str | None:
        from django.urls import reverse

        return self.url or (reverse(self.url_name) if self.url_name else None)


_PROVIDERS: list[tuple[frozenset[str], Callable[[object], list[Card]]]] = []


def register(roles, provider: Callable[[object], list[Card]]) -> None:
    _PROVIDERS.append((frozenset(roles), provider))


def cards_for(user) -> list[Card]:
    cards: list[Card] = []
    for roles, provider in _PROVIDERS:
        if user.role in roles:
            cards.extend(provider(user))
    return cards


_PLACEHOLDERS: dict[str, list[Card]] = {
    Role.LEADER: [
        Card("工业运行概览", "规上工业产值、增速、贡献率和拉动（按权限脱敏）。"),
    ],
    Role.ANALYST: [
        Card("统计月报导入", "导入本月企业统计数据，校验后发布。"),
        Card("指标计算", "增速、占比、贡献率、拉动、增长面。"),
    ],
    Role.ENTERPRISE: [
        Card("我的诉求", "本企业提交的诉求及办理进度。"),
    ],
    Role.SYSADMIN: [
        Card("用户与角色", "新建账号、分配角色、重置密码、解除锁定。", "accounts:user_list"),
        Card("单位与别名", "维护单位树和文件中出现的单位简称。", "accounts:unit_list"),
    ],
    Role.SECADMIN: [
        Card("登录锁定", "连续登录失败被锁定的账号。", "accounts:lockout_list"),
        Card(
            "安全策略",
            "会话超时、锁定阈值、密码策略和双因素认证的当前设置。",
            "accounts:security_settings",
        ),
    ],
    Role.AUDITADMIN: [
        Card("审计日志", "所有登录、变更和导出记录，可筛选和导出。", "core:audit_list"),
        Card("审计链校验", "校验审计记录的哈希链是否完整。", "core:audit_verify"),
    ],
}


def _placeholders(user) -> list[Card]:
    return _PLACEHOLDERS.get(user.role, [])


register(set(Role), _placeholders)
