"""The synthetic panel: seed 000's 2024 figures come out of the engine, rounded as the seed
prints them, for any generator seed; building twice changes nothing."""

from __future__ import annotations

import io
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from gongxin.analytics import formulas, runners
from gongxin.core.errors import ServiceError
from gongxin.core.uscc import is_valid
from gongxin.demo import panel
from gongxin.enterprises import industries
from gongxin.enterprises.models import Enterprise, ScaleRecord
from gongxin.monitoring.models import MonthlyStat

pytestmark = pytest.mark.django_db

demo_mode = override_settings(GONGXIN_DEMO=True)
YI = Decimal(10000)  # 万元 per 亿元


def rounded(value, places: str) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def seed_figures() -> dict[str, Decimal]:
    """The seed-000 figures recomputed by the engine, rounded as the seed writes them."""
    rows = runners.indicator_table("cluster", "2024-12")
    total = rows[-1]
    assert total.group == "total"
    clusters = {r.name: r for r in rows[:-1]}
    (program,) = [r for r in runners.indicator_table("program", "2024-12") if r.group != "total"]
    assert program.name == panel.PROGRAM_NAME

    def sums(names):
        return (
            sum(Decimal(str(clusters[n].ytd)) for n in names),
            sum(Decimal(str(clusters[n].prior_ytd)) for n in names),
        )

    t_cur, t_prior = Decimal(str(total.ytd)), Decimal(str(total.prior_ytd))
    trad_cur, _ = sums(panel.TRADITIONAL)
    emerging_cur, emerging_prior = sums(panel.EMERGING)
    xinping = clusters["芯屏"]
    return {
        "enterprises": Decimal(total.enterprises),
        "program_enterprises": Decimal(program.enterprises),
        "total": rounded(t_cur / YI, "0.1"),
        "total_yoy": rounded(formulas.yoy(t_cur, t_prior), "0.1"),
        "engine_total_yoy": rounded(total.yoy, "0.1"),
        "program": rounded(Decimal(str(program.ytd)) / YI, "0.1"),
        "program_pull": rounded(program.pull_points, "0.1"),  # the engine, against the register
        "traditional": rounded(trad_cur / YI, "0.1"),
        # the sum of the five clusters' engine shares (each against the whole register)
        "traditional_share": rounded(
            sum(Decimal(str(clusters[n].share)) for n in panel.TRADITIONAL), "0.1"
        ),
        "xinping": rounded(Decimal(str(xinping.ytd)) / YI, "0.01"),
        "xinping_yoy": rounded(xinping.yoy, "0.1"),
        "emerging_yoy": rounded(formulas.yoy(emerging_cur, emerging_prior), "0.1"),
    }


SEED_000 = {
    "enterprises": Decimal(1166),  # 1166家规上工业企业
    "program_enterprises": Decimal(33),  # 33家倍增企业
    "total": Decimal("4786.1"),  # 完成产值4786.1亿元
    "total_yoy": Decimal("1.9"),  # 同比增长1.9%
    "engine_total_yoy": Decimal("1.9"),
    "program": Decimal("497.9"),  # 累计实现产值497.9亿元
    "program_pull": Decimal("1.2"),  # 拉动全区工业增长1.2个百分点
    "traditional": Decimal("3805.3"),  # 五大传统优势产业累计实现产值3805.3亿元
    "traditional_share": Decimal("79.5"),  # 占规上工业总产值的79.5%
    "xinping": Decimal("206.25"),  # 规上“芯屏”产业完成产值206.25亿元
    "xinping_yoy": Decimal("35.0"),  # 增速达35.0%
    "emerging_yoy": Decimal("20.8"),  # 三大战略新兴产业同比增长20.8%
}


def counts() -> dict[str, int]:
    return {
        "enterprises": Enterprise.objects.count(),
        "above_2024": ScaleRecord.objects.filter(year=2024, above_scale=True).count(),
        "above_2023": ScaleRecord.objects.filter(year=2023, above_scale=True).count(),
        "stats": MonthlyStat.objects.count(),
    }


@pytest.mark.parametrize("seed", [panel.DEFAULT_SEED, 7])
def test_the_panel_reproduces_seed_000_and_is_idempotent(seed):
    with demo_mode:
        first = panel.build_panel(seed)
    assert first.created["enterprises"] == 1466
    assert (first.above_scale_2024, first.below_scale_2024) == (1166, 300)
    assert (first.entered_2024, first.exited_2024, first.above_scale_2023) == (26, 20, 1160)
    assert first.program_members == 33 and first.clusters == 8
    assert counts() == {"enterprises": 1466, "above_2024": 1166, "above_2023": 1160,
                        "stats": 12 * (1166 + 1160)}  # fmt: skip
    figures = seed_figures()
    assert figures == SEED_000

    with demo_mode:
        again = panel.build_panel(seed)
    assert not any(again.created.values())
    assert again.monthly_stats == first.monthly_stats
    assert counts()["stats"] == 12 * (1166 + 1160)
    assert seed_figures() == figures


def test_every_enterprise_is_valid_and_the_months_are_cumulative():
    with demo_mode:
        panel.build_panel()
    firms = list(Enterprise.objects.all())
    assert all(is_valid(f.uscc) and f.uscc.startswith(panel.USCC_PREFIX) for f in firms)
    assert all(industries.section_of(f.industry_code) in "BCD" for f in firms)
    assert all(f.region is not None and f.region.kind in ("town", "zone") for f in firms)
    assert len({f.name for f in firms}) == len(firms)
    # One enterprise: YTD output grows month by month; December 2023 equals the prior-year
    # value on the December 2024 form (同口径, no revisions).
    stats = {s.period: s for s in MonthlyStat.objects.filter(enterprise=firms[0])}
    months = [stats[f"2024-{m:02d}"].output for m in range(1, 13)]
    assert months == sorted(months) and months[0] > 0
    if "2023-12" in stats:
        assert stats["2023-12"].output == stats["2024-12"].output_prior
    # Every value is quantised to 4 places.
    row = stats["2024-06"]
    assert row.revenue == row.revenue.quantize(Decimal("0.0001"))


def test_the_plan_closes_by_hand():
    cells = panel.cell_targets()
    assert sum(c for c, _ in cells.values()) == panel.TOTAL_CURRENT
    assert sum(p for _, p in cells.values()) == panel.total_prior() == Decimal("46968596.6634")
    program_prior = sum(p for (_, in_program), (_, p) in cells.items() if in_program)
    assert program_prior == Decimal("4415376.8400")


def test_another_seed_on_the_same_database_is_refused():
    with demo_mode:
        panel.build_panel(7)
        with pytest.raises(ServiceError, match="另一个种子"):
            panel.build_panel(8)


def test_outside_demo_mode_nothing_is_built():
    with override_settings(GONGXIN_DEMO=False):
        with pytest.raises(ServiceError, match="GONGXIN_DEMO=1"):
            panel.build_panel()
        with pytest.raises(CommandError, match="GONGXIN_DEMO=1"):
            call_command("demo_panel", stdout=io.StringIO())
    assert Enterprise.objects.count() == 0


def test_the_command_prints_the_summary():
    out = io.StringIO()
    with demo_mode:
        call_command("demo_panel", "--seed", "7", stdout=out)
        call_command("demo_panel", "--seed", "7", stdout=out)
    text = out.getvalue()
    assert re.search(r"2024年规上 1166 家", text)
    assert "倍增企业 33 家" in text
    assert "本次未作改动" in text
