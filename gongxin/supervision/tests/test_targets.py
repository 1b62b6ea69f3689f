"""Quantitative targets: found in the items' words, edited by people, judged against 序时."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

import gongxin.demo
from gongxin.core.errors import ServiceError
from gongxin.core.imports import services as imports
from gongxin.core.models import AuditEvent
from gongxin.supervision.models import Item, ItemTarget
from gongxin.supervision.services import targets

SEED = next((Path(gongxin.demo.__file__).parent / "seeds").glob("003_*.txt"))


@pytest.fixture
def seeded(db):
    imports.run_import(
        "supervision", SEED.name, SEED.read_text(encoding="utf-8").encode(), commit=True
    )


def test_targets_are_found_in_item_content_not_in_progress(seeded):
    item2 = Item.objects.get(seq=2)
    assert [(t.indicator, t.comparator, t.value, t.unit) for t in item2.targets.all()] == [
        ("新增市级以上科技创新平台", "eq", Decimal("15"), "家"),
    ]
    # item 3's progress says "已拜访对接了国内10余家…": past progress, never a target
    assert all("拜访" not in t.text for t in ItemTarget.objects.all())
    assert Item.objects.get(seq=3).targets.get().value == Decimal("20")


def test_an_actual_value_is_judged_against_time_progress(seeded):
    target = Item.objects.get(seq=2).targets.get()
    targets.update_target(None, target, actual=Decimal("4"), actual_period="2021-03")
    target.refresh_from_db()
    # 4 / 15 = 26.7% of the year's target; 序时 at March = 3/12 = 25.0% → ahead by 1.7 points
    assert target.status == "ahead"
    assert target.explanation == "完成年度目标的26.7%，序时进度25.0%，超前1.7个百分点"
    targets.update_target(None, target, actual=Decimal("3"), actual_period="2021-03")
    target.refresh_from_db()
    # 3 / 15 = 20.0% < 25.0% → behind by 5.0 points
    assert target.status == "behind"
    assert AuditEvent.objects.filter(action="target.update").count() == 2


def test_a_quarterly_curve_asks_nothing_before_the_first_quarter_ends(seeded):
    target = Item.objects.get(seq=2).targets.get()
    targets.update_target(
        None, target, actual=Decimal("0"), actual_period="2021-02", curve="quarterly"
    )
    target.refresh_from_db()
    assert target.status != "behind"


def test_an_actual_without_its_period_is_refused(seeded):
    target = Item.objects.get(seq=2).targets.get()
    with pytest.raises(ServiceError, match="统计期"):
        targets.update_target(None, target, actual=Decimal("4"))


def test_the_supervisor_corrects_a_target_on_the_item_page(seeded, client_for):
    target = Item.objects.get(seq=2).targets.get()
    client = client_for("supervisor")
    client.post(
        reverse("supervision:target_update", args=[target.pk]),
        {
            "indicator": "新增市级以上科技创新平台",
            "comparator": "ge",
            "value": "15",
            "unit": "家",
            "curve": "linear",
            "actual": "6",
            "actual_period": "2021-06",
            "version": target.version,
        },
    )
    target.refresh_from_db()
    assert (target.comparator, target.actual, target.actual_period) == (
        "ge",
        Decimal("6"),
        "2021-06",
    )
    page = client.get(reverse("supervision:item_detail", args=[target.item_id])).content.decode()
    # 6 / 15 = 40.0%; 序时 at June = 50.0% → behind by 10.0 points
    assert "完成年度目标的40.0%，序时进度50.0%，落后10.0个百分点" in page
