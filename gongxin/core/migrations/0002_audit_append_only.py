"""On PostgreSQL, refuse UPDATE and DELETE of audit rows in the database itself.

TRUNCATE (used by Django's test flush) does not fire row triggers. SQLite gets no trigger:
its test flush deletes rows, and the ORM already refuses updates and deletes.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION gongxin_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '审计记录只能追加，不能修改或删除';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditevent_append_only
  BEFORE UPDATE OR DELETE ON core_auditevent
  FOR EACH ROW EXECUTE FUNCTION gongxin_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
DROP FUNCTION IF EXISTS gongxin_audit_append_only();
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = [CREATE] if vendor == "postgresql" else []
    for statement in statements:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = [DROP] if vendor == "postgresql" else []
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
