"""A small reference panel for tests, with figures worked out by hand (see the tests)."""

from __future__ import annotations

from stdnum.cn import uscc as stdnum_uscc

from gongxin.core.uscc import org_code_check

# Five above-scale firms, March 2024 YTD output vs prior-year same period (万元):
#   C 制造业: 1311 120 vs 100; 2614 80 vs 100; 3971 50 vs 40  → 250 vs 240
#   D 电力…: 4411 300 vs 250; 4411 30 vs 30                   → 330 vs 280
REFERENCE_FIRMS = [
    ("1311", 120, 100),
    ("2614", 80, 100),
    ("3971", 50, 40),
    ("4411", 300, 250),
    ("4411", 30, 30),
]


def code(n: int) -> str:
    org = f"{n:08d}"
    body = "91370211" + org + org_code_check(org)
    return body + stdnum_uscc.calc_check_digit(body)


def build_reference_panel(period: str = "2024-03") -> None:
    from gongxin.enterprises.models import Enterprise, ScaleRecord
    from gongxin.monitoring.models import MonthlyStat

    year = int(period[:4])
    for n, (industry, cur, prior) in enumerate(REFERENCE_FIRMS, start=1):
        firm = Enterprise.objects.create(uscc=code(n), name=f"企业{n}", industry_code=industry)
        ScaleRecord.objects.create(enterprise=firm, year=year, above_scale=True)
        MonthlyStat.objects.create(enterprise=firm, period=period, output=cur, output_prior=prior)
    small = Enterprise.objects.create(uscc=code(9), name="小企业", industry_code="1311")
    ScaleRecord.objects.create(enterprise=small, year=year, above_scale=False)
    MonthlyStat.objects.create(enterprise=small, period=period, output=999, output_prior=1)
