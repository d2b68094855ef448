"""Bulk inserts through PostgreSQL's COPY: several times faster than INSERT for whole collections."""

from __future__ import annotations

from django.db import connection


def reserve_ids(model, count: int) -> list[int]:
    """Take `count` primary keys from the model's sequence, so COPY can write them itself."""
    if not count:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
        )
        return [row[0] for row in cursor.fetchall()]


def copy_rows(table: str, columns: list[str], rows) -> None:
    """COPY plain tuples into `table` (columns left out take their defaults, e.g. a serial id)."""
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        with cursor.connection.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
