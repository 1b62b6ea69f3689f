"""Role × view matrix of the enterprise registry pages."""

from __future__ import annotations

import pytest

from gongxin.core.permissions_matrix import check_matrix_row
from gongxin.core.testing import USCC_X, USCC_Y
from gongxin.enterprises.models import Enterprise

# persona order:                          anon sup lead repA repB ana entX entY sys sec aud
MATRIX = {
    ("enterprises:list", "GET"):          "302 200 200 403 403 200 403 403 403 403 403",
    ("enterprises:list", "EXPORT"):       "302 200 200 403 403 200 403 403 403 403 403",
    ("enterprises:list", "HTMX"):         "302 200 200 403 403 200 403 403 403 403 403",
    ("enterprises:list", "POST"):         "405 405 405 405 405 405 405 405 405 405 405",
    ("enterprises:detail", "GET"):        "302 200 200 403 403 200 200 404 403 403 403",
    ("enterprises:detail", "POST"):       "405 405 405 405 405 405 405 405 405 405 405",
    ("enterprises:mine", "GET"):          "302 403 403 403 403 403 200 200 403 403 403",
    ("enterprises:mine", "POST"):         "405 405 405 405 405 405 405 405 405 405 405",
}  # fmt: skip


def url_kwargs(name: str, personas) -> dict:
    x = Enterprise.objects.create(uscc=USCC_X, name="青岛甲机械有限公司", industry_code="3442")
    Enterprise.objects.create(uscc=USCC_Y, name="青岛乙食品有限公司", industry_code="1311")
    if name == "enterprises:detail":
        return {"pk": x.pk}
    return {}


@pytest.mark.parametrize(("name", "method"), list(MATRIX))
def test_permission_matrix(client, personas, name, method):
    wrong = check_matrix_row(
        client, personas, name, method, MATRIX[name, method], url_kwargs(name, personas)
    )
    assert wrong == []
