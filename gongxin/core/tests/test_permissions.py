"""Role × view matrix of the kernel's pages and API (every persona, every method)."""

from __future__ import annotations

import pytest

from gongxin.core import jobs
from gongxin.core.permissions_matrix import check_matrix_row

# persona order:                 anon sup lead repA repB ana entX entY sys sec aud
MATRIX = {
    ("core:home", "GET"):         "302 200 200 200 200 200 200 200 200 200 200",
    ("core:home", "POST"):        "405 405 405 405 405 405 405 405 405 405 405",
    ("core:job_list", "GET"):     "302 200 200 200 200 200 200 200 200 200 200",
    ("core:job_list", "POST"):    "405 405 405 405 405 405 405 405 405 405 405",
    ("core:job_detail", "GET"):   "302 200 404 404 404 404 404 404 404 404 404",
    ("core:job_detail", "HTMX"):  "302 200 404 404 404 404 404 404 404 404 404",
    ("core:job_detail", "POST"):  "405 405 405 405 405 405 405 405 405 405 405",
    ("core:audit_list", "GET"):   "302 403 403 403 403 403 403 403 403 403 200",
    ("core:audit_list", "EXPORT"): "302 403 403 403 403 403 403 403 403 403 200",
    ("core:audit_list", "POST"):  "405 405 405 405 405 405 405 405 405 405 405",
    ("core:audit_verify", "GET"): "302 403 403 403 403 403 403 403 403 403 200",
    ("core:audit_verify", "POST"): "405 405 405 405 405 405 405 405 405 405 405",
    ("api-schema", "GET"):        "302 200 200 200 200 200 200 200 200 403 403",
    ("api-schema", "POST"):       "302 405 405 405 405 405 405 405 405 403 403",
    ("api-docs", "GET"):          "302 200 200 200 200 200 200 200 200 403 403",
    ("api-docs", "POST"):         "302 405 405 405 405 405 405 405 405 403 403",
    ("api:me", "GET"):            "401 200 200 200 200 200 200 200 403 403 403",
    ("api:me", "POST"):           "401 405 405 405 405 405 405 405 403 403 403",
    ("api:unit-list", "GET"):     "401 200 200 200 200 200 200 200 403 403 403",
    ("api:unit-list", "POST"):    "401 405 405 405 405 405 405 405 403 403 403",
    ("api:unit-detail", "GET"):   "401 200 200 200 200 200 200 200 403 403 403",
    ("api:unit-detail", "POST"):  "401 405 405 405 405 405 405 405 403 403 403",
    ("api:job-list", "GET"):      "401 200 200 200 200 200 200 200 403 403 403",
    ("api:job-list", "POST"):     "401 405 405 405 405 405 405 405 403 403 403",
    ("api:job-detail", "GET"):    "401 200 404 404 404 404 404 404 403 403 403",
    ("api:job-detail", "POST"):   "401 405 405 405 405 405 405 405 403 403 403",
}  # fmt: skip


@jobs.handler("test.noop")
def _noop(job, ctx):
    return {}


def url_kwargs(name: str, personas) -> dict:
    if name in ("core:job_detail", "api:job-detail"):
        job = jobs.enqueue("test.noop", "测试任务", {}, personas["supervisor"])
        return {"pk": job.pk}
    if name == "api:unit-detail":
        return {"pk": personas.unit_a.pk}
    return {}


@pytest.mark.parametrize(("name", "method"), list(MATRIX))
def test_permission_matrix(client, personas, name, method):
    wrong = check_matrix_row(
        client, personas, name, method, MATRIX[name, method], url_kwargs(name, personas)
    )
    assert wrong == []
