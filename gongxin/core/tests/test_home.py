"""Each role's home page shows its own to-do cards, navigation and identity."""

from __future__ import annotations

import pytest
from django.urls import reverse

EXPECTED = {
    "supervisor": ("尚无督办计划", "督查人员"),  # no plan yet: the card says how to start
    "leader": ("我分管的事项", "分管领导"),
    "reporter_a": ("本期待报送", "区工业和信息化局"),
    "analyst": ("统计月报导入", "统计分析人员"),
    "enterprise_x": ("可享受的政策", "企业用户"),
    "sysadmin": ("用户与角色", "系统管理员"),
    "secadmin": ("安全策略", "安全管理员"),
    "auditadmin": ("审计链校验", "审计管理员"),
}


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_each_role_sees_its_own_cards(client_for, persona):
    card, identity = EXPECTED[persona]
    page = client_for(persona).get(reverse("core:home")).content.decode()
    assert card in page
    assert identity in page
    others = {c for p, (c, _) in EXPECTED.items() if p != persona}
    assert not [c for c in others if c in page]


def test_navigation_shows_only_what_the_role_may_open(client_for):
    sysadmin_page = client_for("sysadmin").get(reverse("core:home")).content.decode()
    assert reverse("accounts:user_list") in sysadmin_page
    assert reverse("core:audit_list") not in sysadmin_page
    audit_page = client_for("auditadmin").get(reverse("core:home")).content.decode()
    assert reverse("core:audit_list") in audit_page
    assert reverse("accounts:user_list") not in audit_page
    reporter_page = client_for("reporter_a").get(reverse("core:home")).content.decode()
    assert reverse("accounts:user_list") not in reporter_page
    assert reverse("core:audit_list") not in reporter_page
