"""Role × view matrix of the 兑现 ledger and the 免申即享 batch pages.

The analyst decides and documents (batches, grants by hand, payments); the supervisor and
the leader read; an enterprise reads its own grants only (another's is 404); reporters and
the three administrators get nothing. POSTs are empty: a manager's empty POST is refused
by the service (a re-shown form, or a redirect with the message) and changes nothing.
"""

from __future__ import annotations

import pytest

from gongxin.core.models import AuditEvent
from gongxin.core.permissions_matrix import check_matrix_row
from gongxin.core.testing import USCC_X, USCC_Y
from gongxin.policies import ledger
from gongxin.policies.models import Grant, GrantBatch, Payment
from gongxin.policies.tests.test_ledger import ledger_world

# persona order:                              anon sup lead repA repB ana entX entY sys sec aud
LEDGER_MATRIX = {
    ("policies:ledger", "GET"):               "302 200 200 403 403 200 403 403 403 403 403",
    ("policies:ledger", "EXPORT"):            "302 200 200 403 403 200 403 403 403 403 403",
    ("policies:ledger", "POST"):              "405 405 405 405 405 405 405 405 405 405 405",
    ("policies:ledger_mine", "GET"):          "302 403 403 403 403 403 200 200 403 403 403",
    ("policies:ledger_mine", "POST"):         "405 405 405 405 405 405 405 405 405 405 405",
    ("policies:grant_new", "GET"):            "302 403 403 403 403 200 403 403 403 403 403",
    ("policies:grant_new", "POST"):           "302 403 403 403 403 200 403 403 403 403 403",
    ("policies:grant_detail", "GET"):         "302 200 200 403 403 200 200 404 403 403 403",
    ("policies:grant_detail", "POST"):        "405 405 405 405 405 405 405 405 405 405 405",
    ("policies:payment_new", "GET"):          "302 403 403 403 403 200 403 403 403 403 403",
    ("policies:payment_new", "POST"):         "302 403 403 403 403 200 403 403 403 403 403",
    ("policies:batch_list", "GET"):           "302 200 200 403 403 200 403 403 403 403 403",
    ("policies:batch_list", "POST"):          "405 405 405 405 405 405 405 405 405 405 405",
    ("policies:batch_propose", "GET"):        "405 405 405 405 405 405 405 405 405 405 405",
    ("policies:batch_propose", "POST"):       "302 403 403 403 403 302 403 403 403 403 403",
    ("policies:batch_detail", "GET"):         "302 200 200 403 403 200 403 403 403 403 403",
    ("policies:batch_detail", "POST"):        "405 405 405 405 405 405 405 405 405 405 405",
    ("policies:batch_approve", "GET"):        "405 405 405 405 405 405 405 405 405 405 405",
    ("policies:batch_approve", "POST"):       "302 403 403 403 403 302 403 403 403 403 403",
    ("policies:batch_cancel", "GET"):         "405 405 405 405 405 405 405 405 405 405 405",
    ("policies:batch_cancel", "POST"):        "302 403 403 403 403 302 403 403 403 403 403",
}  # fmt: skip


def url_kwargs(name: str, personas) -> dict:
    """Enterprise X (甲) holds an approved grant paid in part; a second batch is a draft."""
    rate_clause, firms = ledger_world({"甲": USCC_X, "乙": USCC_Y})
    analyst = personas["analyst"]
    approved = ledger.propose_batch(analyst, rate_clause)
    grant = ledger.approve_batch(analyst, approved, {firms["甲"].pk: "30"}, approved.version)[0]
    draft = ledger.propose_batch(analyst, rate_clause)
    if name in ("policies:grant_detail", "policies:payment_new"):
        return {"pk": grant.pk}
    if name in ("policies:batch_detail", "policies:batch_approve", "policies:batch_cancel"):
        return {"pk": draft.pk}
    return {}


@pytest.mark.parametrize(("name", "method"), list(LEDGER_MATRIX))
def test_permission_matrix(client, personas, name, method):
    kwargs = url_kwargs(name, personas)
    before = (Grant.objects.count(), Payment.objects.count(), GrantBatch.objects.count())
    writes = AuditEvent.objects.filter(action__startswith="policy.").count()
    wrong = check_matrix_row(client, personas, name, method, LEDGER_MATRIX[name, method], kwargs)
    assert wrong == []
    # No persona's empty request changed the ledger (logins and exports are audited too).
    assert (Grant.objects.count(), Payment.objects.count(), GrantBatch.objects.count()) == before
    assert AuditEvent.objects.filter(action__startswith="policy.").count() == writes
