"""Home cards: bureau readers see the latest published evaluation (year and class
counts), an enterprise its own class; the analyst the 梯度培育 candidates qualified and near
per tier today."""

from __future__ import annotations

import hashlib

from django.urls import reverse
from django.utils import timezone

from gongxin.core.home import Card
from gongxin.enterprises.models import Enterprise
from gongxin.evaluation import display
from gongxin.evaluation import querysets as scopes
from gongxin.evaluation.tiers import rules, services
from gongxin.evaluation.tiers.results import NEAR, PENDING, QUALIFIED


def bureau_cards(user) -> list[Card]:
    run = scopes.latest_final_run(user)
    if run is None:
        return [
            Card(
                "亩产效益评价",
                "尚无已公布的评价结果。方案计算、公示、异议处理后公布，在此显示各类企业数。",
                "evaluation:scheme_list",
            )
        ]
    counts = display.class_counts(run.results)
    body = f"{run.scheme.year}年度{run.scheme.get_population_display()}：" + "、".join(
        f"{c['klass']}类{c['count']}家" for c in counts
    )
    return [
        Card(
            "亩产效益评价（已公布）",
            body + "。",
            count=run.evaluated,
            url=reverse("evaluation:run_detail", args=[run.pk]),
        )
    ]


def enterprise_cards(user) -> list[Card]:
    results = scopes.own_results(user)
    if not results:
        return []
    latest = results[0]
    state = "公示中" if latest.run.status == latest.run.Status.NOTICE else "已公布"
    body = (
        f"{latest.run.scheme.year}年度（{state}）：{display.class_label(latest.klass)}，"
        f"{display.rank_text(latest)}。查看各项指标得分和提升建议。"
    )
    return [Card("我的亩产效益评价", body, "evaluation:card")]


def cultivation_cards(user) -> list[Card]:
    """Per tier, how many firms qualify (with or without manual review) and how many are
    near, under the rule set in force today. Assessing every firm for three tiers takes
    about a second on the demo district, so the counts are kept until the data change."""
    from django.core.cache import cache
    from django.db.models import Count, Max

    from gongxin.enterprises.models import EnterpriseFigure, Honor

    today = timezone.localdate()
    figures = EnterpriseFigure.objects.aggregate(n=Count("pk"), at=Max("recorded_at"))
    honors = Honor.objects.aggregate(n=Count("pk"), last=Max("pk"))
    firms = Enterprise.objects.aggregate(n=Count("pk"), at=Max("updated_at"))
    state = f"{user.pk}|{user.role}|{today}|{figures}|{honors}|{firms}"
    key = "cultivation-card:" + hashlib.sha256(state.encode()).hexdigest()
    cards = cache.get(key)
    if cards is None:
        cards = _cultivation_cards(user, today)
        cache.set(key, cards, 3600)
    return cards


def _cultivation_cards(user, today) -> list[Card]:
    scope = Enterprise.objects.restrict(user)
    parts = []
    for tier, label in rules.TIERS.items():
        try:
            found = services.candidates(tier, today, scope)
        except rules.TierRuleError:  # no rule set in force
            continue
        ready = sum(c.result.status in (QUALIFIED, PENDING) for c in found)
        near = sum(c.result.status == NEAR for c in found)
        parts.append(f"{label}符合{ready}家、接近{near}家")
    if not parts:
        return []
    body = "；".join(parts) + "（不含已持有称号的企业）。"
    return [Card("梯度培育候选", body, "evaluation:cultivation_index")]
