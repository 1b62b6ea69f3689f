"""The enterprise's inbox (政策推荐): its own matches only, with the explanation of every
criterion; pushes are marked read (audited) when it looks; its home card counts them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongxin.core.models import AuditEvent
from gongxin.core.testing import USCC_X, USCC_Y
from gongxin.policies import delivery
from gongxin.policies.models import Match, Push
from gongxin.policies.tests.test_library import KMH_SOURCE, kmh_matches


@pytest.fixture
def clause(personas):
    return kmh_matches(personas["analyst"])


def test_enterprise_x_sees_its_match_with_the_explanation_of_each_criterion(client_for, clause):
    text = client_for("enterprise_x").get(reverse("policies:inbox")).content.decode()
    assert "工业经济“开门红”奖励（2024年）" in text
    assert "符合条件" in text and "最高100万元" in text
    assert "一季度新增工业产值（企业申报）4亿元，高于3亿元 ✓" in text
    assert "一季度工业产值增速（企业申报）66.7%，不低于15% ✓" in text
    assert KMH_SOURCE in text


def test_enterprise_x_never_sees_the_matches_of_enterprise_y(client_for, clause):
    text = client_for("enterprise_x").get(reverse("policies:inbox")).content.decode()
    assert "2.9亿元" not in text and "青岛乙食品" not in text and "接近条件】" not in text
    text = client_for("enterprise_y").get(reverse("policies:inbox")).content.decode()
    assert "一季度新增工业产值（企业申报）2.9亿元，未高于3亿元，差1000万元 ✗" in text
    assert "4亿元" not in text
    # the bureau's list and its export are closed to enterprises
    for params in ({}, {"export": "xlsx"}):
        response = client_for("enterprise_x").get(
            reverse("policies:clause_matches", args=[clause.pk]), params
        )
        assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="export.xlsx").exists()


def test_a_match_that_is_no_longer_eligible_leaves_the_inbox(client_for, clause):
    Match.objects.filter(enterprise__uscc=USCC_X).update(status=Match.Status.INELIGIBLE)
    text = client_for("enterprise_x").get(reverse("policies:inbox")).content.decode()
    assert "开门红" not in text and "暂无与本企业匹配的政策" in text


def test_opening_the_inbox_marks_its_own_pushes_read_and_audits_it(client_for, personas, clause):
    x = Match.objects.get(enterprise__uscc=USCC_X)
    y = Match.objects.get(enterprise__uscc=USCC_Y)
    push_x = delivery.push_match(personas["analyst"], x, "inbox", "请及时申报")
    push_y = delivery.push_match(personas["supervisor"], y, "phone")
    text = client_for("enterprise_x").get(reverse("policies:inbox")).content.decode()
    assert "新推送" in text and "请及时申报" in text
    push_x.refresh_from_db()
    push_y.refresh_from_db()
    assert push_x.read_at is not None and push_y.read_at is None
    event = AuditEvent.objects.get(action="policy.push_read")
    assert (event.actor_username, event.object_id) == ("enterprise_x", str(push_x.pk))
    # a second visit: already read, nothing written
    text = client_for("enterprise_x").get(reverse("policies:inbox")).content.decode()
    assert "新推送" not in text
    assert AuditEvent.objects.filter(action="policy.push_read").count() == 1


def test_only_the_enterprise_itself_marks_pushes_read(personas, clause):
    y = Match.objects.get(enterprise__uscc=USCC_Y)
    delivery.push_match(personas["analyst"], y)
    entries = delivery.inbox(personas["enterprise_y"])
    for who in ("analyst", "enterprise_x"):
        assert delivery.mark_read(personas[who], entries) == 0
    assert Push.objects.get().read_at is None
    assert delivery.mark_read(personas["enterprise_y"], entries) == 1


def test_the_home_card_counts_the_policies_the_enterprise_may_enjoy(client_for, clause):
    text = client_for("enterprise_x").get(reverse("core:home")).content.decode()
    assert "可享受的政策 1 项" in text
    assert reverse("policies:inbox") in text
    text = client_for("enterprise_y").get(reverse("core:home")).content.decode()
    assert "可享受的政策 0 项" in text and "接近条件1项" in text
    assert "可享受的政策" not in client_for("analyst").get(reverse("core:home")).content.decode()


def test_the_navigation_shows_each_role_its_entry(client_for, clause):
    text = client_for("enterprise_x").get(reverse("core:home")).content.decode()
    assert "政策推荐" in text and reverse("policies:library") not in text
    text = client_for("leader").get(reverse("core:home")).content.decode()
    assert reverse("policies:library") in text and reverse("policies:inbox") not in text
    text = client_for("reporter_a").get(reverse("core:home")).content.decode()
    assert "惠企政策" not in text
