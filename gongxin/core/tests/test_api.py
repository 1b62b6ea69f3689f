"""The REST API: session auth for the browser, token auth for integrations, same scopes."""

from __future__ import annotations

from django.urls import reverse
from rest_framework.authtoken.models import Token

from gongxin.core import audit
from gongxin.core.models import AuditEvent


def test_an_integration_calls_the_api_with_a_token_issued_by_the_system_administrator(
    client, client_for, personas
):
    admin = client_for("sysadmin")
    page = admin.post(
        reverse("accounts:token_list"), {"user": personas["analyst"].pk, "action": "issue"}
    )
    key = Token.objects.get(user=personas["analyst"]).key
    assert key in page.content.decode()
    assert AuditEvent.objects.filter(
        action="token.issue", object_id=str(personas["analyst"].pk)
    ).exists()
    admin.logout()

    response = client.get("/api/me/", headers={"Authorization": f"Token {key}"})
    assert response.status_code == 200
    assert response.json()["username"] == "analyst"
    units = client.get("/api/units/", headers={"Authorization": f"Token {key}"}).json()
    assert {u["name"] for u in units["results"]} >= {"区工业和信息化局", "区发展和改革局"}


def test_a_revoked_or_wrong_token_is_refused(client, client_for, personas):
    token = Token.objects.create(user=personas["analyst"])
    client_for("sysadmin").post(
        reverse("accounts:token_list"), {"user": personas["analyst"].pk, "action": "revoke"}
    )
    client.logout()
    assert (
        client.get("/api/me/", headers={"Authorization": f"Token {token.key}"}).status_code == 401
    )
    assert client.get("/api/me/", headers={"Authorization": "Token nonsense"}).status_code == 401


def test_a_token_of_an_administrator_reaches_no_business_data(client, personas):
    token = Token.objects.create(user=personas["sysadmin"])
    assert (
        client.get("/api/units/", headers={"Authorization": f"Token {token.key}"}).status_code
        == 403
    )


def test_jobs_in_the_api_are_only_the_callers_own(client_for, personas):
    from gongxin.core import jobs
    from gongxin.core.tests.test_jobs import create_units  # noqa: F401  (registers the handler)

    mine = jobs.enqueue("test.create_units", "创建单位", {"names": []}, personas["analyst"])
    jobs.enqueue("test.create_units", "创建单位", {"names": []}, personas["supervisor"])
    listed = client_for("analyst").get("/api/jobs/").json()["results"]
    assert [j["id"] for j in listed] == [mine.pk]


def test_the_schema_and_its_docs_page_are_served_without_a_cdn(client_for):
    client = client_for("supervisor")
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/units/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "http://" not in docs.replace("http://testserver", "") and "https://" not in docs
    assert "drf_spectacular_sidecar" in docs


def test_audit_json_text_is_readable():
    assert audit.json_text({"名称": "工信局"}) == '{"名称": "工信局"}'
