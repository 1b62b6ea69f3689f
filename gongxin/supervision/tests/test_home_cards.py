"""我的待办: each role's counts come from the supervision data."""

from __future__ import annotations

from django.urls import reverse

from gongxin.supervision.services import workflow
from gongxin.supervision.tests.test_permissions import build


def card_count(page: str, title: str) -> str:
    section = page.split(title, 1)[1]
    return section.split('<span class="badge">', 1)[1].split("</span>", 1)[0]


def test_reporter_sees_what_to_acknowledge_and_report(client_for, personas):
    fx = build(personas)
    page = client_for("reporter_b").get(reverse("core:home")).content.decode()
    # unit B: item 2, not acknowledged and not reported for 2021-03
    assert card_count(page, "待签收事项") == "1"
    assert card_count(page, "本期待报送") == "1"
    page_a = client_for("reporter_a").get(reverse("core:home")).content.decode()
    # unit A reported item 1 (which also acknowledged it) but item 1 asked for closure: still open
    assert card_count(page_a, "待签收事项") == "0"
    assert card_count(page_a, "本期待报送") == "0"
    assert fx["a_assign"].item.seq == 1


def test_supervisor_sees_reviews_and_closures_waiting(client_for, personas):
    build(personas)
    page = client_for("supervisor").get(reverse("core:home")).content.decode()
    assert card_count(page, "待审核进展") == "1"  # item 1 reported, not reviewed
    assert card_count(page, "待审批销号") == "1"


def test_leader_sees_the_items_he_leads(client_for, personas):
    fx = build(personas)
    workflow.review(personas["supervisor"], fx["item1"], "2021-03", "behind")
    page = client_for("leader").get(reverse("core:home")).content.decode()
    assert "共1项，其中欠进度1项" in page


def test_a_leaders_instruction_stays_in_the_units_to_do_until_read(client_for, personas):
    fx = build(personas)  # builds one instruction on item 1 (unit A)
    client = client_for("reporter_a")
    assert card_count(client.get(reverse("core:home")).content.decode(), "领导批示") == "1"
    client.post(reverse("supervision:instruction_read", args=[fx["instruction"].pk]))
    assert card_count(client.get(reverse("core:home")).content.decode(), "领导批示") == "0"
    assert (
        card_count(client_for("reporter_b").get(reverse("core:home")).content.decode(), "领导批示")
        == "0"
    )
