"""Role × view matrix of the import pages (units importer: system administrator only)."""

from __future__ import annotations

import io

import openpyxl
import pytest

from gongxin.core.imports import services
from gongxin.core.permissions_matrix import check_matrix_row

# persona order:                      anon sup lead repA repB ana entX entY sys sec aud
IMPORTS_MATRIX = {
    ("imports:index", "GET"):          "302 200 403 403 403 200 403 403 200 403 403",
    ("imports:index", "POST"):         "405 405 405 405 405 405 405 405 405 405 405",
    ("imports:upload", "GET"):         "302 403 403 403 403 403 403 403 200 403 403",
    ("imports:upload", "POST"):        "302 403 403 403 403 403 403 403 200 403 403",
    ("imports:template", "GET"):       "302 403 403 403 403 403 403 403 200 403 403",
    ("imports:template", "POST"):      "405 405 405 405 405 405 405 405 405 405 405",
    ("imports:preview", "GET"):        "302 404 404 404 404 404 404 404 200 404 404",
    ("imports:preview", "POST"):       "405 405 405 405 405 405 405 405 405 405 405",
    ("imports:commit", "GET"):         "405 405 405 405 405 405 405 405 405 405 405",
    ("imports:commit", "POST"):        "302 404 404 404 404 404 404 404 302 404 404",
}  # fmt: skip


def url_kwargs(name: str, personas) -> dict:
    if name in ("imports:upload", "imports:template"):
        return {"slug": "units"}
    if name in ("imports:preview", "imports:commit"):
        book = openpyxl.Workbook()
        book.active.append(["单位名称"])
        book.active.append(["矩阵测试单位"])
        buffer = io.BytesIO()
        book.save(buffer)
        user = personas["sysadmin"]
        stored = services.store_file(user, "单位.xlsx", buffer.getvalue())
        return {"pk": services.preview(user, stored, "units").pk}
    return {}


@pytest.mark.parametrize(("name", "method"), list(IMPORTS_MATRIX))
def test_import_permission_matrix(client, personas, name, method):
    wrong = check_matrix_row(
        client, personas, name, method, IMPORTS_MATRIX[name, method], url_kwargs(name, personas)
    )
    assert wrong == []
