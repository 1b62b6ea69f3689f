"""Role × view matrix of the policy editor: analysts only (views/editor.py says why)."""

from __future__ import annotations

from datetime import date

import pytest

from gongxin.core.permissions_matrix import check_matrix_row
from gongxin.policies import services

# persona order:                                anon sup lead repA repB ana entX entY sys sec aud
EDITOR_MATRIX = {
    ("policies:editor_index", "GET"):          "302 403 403 403 403 200 403 403 403 403 403",
    ("policies:editor_index", "POST"):         "405 405 405 405 405 405 405 405 405 405 405",
    ("policies:editor_policy_new", "GET"):     "302 403 403 403 403 200 403 403 403 403 403",
    ("policies:editor_policy_new", "POST"):    "302 403 403 403 403 200 403 403 403 403 403",
    ("policies:editor_policy_edit", "GET"):    "302 403 403 403 403 200 403 403 403 403 403",
    ("policies:editor_policy_edit", "POST"):   "302 403 403 403 403 200 403 403 403 403 403",
    ("policies:editor_clause_new", "GET"):     "302 403 403 403 403 200 403 403 403 403 403",
    ("policies:editor_clause_new", "POST"):    "302 403 403 403 403 200 403 403 403 403 403",
    ("policies:editor_clause_new", "HTMX-POST"): "302 403 403 403 403 200 403 403 403 403 403",
    ("policies:editor_clause_edit", "GET"):    "302 403 403 403 403 200 403 403 403 403 403",
    ("policies:editor_clause_edit", "POST"):   "302 403 403 403 403 200 403 403 403 403 403",
}  # fmt: skip


def url_kwargs(name: str) -> dict:
    """A policy with one clause; an empty POST is refused by the form (200, nothing saved)."""
    policy, _ = services.save_policy(
        None, {"code": "perm-2025", "title": "权限测试政策", "effective_from": date(2025, 1, 1)}
    )
    clause = services.save_clause(
        None,
        policy,
        services.ClauseSpec(
            code="c1",
            title="用地10亩以上",
            criteria={"all": [{"feature": "land_mu", "op": "ge", "value": 10, "unit": "亩"}]},
            provenances=["registry"],
        ),
    )
    if name == "policies:editor_clause_edit":
        return {"pk": policy.pk, "clause_pk": clause.pk}
    if name in ("policies:editor_policy_edit", "policies:editor_clause_new"):
        return {"pk": policy.pk}
    return {}


@pytest.mark.parametrize(("name", "method"), list(EDITOR_MATRIX))
def test_editor_permission_matrix(client, personas, name, method):
    wrong = check_matrix_row(
        client, personas, name, method, EDITOR_MATRIX[name, method], url_kwargs(name)
    )
    assert wrong == []
