"""Role × view matrix of the monitoring pages (one released month of the reference panel)."""

from __future__ import annotations

import pytest

from gongxin.analytics.testing import build_reference_panel
from gongxin.core.permissions_matrix import check_matrix_row
from gongxin.monitoring import services

# persona order:                          anon sup lead repA repB ana entX entY sys sec aud
MATRIX = {
    ("monitoring:dashboard", "GET"):      "302 200 200 403 403 200 403 403 403 403 403",
    ("monitoring:dashboard", "POST"):     "405 405 405 405 405 405 405 405 405 405 405",
    ("monitoring:brief_docx", "GET"):     "302 403 403 403 403 200 403 403 403 403 403",
    ("monitoring:brief_docx", "POST"):    "405 405 405 405 405 405 405 405 405 405 405",
    ("monitoring:release", "GET"):        "405 405 405 405 405 405 405 405 405 405 405",
    ("monitoring:release", "POST"):       "302 403 403 403 403 302 403 403 403 403 403",
    ("monitoring:drilldown", "GET"):      "302 403 200 403 403 200 403 403 403 403 403",
    ("monitoring:drilldown", "POST"):     "302 403 200 403 403 403 403 403 403 403 403",
    ("monitoring:custom_list", "GET"):    "302 403 403 403 403 200 403 403 403 403 403",
    ("monitoring:custom_list", "POST"):   "302 403 403 403 403 200 403 403 403 403 403",
}  # fmt: skip


@pytest.mark.parametrize(("name", "method"), list(MATRIX))
def test_permission_matrix(client, personas, name, method):
    build_reference_panel()
    services.release_period(personas["analyst"], "2024-03")
    kwargs = {"by": "section", "group": "C"} if name == "monitoring:drilldown" else {}
    assert check_matrix_row(client, personas, name, method, MATRIX[name, method], kwargs) == []
