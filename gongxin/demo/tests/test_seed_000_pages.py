"""Acceptance 1: the demo's dashboard and brief state seed 000's figures (line 9 and the
industry lines), computed by the engine from the synthetic enterprise rows."""

from __future__ import annotations

import io
import re

import docx
import pytest
from django.test import Client, override_settings
from django.urls import reverse

from gongxin.accounts.models import User
from gongxin.demo.services import build_demo
from gongxin.monitoring import brief

pytestmark = pytest.mark.django_db

# Seed 000, as the bureau wrote it, and how the brief words the same figures.
SEED_000_SENTENCES = [
    "2024年1-12月，1166家规上工业企业完成产值4786.1亿元，同比增长1.9%。",
    "规上工业增加值同比增长7.5%（可比价",  # official, labelled, never the engine's
    "33家倍增企业累计实现产值497.9亿元，同比增长12.8%，拉动全区工业增长1.2个百分点。",
    "高端化工新材料、船舶海工等五大传统优势产业累计实现产值3805.3亿元",
    "占规上工业总产值的79.5%",
    "芯屏、海洋生物医药、人工智能三大战略新兴产业累计实现产值459.25亿元，同比增长20.8%",
    "芯屏（",
    "累计实现产值206.25亿元，同比增长35.0%",
]


@pytest.fixture
def demo():
    with override_settings(GONGXIN_DEMO=True):
        build_demo()


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def text_of(html: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html))


def test_the_analysts_dashboard_and_brief_state_the_seed_figures(demo):
    page = signed_in("demo_analyst").get(reverse("monitoring:dashboard"), {"period": "2024-12"})
    shown = text_of(page.content.decode())
    assert "1166规上工业企业（家）" in shown and "4786.1累计产值（亿元）" in shown
    assert "1.9%同比增长（名义，现价）" in shown
    for sentence in SEED_000_SENTENCES:
        assert sentence in shown, sentence

    title, paragraphs = brief.build_brief("2024-12")
    assert title == "2024年1-12月全区工业经济运行分析"
    text = "".join(paragraphs)
    for sentence in SEED_000_SENTENCES:
        assert sentence in text, sentence

    word = signed_in("demo_analyst").get(reverse("monitoring:brief_docx"), {"period": "2024-12"})
    written = "".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    for sentence in SEED_000_SENTENCES:
        assert sentence in written, sentence


def test_a_leader_sees_the_same_headline_figures_after_release(demo):
    page = signed_in("demo_leader").get(reverse("monitoring:dashboard"), {"period": "2024-12"})
    shown = text_of(page.content.decode())
    # the families and the program hold dozens of enterprises, none dominant: not suppressed
    for sentence in SEED_000_SENTENCES:
        assert sentence in shown, sentence
