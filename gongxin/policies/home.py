"""The 兑现 ledger on the home page and in the navigation: bureau readers see the totals
by policy and year (the seed-000 "兑现资金2.75亿元、惠及企业40余家" figure), the analyst
also the batches waiting for review, an enterprise its own grants. Imported once from
PoliciesConfig.ready()."""

from __future__ import annotations

from gongxin.accounts.choices import Role
from gongxin.core import home, nav
from gongxin.core.home import Card

SHOWN_ROWS = 6


def totals_card(user) -> list[Card]:
    from gongxin.policies import ledger
    from gongxin.policies import ledger_querysets as scopes

    totals = ledger.totals(grants=scopes.grants(user))
    if not totals.rows:
        body = "尚无兑现记录。免申即享批次审定、申请兑现登记后，在此按政策和年度汇总。"
    else:
        lines = [
            f"{r.title}（{r.year}年）：核定{r.approved.normalize():f}万元、"
            f"已拨付{r.paid.normalize():f}万元、{r.enterprises}家"
            for r in totals.rows[:SHOWN_ROWS]
        ]
        more = "" if len(totals.rows) <= SHOWN_ROWS else f"；另有{len(totals.rows) - SHOWN_ROWS}项"
        body = f"累计{totals.overall.sentence}。" + "；".join(lines) + more + "。"
    return [Card("惠企政策兑现", body, "policies:ledger", totals.overall.enterprises)]


def analyst_cards(user) -> list[Card]:
    from gongxin.policies import ledger_querysets as scopes

    drafts = scopes.batches(user, "manage").drafts().count()
    return [
        Card(
            "待审定兑现批次",
            "免申即享条款生成的批次，逐户核对金额后审定。",
            "policies:batch_list",
            drafts,
        )
    ]


def enterprise_cards(user) -> list[Card]:
    from gongxin.policies import ledger_querysets as scopes

    count = scopes.grants(user).count()
    return [Card("我的兑现", "本企业获核定的政策奖补及拨付进度。", "policies:ledger_mine", count)]


BUREAU_READERS = {Role.ANALYST, Role.SUPERVISOR, Role.LEADER}
home.register(BUREAU_READERS, totals_card)
home.register({Role.ANALYST}, analyst_cards)
home.register({Role.ENTERPRISE}, enterprise_cards)

nav.register("惠企政策", "gift", "兑现台账", "policies:ledger", BUREAU_READERS)
nav.register("惠企政策", "gift", "免申即享批次", "policies:batch_list", BUREAU_READERS)
nav.register("惠企政策", "gift", "我的兑现", "policies:ledger_mine", {Role.ENTERPRISE})
