"""The policies app's navigation entries and home cards (registered in ready())."""

from __future__ import annotations

from gongxin.accounts.choices import Role
from gongxin.core import home, nav
from gongxin.policies.querysets import BUREAU_ROLES

SECTION = "惠企政策"


def register() -> None:
    from gongxin.policies.delivery import enterprise_cards

    nav.register(SECTION, "gift", "政策库", "policies:library", BUREAU_ROLES)
    nav.register(SECTION, "gift", "政策推荐", "policies:inbox", {Role.ENTERPRISE})
    nav.register(SECTION, "gift", "在线申报", "policies:declare_index", {Role.ENTERPRISE})
    nav.register(SECTION, "gift", "政策条款编辑", "policies:editor_index", {Role.ANALYST})
    home.register({Role.ENTERPRISE}, enterprise_cards)
