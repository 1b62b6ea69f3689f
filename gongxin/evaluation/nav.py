"""The evaluation app's navigation entries and home cards (registered once from
EvaluationConfig.ready())."""

from __future__ import annotations

from gongxin.accounts.choices import Role
from gongxin.core import home, nav
from gongxin.evaluation.querysets import READ_ROLES

SECTION = "亩产效益评价"
CULTIVATION = "梯度培育"
_done = False


def register() -> None:
    global _done
    if _done:
        return
    _done = True
    from gongxin.evaluation import home as cards

    nav.register(SECTION, "chart", "评价方案与结果", "evaluation:scheme_list", READ_ROLES)
    nav.register(SECTION, "chart", "我的评价结果", "evaluation:card", {Role.ENTERPRISE})
    nav.register(CULTIVATION, "chart", "候选名单", "evaluation:cultivation_index", READ_ROLES)
    nav.register(CULTIVATION, "chart", "称号到期复核", "evaluation:cultivation_review", READ_ROLES)
    nav.register(
        CULTIVATION, "chart", "梯度培育自评", "evaluation:cultivation_mine", {Role.ENTERPRISE}
    )
    home.register(READ_ROLES, cards.bureau_cards)
    home.register({Role.ANALYST}, cards.cultivation_cards)
    home.register({Role.ENTERPRISE}, cards.enterprise_cards)
