"""Role × view matrix of sign-in, own password, and the administrators' pages."""

from __future__ import annotations

import pytest

from gongxin.accounts import services
from gongxin.accounts.choices import Role
from gongxin.accounts.models import UnitAlias
from gongxin.core.permissions_matrix import check_matrix_row

# persona order:                                  anon sup lead repA repB ana entX entY sys sec aud
MATRIX = {
    ("accounts:login", "GET"):                    "200 302 302 302 302 302 302 302 302 302 302",
    ("accounts:login", "POST"):                   "200 302 302 302 302 302 302 302 302 302 302",
    ("accounts:logout", "GET"):                   "405 405 405 405 405 405 405 405 405 405 405",
    ("accounts:logout", "POST"):                  "302 302 302 302 302 302 302 302 302 302 302",
    ("accounts:password_change", "GET"):          "302 200 200 200 200 200 200 200 200 200 200",
    ("accounts:password_change", "POST"):         "302 200 200 200 200 200 200 200 200 200 200",
    ("accounts:user_list", "GET"):                "302 403 403 403 403 403 403 403 200 403 403",
    ("accounts:user_list", "EXPORT"):             "302 403 403 403 403 403 403 403 200 403 403",
    ("accounts:user_list", "POST"):               "405 405 405 405 405 405 405 405 405 405 405",
    ("accounts:user_create", "GET"):              "302 403 403 403 403 403 403 403 200 403 403",
    ("accounts:user_create", "POST"):             "302 403 403 403 403 403 403 403 200 403 403",
    ("accounts:user_edit", "GET"):                "302 403 403 403 403 403 403 403 200 403 403",
    ("accounts:user_edit", "POST"):               "302 403 403 403 403 403 403 403 200 403 403",
    ("accounts:user_reset_password", "GET"):      "405 405 405 405 405 405 405 405 405 405 405",
    ("accounts:user_reset_password", "POST"):     "302 403 403 403 403 403 403 403 200 403 403",
    ("accounts:user_totp_reset", "GET"):          "405 405 405 405 405 405 405 405 405 405 405",
    ("accounts:user_totp_reset", "POST"):         "302 403 403 403 403 403 403 403 200 403 403",
    ("accounts:user_unlock", "GET"):              "405 405 405 405 405 405 405 405 405 405 405",
    ("accounts:user_unlock", "POST"):             "302 403 403 403 403 403 403 403 302 302 403",
    ("accounts:unit_list", "GET"):                "302 403 403 403 403 403 403 403 200 403 403",
    ("accounts:unit_list", "EXPORT"):             "302 403 403 403 403 403 403 403 200 403 403",
    ("accounts:unit_list", "POST"):               "405 405 405 405 405 405 405 405 405 405 405",
    ("accounts:unit_create", "GET"):              "302 403 403 403 403 403 403 403 200 403 403",
    ("accounts:unit_create", "POST"):             "302 403 403 403 403 403 403 403 200 403 403",
    ("accounts:unit_edit", "GET"):                "302 403 403 403 403 403 403 403 200 403 403",
    ("accounts:unit_edit", "POST"):               "302 403 403 403 403 403 403 403 200 403 403",
    ("accounts:alias_add", "GET"):                "405 405 405 405 405 405 405 405 405 405 405",
    ("accounts:alias_add", "POST"):               "302 403 403 403 403 403 403 403 302 403 403",
    ("accounts:alias_add", "HTMX-POST"):          "302 403 403 403 403 403 403 403 200 403 403",
    ("accounts:alias_remove", "GET"):             "405 405 405 405 405 405 405 405 405 405 405",
    ("accounts:alias_remove", "POST"):            "302 403 403 403 403 403 403 403 302 403 403",
    ("accounts:leader_list", "GET"):              "302 403 403 403 403 403 403 403 200 403 403",
    ("accounts:leader_list", "POST"):             "302 403 403 403 403 403 403 403 200 403 403",
    ("accounts:token_list", "GET"):               "302 403 403 403 403 403 403 403 200 403 403",
    ("accounts:token_list", "POST"):              "302 403 403 403 403 403 403 403 404 403 403",
    ("accounts:lockout_list", "GET"):             "302 403 403 403 403 403 403 403 200 200 403",
    ("accounts:lockout_list", "POST"):            "405 405 405 405 405 405 405 405 405 405 405",
    ("accounts:security_settings", "GET"):        "302 403 403 403 403 403 403 403 403 200 403",
    ("accounts:security_settings", "POST"):       "405 405 405 405 405 405 405 405 405 405 405",
}  # fmt: skip


def url_kwargs(name: str, personas) -> dict:
    if name in ("accounts:user_edit", "accounts:user_reset_password", "accounts:user_unlock"):
        return {"pk": personas["reporter_a"].pk}
    if name == "accounts:user_totp_reset":
        spare, _ = services.create_user(
            None, username="sys2", role=Role.SYSADMIN, password="Gx-spare-2026!"
        )
        return {"pk": spare.pk}
    if name in ("accounts:unit_edit", "accounts:alias_add"):
        return {"pk": personas.unit_a.pk}
    if name == "accounts:alias_remove":
        return {"pk": UnitAlias.objects.create(unit=personas.unit_a, alias="工信局").pk}
    return {}


@pytest.mark.parametrize(("name", "method"), list(MATRIX))
def test_permission_matrix(client, personas, name, method):
    wrong = check_matrix_row(
        client, personas, name, method, MATRIX[name, method], url_kwargs(name, personas)
    )
    assert wrong == []
