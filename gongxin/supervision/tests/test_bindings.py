"""Targets bound to a data source: the rules, refresh after an official import and after a
release, binding by hand on the item page, and seed 003 item 12 in the demo."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.test import override_settings
from django.urls import reverse

import gongxin.demo
from gongxin.accounts import services as accounts
from gongxin.analytics.testing import build_reference_panel
from gongxin.core.imports import services as imports
from gongxin.core.models import AuditEvent
from gongxin.monitoring import services as monitoring
from gongxin.supervision import services
from gongxin.supervision.models import Item, ItemTarget
from gongxin.supervision.services import bindings
from gongxin.supervision.services.bindings import Binding, rule_for

SEED = next((Path(gongxin.demo.__file__).parent / "seeds").glob("003_*.txt"))
VALUE_ADDED = Binding("official", "value_added")


def official_file(*rows) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["统计期", "范围", "指标", "增速(%)", "发布单位"])
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def import_official(actor, *rows) -> dict:
    result = imports.run_import(
        "official", "官方发布.xlsx", official_file(*rows), user=actor, commit=True
    )
    assert result["errors"] == []
    return result


def target_of(personas, content: str, year: int = 2024) -> ItemTarget:
    plan = services.save_plan(
        personas["supervisor"], title=f"{year}年重点工作", year=year, current_period=f"{year}-06"
    )
    accounts.add_alias(None, personas.unit_a, "区工信局")
    item = services.save_item(
        personas["supervisor"], plan, seq=1, content=content, units_text="区工信局"
    )
    return item.targets.get()


@pytest.mark.parametrize(
    ("indicator", "unit", "expected"),
    [
        ("规上工业增加值增长", "%", VALUE_ADDED),
        ("规模以上工业增加值同比增长", "%", VALUE_ADDED),
        ("规上工业总产值增长", "%", Binding("engine", "output")),
        ("工业产值增长", "%", Binding("engine", "output")),
        ("营业收入增长", "%", Binding("engine", "revenue")),
        ("规上工业利润总额增长", "%", Binding("engine", "profit")),
        ("税收增长", "%", Binding("engine", "tax")),
        ("应交增值税增长", "%", Binding("engine", "tax")),
        # a subset of enterprises, another industry, an absolute amount: not the region's
        ("倍增企业产值增长", "%", None),
        ("制造业增加值增长", "%", None),
        ("软件业务收入增长", "%", None),
        ("规上工业产值", "亿元", None),
        ("高技术制造业增加值占规模以上工业增加值比重", "%", None),
    ],
)
def test_the_rules_bind_growth_targets_of_the_region(indicator, unit, expected):
    target = ItemTarget(indicator=indicator, unit=unit, comparator="eq", value=Decimal(10))
    assert rule_for(target) == expected


def test_a_value_added_target_follows_the_official_figure_and_is_judged(personas):
    target = target_of(personas, "规上工业增加值增长10%")
    # bound when the target was found in the item's words
    assert (target.bind_kind, target.bind_indicator, target.bind_scope_kind) == (
        "official",
        "value_added",
        "total",
    )
    assert not target.bind_manual and target.actual is None
    import_official(personas["analyst"], ["2024-06", "全区", "规上工业增加值", 6.2, "区统计局"])
    target.refresh_from_db()
    # A growth-rate target is judged on the cumulative rate itself, no 序时 curve
    # (DOMAIN.md; core.periods.judge_growth): 6.2 − 10 = −3.8 points < −0.1 → behind.
    # (序时 10% × 6/12 = 5.0 is the test of an absolute target, not of a rate.)
    assert (target.actual, target.actual_period) == (Decimal("6.2"), "2024-06")
    assert target.status == "behind"
    assert target.explanation == "累计6.2%，目标达到10%，低于目标3.8个百分点"
    assert target.version == 3  # bound (2), refreshed (3)
    refresh = AuditEvent.objects.get(action="target.refresh")
    assert refresh.object_type == "supervision.item" and refresh.actor_username == "analyst"
    assert refresh.after["actual"] == "6.20" and refresh.after["status"] == "behind"
    # the December figure: 10.3 ≥ 10 at year end → done
    import_official(personas["analyst"], ["2024-12", "全区", "规上工业增加值", 10.3, "区统计局"])
    target.refresh_from_db()
    assert (target.actual_period, target.status) == ("2024-12", "done")
    assert target.explanation == "累计10.3%，目标达到10%，已完成"


def test_an_earlier_or_another_years_figure_does_not_replace_a_later_one(personas):
    target = target_of(personas, "规上工业增加值增长10%")
    import_official(personas["analyst"], ["2024-06", "全区", "规上工业增加值", 12.0, "区统计局"])
    import_official(
        personas["analyst"],
        ["2024-03", "全区", "规上工业增加值", 5.0, "区统计局"],
        ["2023-12", "全区", "规上工业增加值", 4.0, "区统计局"],
        ["2024-06", "C", "规上工业增加值", 1.0, "区统计局"],
    )
    target.refresh_from_db()
    assert (target.actual, target.actual_period, target.status) == (
        Decimal("12"),
        "2024-06",
        "ahead",
    )


def test_an_output_target_follows_the_engine_once_the_period_is_released(personas):
    build_reference_panel("2024-03")
    target = target_of(personas, "规上工业总产值增长5%")
    assert (target.bind_kind, target.bind_indicator) == ("engine", "output")
    import_official(personas["analyst"], ["2024-03", "全区", "规上工业增加值", 6.0, "区统计局"])
    target.refresh_from_db()
    assert target.actual is None  # the engine's month is not released yet
    monitoring.release_period(personas["analyst"], "2024-03")
    target.refresh_from_db()
    # reference panel: 580 vs 520 万元 → 11.5385% → 11.54; 11.54 − 5 = 6.54 > 0.1 → ahead
    assert (target.actual, target.actual_period, target.status) == (
        Decimal("11.54"),
        "2024-03",
        "ahead",
    )
    assert target.explanation == "累计11.5%，目标达到5%，高于目标6.5个百分点"
    page = bindings.describe_binding(target)
    assert page == "数据来源：平台计算 2024-03 全区规上工业总产值 同比增速（现价，名义）"


def test_the_supervisor_binds_and_unbinds_by_hand_on_the_item_page(personas, client_for):
    target = target_of(personas, "规上工业增加值增长10%")
    import_official(
        personas["analyst"],
        ["2024-06", "全区", "规上工业增加值", 6.2, "区统计局"],
        ["2024-06", "C 制造业", "规上工业增加值", 11.0, "区统计局"],
    )
    client = client_for("supervisor")
    detail = reverse("supervision:item_detail", args=[target.item_id])
    page = client.get(detail).content.decode()
    assert "数据来源：官方发布 区统计局 2024-06 规上工业增加值 可比价增速" in page
    assert "绑定数据来源" in page
    url = reverse("supervision:target_bind", args=[target.pk])
    target.refresh_from_db()
    client.post(
        url, {"source": "official:value_added", "scope": "制造业", "version": target.version}
    )
    target.refresh_from_db()
    assert (target.bind_scope_kind, target.bind_scope_code, target.bind_manual) == (
        "section",
        "C",
        True,
    )
    assert (target.actual, target.status) == (Decimal("11"), "ahead")
    assert "2024-06 制造业 规上工业增加值 可比价增速" in client.get(detail).content.decode()
    client.post(url, {"source": "none", "version": target.version})
    target.refresh_from_db()
    assert (target.bind_kind, target.bind_manual) == ("", True)
    assert bindings.bind_targets_by_rule() == 0  # a person's decision stands
    client.post(url, {"source": "auto", "version": target.version})
    target.refresh_from_db()
    assert (target.bind_kind, target.bind_scope_kind, target.bind_manual) == (
        "official",
        "total",
        False,
    )
    assert AuditEvent.objects.filter(action="target.bind").count() == 4  # rule + 3 by hand


def test_a_stale_or_bad_binding_form_changes_nothing(personas, client_for):
    target = target_of(personas, "规上工业增加值增长10%")
    client = client_for("supervisor")
    url = reverse("supervision:target_bind", args=[target.pk])
    client.post(url, {"source": "none", "version": target.version - 1})
    client.post(url, {"source": "official:value_added", "scope": "1311", "version": target.version})
    target.refresh_from_db()
    assert (target.bind_kind, target.bind_scope_kind) == ("official", "total")
    assert client_for("reporter_a").post(url, {"source": "none"}).status_code == 403


@override_settings(GONGXIN_DEMO=True)
def test_seed_003_item_12_binds_in_the_demo_and_takes_its_official_figure(personas, monkeypatch):
    from gongxin.demo.services import build_demo

    monkeypatch.setattr("gongxin.demo.services.load_panel", lambda actor=None: {})
    build_demo()
    item = Item.objects.get(seq=12)
    target = item.targets.get()
    assert (target.indicator, target.value, target.unit) == ("规上工业增加值增长", Decimal(10), "%")
    assert (target.bind_kind, target.bind_indicator, target.bind_scope_kind) == (
        "official",
        "value_added",
        "total",
    )
    # the plan is 2021's: a 2024 figure is not its actual; a 2021 one is
    import_official(personas["analyst"], ["2024-03", "全区", "规上工业增加值", 7.5, "区统计局"])
    target.refresh_from_db()
    assert target.actual is None
    import_official(personas["analyst"], ["2021-03", "全区", "规上工业增加值", 12.5, "区统计局"])
    target.refresh_from_db()
    # 12.5 − 10 = 2.5 points above the rate → ahead
    assert (target.actual, target.actual_period, target.status) == (
        Decimal("12.5"),
        "2021-03",
        "ahead",
    )
    assert bindings.describe_binding(target) == (
        "数据来源：官方发布 区统计局 2021-03 规上工业增加值 可比价增速"
    )
