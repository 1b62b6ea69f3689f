"""Planner statistics after bulk writes.

PostgreSQL plans joins from table statistics that autovacuum refreshes only now and then;
right after a bulk import a table may still look empty and a join over it turns into a
nested loop over every row (seen here: one indicator query took minutes instead of
milliseconds). Importers that write many rows refresh the statistics of what they wrote.
ANALYZE may run inside a transaction and counts that transaction's own new rows.
"""

from __future__ import annotations

from django.db import connection, models


def refresh_statistics(*model_classes: type[models.Model]) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite plans these joins well without statistics
    with connection.cursor() as cursor:
        for model in model_classes:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
