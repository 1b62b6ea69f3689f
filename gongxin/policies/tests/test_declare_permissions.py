"""Role × view matrix of 企业在线申报: enterprise users declare their own figures (the
index and a clause's form, GET and POST); the analyst reads a clause's declarations;
nobody else reaches either. An empty POST re-renders the form with its errors (200)."""

from __future__ import annotations

import pytest

from gongxin.core.permissions_matrix import check_matrix_row
from gongxin.enterprises.models import EnterpriseFigure
from gongxin.policies.tests.test_declare import kmh_online

# persona order:                                    anon sup lead repA repB ana entX entY sys sec aud
DECLARE_MATRIX = {
    ("policies:declare_index", "GET"):              "302 403 403 403 403 403 200 200 403 403 403",
    ("policies:declare_index", "POST"):             "405 405 405 405 405 405 405 405 405 405 405",
    ("policies:declare", "GET"):                    "302 403 403 403 403 403 200 200 403 403 403",
    ("policies:declare", "POST"):                   "302 403 403 403 403 403 200 200 403 403 403",
    ("policies:clause_declarations", "GET"):        "302 403 403 403 403 200 403 403 403 403 403",
    ("policies:clause_declarations", "EXPORT"):     "302 403 403 403 403 200 403 403 403 403 403",
    ("policies:clause_declarations", "POST"):       "405 405 405 405 405 405 405 405 405 405 405",
}  # fmt: skip


def url_kwargs(name: str, personas) -> dict:
    clause = kmh_online(personas["analyst"])
    return {} if name == "policies:declare_index" else {"pk": clause.pk}


@pytest.mark.parametrize(("name", "method"), list(DECLARE_MATRIX))
def test_permission_matrix(client, personas, name, method):
    wrong = check_matrix_row(
        client, personas, name, method, DECLARE_MATRIX[name, method], url_kwargs(name, personas)
    )
    assert wrong == []
    assert not EnterpriseFigure.objects.exists()  # an empty POST writes nothing
