"""Role × view matrix of the policies pages: library, match lists, pushes, re-matching
(bureau staff) and the enterprise's inbox (enterprise users only)."""

from __future__ import annotations

import pytest

from gongxin.core.permissions_matrix import check_matrix_row
from gongxin.core.testing import USCC_X
from gongxin.policies.models import Match
from gongxin.policies.tests.test_library import kmh_matches

# persona order:                                anon sup lead repA repB ana entX entY sys sec aud
LIBRARY_MATRIX = {
    ("policies:library", "GET"):                "302 200 200 403 403 200 403 403 403 403 403",
    ("policies:library", "EXPORT"):             "302 200 200 403 403 200 403 403 403 403 403",
    ("policies:library", "HTMX"):               "302 200 200 403 403 200 403 403 403 403 403",
    ("policies:library", "POST"):               "405 405 405 405 405 405 405 405 405 405 405",
    ("policies:policy_detail", "GET"):          "302 200 200 403 403 200 403 403 403 403 403",
    ("policies:policy_detail", "POST"):         "405 405 405 405 405 405 405 405 405 405 405",
    ("policies:policy_rematch", "GET"):         "405 405 405 405 405 405 405 405 405 405 405",
    ("policies:policy_rematch", "POST"):        "302 403 403 403 403 302 403 403 403 403 403",
    ("policies:clause_matches", "GET"):         "302 200 200 403 403 200 403 403 403 403 403",
    ("policies:clause_matches", "EXPORT"):      "302 200 200 403 403 200 403 403 403 403 403",
    ("policies:clause_matches", "HTMX"):        "302 200 200 403 403 200 403 403 403 403 403",
    ("policies:clause_matches", "POST"):        "405 405 405 405 405 405 405 405 405 405 405",
    ("policies:clause_push", "GET"):            "405 405 405 405 405 405 405 405 405 405 405",
    ("policies:clause_push", "POST"):           "302 302 403 403 403 302 403 403 403 403 403",
    ("policies:match_push", "GET"):             "405 405 405 405 405 405 405 405 405 405 405",
    ("policies:match_push", "POST"):            "302 302 403 403 403 302 403 403 403 403 403",
    ("policies:inbox", "GET"):                  "302 403 403 403 403 403 200 200 403 403 403",
    ("policies:inbox", "POST"):                 "405 405 405 405 405 405 405 405 405 405 405",
}  # fmt: skip


def url_kwargs(name: str, personas) -> dict:
    clause = kmh_matches(personas["analyst"])
    if name in ("policies:policy_detail", "policies:policy_rematch"):
        return {"pk": clause.policy_id}
    if name in ("policies:clause_matches", "policies:clause_push"):
        return {"pk": clause.pk}
    if name == "policies:match_push":
        return {"pk": Match.objects.get(clause=clause, enterprise__uscc=USCC_X).pk}
    return {}


@pytest.mark.parametrize(("name", "method"), list(LIBRARY_MATRIX))
def test_permission_matrix(client, personas, name, method):
    wrong = check_matrix_row(
        client, personas, name, method, LIBRARY_MATRIX[name, method], url_kwargs(name, personas)
    )
    assert wrong == []
