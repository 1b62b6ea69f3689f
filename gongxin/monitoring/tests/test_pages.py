"""The dashboard: the analyst sees everything; leaders and supervisors only released
months, with small cells suppressed; a leader's drill-down needs a reason and is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongxin.analytics.testing import build_reference_panel
from gongxin.core.models import AuditEvent
from gongxin.monitoring import services

DASH = reverse("monitoring:dashboard")


@pytest.fixture
def panel(db):
    build_reference_panel()


def test_the_analyst_sees_the_month_before_release_with_every_figure(client_for, panel):
    page = client_for("analyst").get(DASH, {"by": "section"}).content.decode()
    # 580 万元 total, 11.5385% growth → shown 11.5; section D (2 firms) is shown to the analyst
    assert "580" in page and "11.5%" in page
    assert "电力、热力、燃气及水生产和供应业" in page and "不满足发布条件" not in page
    assert "发布本期数据" in page
    assert f'href="{DASH}"' in page  # the navigation leads here


def test_a_leader_sees_nothing_until_release_then_suppressed_cells(client_for, personas, panel):
    leader = client_for("leader")
    assert "尚无已发布的统计数据" in leader.get(DASH).content.decode()
    services.release_period(personas["analyst"], "2024-03")
    page = leader.get(DASH, {"by": "section"}).content.decode()
    assert "不满足发布条件" in page  # D has 2 firms; C would be revealed by subtraction
    assert "580" in page  # the total is published


def test_a_leaders_drilldown_asks_for_a_reason_and_is_audited(client_for, personas, panel):
    services.release_period(personas["analyst"], "2024-03")
    leader = client_for("leader")
    url = reverse("monitoring:drilldown", args=["section", "D"])
    assert "查看事由" in leader.get(url).content.decode()
    assert not AuditEvent.objects.filter(action="stats.drilldown").exists()
    page = leader.post(
        url, {"reason": "研究电力行业运行情况", "period": "2024-03"}
    ).content.decode()
    assert "企业4" in page and "企业5" in page and "企业1" not in page
    event = AuditEvent.objects.get(action="stats.drilldown")
    assert event.reason == "研究电力行业运行情况" and event.actor_username == "leader"


def test_the_analyst_drills_down_directly(client_for, panel):
    page = (
        client_for("analyst")
        .get(reverse("monitoring:drilldown", args=["section", "C"]))
        .content.decode()
    )
    assert "企业1" in page and "企业4" not in page and "小企业" not in page


def test_the_analyst_releases_a_month(client_for, panel):
    client_for("analyst").post(reverse("monitoring:release"), {"period": "2024-03"})
    assert services.is_released("2024-03")
    assert AuditEvent.objects.filter(action="stats.release").exists()
