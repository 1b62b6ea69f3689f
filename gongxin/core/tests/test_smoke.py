from __future__ import annotations

from django.urls import reverse


def test_home_page_shows_the_role_cards(client_for):
    response = client_for("supervisor").get(reverse("core:home"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "待审核进展" in text
    assert "督查人员" in text
