"""Role × view matrix of one enterprise's monthly figures: its profile's Excel export and
the API. X's figures are asked for by everyone; only the analyst and X itself get them."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from gongxin.core.permissions_matrix import check_matrix_row
from gongxin.core.testing import USCC_X, USCC_Y
from gongxin.enterprises.models import Enterprise
from gongxin.monitoring.models import MonthlyStat, PeriodRelease

# persona order:                                anon sup lead repA repB ana entX entY sys sec aud
STATS_MATRIX = {
    ("enterprises:detail", "EXPORT"):           "302 403 403 403 403 200 200 404 403 403 403",
    ("enterprises:mine", "EXPORT"):             "302 403 403 403 403 403 200 200 403 403 403",
    ("enterprises-api:enterprise-list", "GET"):   "401 200 200 200 200 200 200 200 403 403 403",
    ("enterprises-api:enterprise-list", "POST"):  "401 405 405 405 405 405 405 405 403 403 403",
    ("enterprises-api:enterprise-detail", "GET"): "401 200 200 404 404 200 200 404 403 403 403",
    ("enterprises-api:enterprise-detail", "POST"): "401 405 405 405 405 405 405 405 403 403 403",
    ("enterprises-api:enterprise-stats", "GET"):  "401 403 403 403 403 200 200 404 403 403 403",
    ("enterprises-api:enterprise-stats", "POST"): "401 403 403 403 403 405 405 405 403 403 403",
    ("enterprises-api:monthly-stat-list", "GET"):  "401 403 403 403 403 200 200 200 403 403 403",
    ("enterprises-api:monthly-stat-list", "POST"): "401 403 403 403 403 405 405 405 403 403 403",
    ("enterprises-api:monthly-stat-detail", "GET"):  "401 403 403 403 403 200 200 404 403 403 403",
    ("enterprises-api:monthly-stat-detail", "POST"): "401 403 403 403 403 405 405 405 403 403 403",
}  # fmt: skip


def url_kwargs(name: str, personas) -> dict:
    x = Enterprise.objects.create(uscc=USCC_X, name="青岛甲机械有限公司", industry_code="3442")
    Enterprise.objects.create(uscc=USCC_Y, name="青岛乙食品有限公司", industry_code="1311")
    stat = MonthlyStat.objects.create(
        enterprise=x, period="2024-03", output=D("1200"), output_prior=D("1000")
    )
    PeriodRelease.objects.create(period="2024-03", released_by=personas["analyst"])
    if name == "enterprises-api:monthly-stat-detail":
        return {"pk": stat.pk}
    if name in ("enterprises:mine", "enterprises-api:enterprise-list"):
        return {}
    if name == "enterprises-api:monthly-stat-list":
        return {}
    return {"pk": x.pk}


@pytest.mark.parametrize(("name", "method"), list(STATS_MATRIX))
def test_stats_permission_matrix(client, personas, name, method):
    wrong = check_matrix_row(
        client, personas, name, method, STATS_MATRIX[name, method], url_kwargs(name, personas)
    )
    assert wrong == []
