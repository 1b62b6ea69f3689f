"""The audit trail: same transaction as the change, one row per object, append-only, chained."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from gongxin.accounts import services
from gongxin.accounts.models import Unit, User
from gongxin.core import audit
from gongxin.core.models import AuditEvent


def test_a_change_is_recorded_with_before_and_after(personas):
    unit = personas.unit_a
    services.update_unit(personas["sysadmin"], unit, short_name="新区工信局")
    event = AuditEvent.objects.get(action="unit.update")
    assert event.actor_username == "sysadmin"
    assert event.actor_role == "sysadmin"
    assert event.before == {"short_name": "工信局"}
    assert event.after == {"short_name": "新区工信局"}
    assert event.object_type == "accounts.unit"
    assert event.object_id == str(unit.pk)


def test_when_the_audit_write_fails_the_change_is_rolled_back(personas, monkeypatch):
    units_before = Unit.objects.count()
    events_before = AuditEvent.objects.count()

    def broken_bulk_create(*args, **kwargs):
        raise DatabaseError("audit storage unavailable")

    monkeypatch.setattr(AuditEvent.objects, "bulk_create", broken_bulk_create)
    with pytest.raises(DatabaseError):
        services.create_unit(personas["sysadmin"], name="区财政局")
    assert Unit.objects.count() == units_before
    assert not Unit.objects.filter(name="区财政局").exists()
    assert AuditEvent.objects.count() == events_before


def test_a_failed_audit_write_also_rolls_back_an_update(personas, monkeypatch):
    unit = personas.unit_a
    monkeypatch.setattr(audit, "chain_hash", lambda *a: (_ for _ in ()).throw(DatabaseError("x")))
    with pytest.raises(DatabaseError):
        services.update_unit(personas["sysadmin"], unit, short_name="改名")
    unit.refresh_from_db()
    assert unit.short_name == "工信局"
    assert unit.version == 1


def test_a_bulk_change_writes_one_audit_row_per_changed_object(personas):
    reporters = [personas["reporter_a"], personas["reporter_b"], personas["analyst"]]
    User.objects.filter(pk=personas["analyst"].pk).update(is_active=False)  # already inactive
    changed = services.set_users_active(personas["sysadmin"], reporters, False)
    assert changed == 2
    rows = AuditEvent.objects.filter(action="user.deactivate")
    assert sorted(rows.values_list("object_id", flat=True)) == sorted(
        [str(personas["reporter_a"].pk), str(personas["reporter_b"].pk)]
    )
    assert all(r.before == {"is_active": True} and r.after == {"is_active": False} for r in rows)


def test_audit_rows_cannot_be_changed_or_deleted_through_the_orm(personas):
    services.create_unit(personas["sysadmin"], name="区财政局")
    event = AuditEvent.objects.get(action="unit.create")
    event.reason = "篡改"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="篡改")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_the_database_refuses_raw_updates_on_postgresql_and_the_chain_shows_tampering(personas):
    services.create_unit(personas["sysadmin"], name="区财政局")
    services.create_unit(personas["sysadmin"], name="区教育和体育局")
    assert audit.verify_chain() == (AuditEvent.objects.count(), None)
    target = AuditEvent.objects.order_by("id").first()
    if connection.vendor == "postgresql":
        with (
            pytest.raises(DatabaseError, match="只能追加"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("UPDATE core_auditevent SET reason = 'x' WHERE id = %s", [target.pk])
    else:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE core_auditevent SET reason = 'x' WHERE id = %s", [target.pk])
        checked, broken = audit.verify_chain()
        assert broken is not None and broken.pk == target.pk and checked == 0


def test_the_chain_links_each_row_to_the_previous(personas):
    services.create_unit(personas["sysadmin"], name="区财政局")
    services.create_unit(personas["sysadmin"], name="区教育和体育局")
    first, second = AuditEvent.objects.order_by("id")
    assert first.prev_hash == audit.GENESIS
    assert second.prev_hash == first.hash
    assert second.hash == audit.chain_hash(first.hash, second)


def test_audit_must_run_inside_the_transaction_of_the_change(transactional_db, personas):
    with pytest.raises(RuntimeError):
        audit.record(personas["sysadmin"], "unit.update", personas.unit_a)


def test_the_audit_administrator_reads_filters_and_exports_but_cannot_change(client_for, personas):
    services.create_unit(personas["sysadmin"], name="区财政局")
    client = client_for("auditadmin")
    page = client.get(reverse("core:audit_list"), {"action": "unit.create"})
    assert page.status_code == 200
    assert "区财政局" in page.content.decode()
    export = client.get(reverse("core:audit_list"), {"action": "unit.create", "export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEvent.objects.filter(action="export.xlsx", actor_username="auditadmin").exists()
    assert client.post(reverse("core:audit_list"), {"reason": "x"}).status_code == 405
    assert client.get(reverse("core:audit_verify")).status_code == 200


@pytest.mark.parametrize(
    "persona", ["sysadmin", "secadmin", "supervisor", "analyst", "enterprise_x"]
)
def test_no_one_but_the_audit_administrator_reads_the_audit_trail(client_for, personas, persona):
    services.create_unit(personas["sysadmin"], name="区财政局")
    assert client_for(persona).get(reverse("core:audit_list")).status_code == 403
    assert AuditEvent.objects.restrict(personas[persona], "view").count() == 0
    assert AuditEvent.objects.restrict(personas["auditadmin"], "view").count() > 0
