"""The derived tables, functions and triggers, one object per file under sql/, as the database has them.

sql/tables/: each derived table (`CREATE … IF NOT EXISTS`, so running it again changes nothing);
sql/functions/: each function (`CREATE OR REPLACE FUNCTION`, as pg_get_functiondef prints it);
sql/triggers/: each trigger (`CREATE OR REPLACE TRIGGER`, as pg_get_triggerdef prints it).
A migration that changes one of them edits the file and runs `recreate_sql()` (migration 0021 is the
first); tests/test_derived_sql.py checks pg_proc and pg_trigger against the files.
"""

from __future__ import annotations

from pathlib import Path

SQL_ROOT = Path(__file__).resolve().parent / "sql"
KINDS = ("tables", "functions", "triggers")  # the order they are created in


def definitions(kind: str) -> dict[str, str]:
    """{object name: its SQL} for one kind, by file name."""
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted((SQL_ROOT / kind).glob("*.sql"))}


# Materialized views are not re-created here: `IF NOT EXISTS` would keep an older view's columns and
# then fail on the file's indexes. The migrations that change one drop it and create it from its file
# (0023, 0026).
MATERIALIZED_VIEWS = ("archive_vocabulary",)


def recreate_sql() -> str:
    """Every derived table (if missing), function and trigger, from the files, in dependency order."""
    return "\n".join(
        sql
        for kind in KINDS
        for name, sql in definitions(kind).items()
        if not (kind == "tables" and name in MATERIALIZED_VIEWS)
    )
