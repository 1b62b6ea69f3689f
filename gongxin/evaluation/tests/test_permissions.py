"""Role × view matrix of the evaluation pages: bureau readers (supervisor, leader,
analyst) read schemes and runs, only the analyst computes, edits and copies schemes,
publishes, exports and resolves objections; an enterprise reads its own card and result
(another enterprise's result is 404) and may object; reporters and the three
administrators see nothing.
梯度培育: bureau readers read the candidate lists, details and reviews, only the analyst
exports; an enterprise reads its own results (another enterprise's detail is 404)."""

from __future__ import annotations

import pytest

from gongxin.core.permissions_matrix import check_matrix_row
from gongxin.core.testing import USCC_X
from gongxin.evaluation import services
from gongxin.evaluation.tests.test_pages import evaluated_run

# persona order:                                   anon sup lead repA repB ana entX entY sys sec aud
EVALUATION_MATRIX = {
    ("evaluation:scheme_list", "GET"):             "302 200 200 403 403 200 403 403 403 403 403",
    ("evaluation:scheme_list", "POST"):            "405 405 405 405 405 405 405 405 405 405 405",
    ("evaluation:scheme_detail", "GET"):           "302 200 200 403 403 200 403 403 403 403 403",
    ("evaluation:scheme_detail", "POST"):          "405 405 405 405 405 405 405 405 405 405 405",
    ("evaluation:scheme_run", "GET"):              "405 405 405 405 405 405 405 405 405 405 405",
    ("evaluation:scheme_run", "POST"):             "302 403 403 403 403 302 403 403 403 403 403",
    ("evaluation:scheme_edit", "GET"):             "302 403 403 403 403 200 403 403 403 403 403",
    ("evaluation:scheme_edit", "POST"):            "302 403 403 403 403 200 403 403 403 403 403",
    ("evaluation:scheme_copy", "GET"):             "302 403 403 403 403 200 403 403 403 403 403",
    ("evaluation:scheme_copy", "POST"):            "302 403 403 403 403 200 403 403 403 403 403",
    ("evaluation:run_detail", "GET"):              "302 200 200 403 403 200 403 403 403 403 403",
    ("evaluation:run_detail", "HTMX"):             "302 200 200 403 403 200 403 403 403 403 403",
    ("evaluation:run_detail", "EXPORT"):           "302 403 403 403 403 200 403 403 403 403 403",
    ("evaluation:run_detail", "POST"):             "405 405 405 405 405 405 405 405 405 405 405",
    ("evaluation:run_notice", "GET"):              "405 405 405 405 405 405 405 405 405 405 405",
    ("evaluation:run_notice", "POST"):             "302 403 403 403 403 302 403 403 403 403 403",
    ("evaluation:run_finalize", "GET"):            "405 405 405 405 405 405 405 405 405 405 405",
    ("evaluation:run_finalize", "POST"):           "302 403 403 403 403 302 403 403 403 403 403",
    ("evaluation:result_detail", "GET"):           "302 200 200 403 403 200 200 404 403 403 403",
    ("evaluation:result_detail", "POST"):          "405 405 405 405 405 405 405 405 405 405 405",
    ("evaluation:objection_new", "GET"):           "405 405 405 405 405 405 405 405 405 405 405",
    ("evaluation:objection_new", "POST"):          "302 403 403 403 403 302 302 404 403 403 403",
    ("evaluation:objection_resolve", "GET"):       "405 405 405 405 405 405 405 405 405 405 405",
    ("evaluation:objection_resolve", "POST"):      "302 403 403 403 403 302 403 403 403 403 403",
    ("evaluation:card", "GET"):                    "302 403 403 403 403 403 200 200 403 403 403",
    ("evaluation:card", "POST"):                   "405 405 405 405 405 405 405 405 405 405 405",
    # 梯度培育: bureau readers read, only the analyst exports; an enterprise its own results
    ("evaluation:cultivation_index", "GET"):       "302 302 302 403 403 302 403 403 403 403 403",
    ("evaluation:cultivation_index", "POST"):      "405 405 405 405 405 405 405 405 405 405 405",
    ("evaluation:cultivation_list", "GET"):        "302 200 200 403 403 200 403 403 403 403 403",
    ("evaluation:cultivation_list", "EXPORT"):     "302 403 403 403 403 200 403 403 403 403 403",
    ("evaluation:cultivation_list", "POST"):       "405 405 405 405 405 405 405 405 405 405 405",
    ("evaluation:cultivation_detail", "GET"):      "302 200 200 403 403 200 200 404 403 403 403",
    ("evaluation:cultivation_detail", "POST"):     "405 405 405 405 405 405 405 405 405 405 405",
    ("evaluation:cultivation_review", "GET"):      "302 200 200 403 403 200 403 403 403 403 403",
    ("evaluation:cultivation_review", "POST"):     "405 405 405 405 405 405 405 405 405 405 405",
    ("evaluation:cultivation_mine", "GET"):        "302 403 403 403 403 403 200 200 403 403 403",
    ("evaluation:cultivation_mine", "POST"):       "405 405 405 405 405 405 405 405 405 405 405",
}  # fmt: skip


def url_kwargs(name: str, personas) -> dict:
    run = evaluated_run(personas["analyst"])
    result = run.results.get(enterprise__uscc=USCC_X)
    if name.startswith("evaluation:scheme_") and name != "evaluation:scheme_list":
        return {"pk": run.scheme_id}
    if name in ("evaluation:run_detail", "evaluation:run_notice", "evaluation:run_finalize"):
        return {"pk": run.pk}
    if name in ("evaluation:result_detail", "evaluation:objection_new"):
        return {"pk": run.pk, "result_id": result.pk}
    if name == "evaluation:cultivation_list":
        return {"tier": "srdi"}
    if name == "evaluation:cultivation_detail":
        return {"tier": "srdi", "pk": result.enterprise_id}
    if name == "evaluation:objection_resolve":
        objection = services.submit_objection(
            personas["enterprise_x"], result, "税金漏报", "完税证明"
        )
        return {"pk": objection.pk}
    return {}


@pytest.mark.parametrize(("name", "method"), list(EVALUATION_MATRIX))
def test_permission_matrix(client, personas, name, method):
    wrong = check_matrix_row(
        client, personas, name, method, EVALUATION_MATRIX[name, method], url_kwargs(name, personas)
    )
    assert wrong == []


def test_only_the_analyst_changes_anything(client_for, personas):
    """The refused POSTs leave the run as it was (the matrix checks the status codes)."""
    from django.urls import reverse

    run = evaluated_run(personas["analyst"])
    for persona in ("supervisor", "leader", "enterprise_x", "reporter_a"):
        client = client_for(persona)
        client.post(reverse("evaluation:run_finalize", args=[run.pk]))
        client.post(reverse("evaluation:scheme_run", args=[run.scheme_id]))
    run.refresh_from_db()
    assert run.status == "notice" and run.scheme.runs.count() == 1
