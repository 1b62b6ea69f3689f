"""Early warnings, each with numbers worked out by hand."""

from __future__ import annotations

import pytest

from gongxin.analytics.testing import code
from gongxin.enterprises.models import Enterprise, ScaleRecord
from gongxin.monitoring.models import MonthlyStat
from gongxin.monitoring.warnings import early_warnings


def firm(n, months, revenue=None):
    enterprise = Enterprise.objects.create(uscc=code(n), name=f"企业{n}", industry_code="1311")
    ScaleRecord.objects.create(enterprise=enterprise, year=2024, above_scale=True)
    for period, (cur, prior) in months.items():
        MonthlyStat.objects.create(
            enterprise=enterprise,
            period=period,
            output=cur,
            output_prior=prior,
            revenue=revenue if period == "2024-06" else None,
        )
    return enterprise


@pytest.fixture
def firms(db):
    # 1: 80 vs 100 → −20% < −10% → decline
    firm(1, {"2024-06": (80, 100)}, revenue=5000)
    # 2: YTD growth 12% → 9% → 6% → 2%: falling 3 months in a row (not a decline)
    firm(
        2,
        {
            "2024-03": (112, 100),
            "2024-04": (109, 100),
            "2024-05": (106, 100),
            "2024-06": (102, 100),
        },
        revenue=5000,
    )
    # 3: revenue 900 万元 in Jan–Jun → 900 / 6 × 12 = 1800 < 2000 → below scale
    firm(3, {"2024-06": (1000, 950)}, revenue=900)
    # 4: healthy: +5%, revenue 3000 → 6000 a year
    firm(4, {"2024-06": (105, 100)}, revenue=3000)


def test_each_warning_is_raised_for_the_right_enterprise(firms):
    found = {(w.name, w.kind): w.detail for w in early_warnings("2024-06")}
    assert found == {
        ("企业1", "decline"): "累计产值同比下降20.0%",
        ("企业2", "falling"): "增速由12.0%回落至2.0%",
        ("企业3", "below_scale"): "按1-6月营收推算全年约1800万元",
    }


def test_the_analyst_sees_which_enterprises_and_a_leader_only_how_many(client_for, personas, firms):
    from django.urls import reverse

    from gongxin.monitoring import services

    services.release_period(personas["analyst"], "2024-06")
    analyst = (
        client_for("analyst")
        .get(reverse("monitoring:dashboard"), {"period": "2024-06"})
        .content.decode()
    )
    assert "累计产值同比下降20.0%" in analyst and "企业1" in analyst
    leader = (
        client_for("leader")
        .get(reverse("monitoring:dashboard"), {"period": "2024-06"})
        .content.decode()
    )
    assert "营收趋势低于规上标准" in leader
    assert "累计产值同比下降20.0%" not in leader
