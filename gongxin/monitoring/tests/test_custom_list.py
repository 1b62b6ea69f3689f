"""The analyst's own enterprise list: codes and names resolved, one row of indicators."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from gongxin.analytics.testing import build_reference_panel, code
from gongxin.core.testing import login_as


@pytest.fixture
def panel(db):
    build_reference_panel()


def test_a_pasted_list_gives_its_row_and_names_what_it_could_not_find(client, personas, panel):
    login_as(client, personas["analyst"])
    text = f"{code(1)}\n{code(4).lower()}，企业3\n\n91370211MA3C8K2L6B\n不存在的公司"
    page = client.post(reverse("monitoring:custom_list"), {"text": text, "period": "2024-03"})
    html = re.sub(r"\s+", " ", page.content.decode())
    # 企业1 120/100, 企业4 300/250, 企业3 50/40 → 470 vs 390: yoy 20.5128%,
    # share 470/580 = 81.0345%, contribution 80/60 = 133.3%, pull 80/520 = 15.38 points
    cells = re.findall(r'<td class="num">([^<]*)</td>', html)
    assert cells == ["3", "470.0", "390.0", "20.5", "81.0", "133.3", "15.38", "100.0"]
    assert "企业库中没有：91370211MA3C8K2L6B、不存在的公司" in html


def test_an_empty_list_is_refused_in_chinese(client, personas, panel):
    login_as(client, personas["analyst"])
    page = client.post(reverse("monitoring:custom_list"), {"text": "无此企业", "period": "2024-03"})
    assert "名单中没有可识别的企业" in page.content.decode()
