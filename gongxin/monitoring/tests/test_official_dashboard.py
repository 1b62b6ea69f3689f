"""The dashboard's "官方发布（可比价）" card: official rates labelled as such, beside the
engine's nominal figures and never merged with them; public once published."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from gongxin.analytics.testing import build_reference_panel
from gongxin.core.imports import services as imports
from gongxin.monitoring import services

DASH = reverse("monitoring:dashboard")
CSV = (
    "统计期,范围,指标,增速(%),发布单位,发布日期\n"
    "2024-03,全区,规上工业增加值,7.9,区统计局,2024-04-18\n"
    "2024-03,C 制造业,规上工业增加值,8.4,区统计局,2024-04-18\n"
    "2024-02,全区,规上工业增加值,5.5,区统计局,2024-03-18\n"
)


@pytest.fixture
def panel(db):
    build_reference_panel()  # March 2024: 580 vs 520 万元 → nominal output +11.5%
    result = imports.run_import("official", "官方.csv", CSV.encode(), commit=True)
    assert result["created"] == 3


def official_card(page: str) -> str:
    match = re.search(r'<section class="card table-card" id="official-figures">.*?</section>',
                      page, re.S)  # fmt: skip
    assert match, "no official card"
    return match.group(0)


def test_the_analyst_sees_the_periods_official_rates_labelled_beside_the_nominal(client_for, panel):
    page = client_for("analyst").get(DASH).content.decode()
    card = official_card(page)
    assert "官方发布（可比价）" in card
    assert '<td>全区</td><td>规上工业增加值</td><td class="num">7.9</td>' in card
    assert '<td>制造业</td><td>规上工业增加值</td><td class="num">8.4</td>' in card
    assert card.count("官方</span> 可比价") == 2 and "区统计局" in card and "2024-04-18" in card
    assert "5.5" not in card  # February's rate belongs to February
    # the engine's nominal growth stays in its own place, labelled nominal, not in the card
    assert "11.5%" in page and "11.5" not in card
    assert "同比增长（名义，现价）" in page


def test_official_rates_need_no_release_but_the_page_still_shows_released_months_only(
    client_for, personas, panel
):
    leader = client_for("leader")
    assert "官方发布（可比价）" not in leader.get(DASH).content.decode()
    services.release_period(personas["analyst"], "2024-03")
    card = official_card(leader.get(DASH).content.decode())
    assert "7.9" in card and "8.4" in card  # published rates are not suppressed


def test_a_month_without_official_rates_says_so(client_for, db):
    build_reference_panel()
    card = official_card(client_for("analyst").get(DASH).content.decode())
    assert "本期尚无官方发布数据" in card and reverse("imports:upload", args=["official"]) in card
