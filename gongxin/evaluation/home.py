"""Home cards: bureau readers see the latest published evaluation (year and class
counts), an enterprise its own class."""

from __future__ import annotations

from django.urls import reverse

from gongxin.core.home import Card
from gongxin.evaluation import display
from gongxin.evaluation import querysets as scopes


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
