"""Acceptance 4, end to end: for random registers, what the engine shows a non-analyst by
section never breaks the rule, and the hidden sections cannot be had from the total minus
the visible ones. Checked against the raw enterprise rows, not the engine's own counts."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongxin.analytics import runners
from gongxin.analytics.suppression import is_sensitive
from gongxin.analytics.testing import code
from gongxin.enterprises.models import Enterprise, ScaleRecord
from gongxin.monitoring.models import MonthlyStat

# one 小类 per 门类: B 采矿业, C 制造业, D 电力…, plus a second 制造业 code
INDUSTRIES = ["0610", "1311", "3971", "4411"]
SECTION = {"0610": "B", "1311": "C", "3971": "C", "4411": "D"}

firms = st.lists(
    st.tuples(st.sampled_from(INDUSTRIES), st.integers(min_value=1, max_value=50_000)),
    min_size=1,
    max_size=14,
)


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(firms)
def test_what_other_roles_see_by_section_is_safe_and_not_recoverable(panel):
    MonthlyStat.objects.all().delete()
    ScaleRecord.objects.all().delete()
    Enterprise.objects.all().delete()
    raw: dict[str, list[int]] = {}
    for n, (industry, output) in enumerate(panel, start=1):
        firm = Enterprise.objects.create(uscc=code(n), name=f"企业{n}", industry_code=industry)
        ScaleRecord.objects.create(enterprise=firm, year=2024, above_scale=True)
        MonthlyStat.objects.create(enterprise=firm, period="2024-03", output=output, output_prior=1)
        raw.setdefault(SECTION[industry], []).append(output)

    rows = runners.indicator_table("section", "2024-03", suppress=True)
    groups = {r.group: r for r in rows if r.group != "total"}
    assert set(groups) == set(raw)
    visible = [s for s, r in groups.items() if not r.suppressed]
    hidden = [s for s, r in groups.items() if r.suppressed]
    for section in visible:
        values = raw[section]
        assert not is_sensitive(len(values), D(sum(values)), D(max(values))), section
        assert groups[section].as_json()["ytd"] == sum(values)
    for section in hidden:
        assert all(
            groups[section].as_json()[k] is None for k in ("ytd", "yoy", "share", "pull_points")
        )
    if hidden and visible:
        # total − visible = the hidden sections together: never one alone, never sensitive
        together = [v for s in hidden for v in raw[s]]
        assert len(hidden) >= 2
        assert not is_sensitive(len(together), D(sum(together)), D(max(together)))
