"""archive/derived/sql/ holds the definition of every derived table, function and trigger the database has."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Sum

from archive.derived.sql_files import SQL_ROOT, definitions
from archive.models import Article, BrowseState, DayCount, FacetGroup
from tests.factories import make_article

pytestmark = pytest.mark.django_db

OWN_FUNCTIONS = """
    SELECT p.proname, pg_get_functiondef(p.oid) FROM pg_proc p
    JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'public'
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
"""
OWN_TRIGGERS = """
    SELECT t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t
    JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND NOT t.tgisinternal
"""


def _rows(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _statement(text: str) -> str:
    return text.strip().removesuffix(";").strip()


def test_every_function_is_its_file():
    live = dict(_rows(OWN_FUNCTIONS))
    files = definitions("functions")
    assert sorted(live) == sorted(files)
    for name, definition in live.items():
        assert _statement(definition) == _statement(files[name]), f"{name} differs from its file"


def test_every_trigger_is_its_file():
    live = dict(_rows(OWN_TRIGGERS))
    files = definitions("triggers")
    assert sorted(live) == sorted(files)
    for name, definition in live.items():
        expected = _statement(files[name]).replace("CREATE OR REPLACE TRIGGER ", "CREATE TRIGGER ", 1)
        assert definition == expected, f"{name} differs from its file"


COLUMNS = """
    SELECT column_name, data_type, is_nullable, column_default, is_identity
    FROM information_schema.columns WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position
"""
INDEXES = (
    "SELECT indexname, replace(indexdef, %s, '') FROM pg_indexes WHERE schemaname = %s AND tablename = %s"
)


def _shape(schema: str, table: str) -> tuple[list, list]:
    return _rows(COLUMNS, [schema, table]), sorted(_rows(INDEXES, [f"{schema}.", schema, table]))


@pytest.mark.parametrize("table", sorted(set(definitions("tables")) - {"archive_article_rollups"}))
def test_every_derived_table_is_its_file(table):
    """The file, run in an empty schema, makes the same columns and indexes as the live table."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA derived_check")
        cursor.execute("SET LOCAL search_path = derived_check, public")
        cursor.execute(definitions("tables")[table])
        cursor.execute("SET LOCAL search_path = public")
    if table == "archive_vocabulary":  # a materialized view: information_schema lists no columns
        live = _rows(
            "SELECT attname, atttypid::regtype::text FROM pg_attribute WHERE attrelid = %s::regclass "
            "AND attnum > 0 ORDER BY attnum",
            [f"public.{table}"],
        )
        made = _rows(
            "SELECT attname, atttypid::regtype::text FROM pg_attribute WHERE attrelid = %s::regclass "
            "AND attnum > 0 ORDER BY attnum",
            [f"derived_check.{table}"],
        )
        assert live == made
        assert _shape("public", table)[1] == _shape("derived_check", table)[1]
        return
    assert _shape("derived_check", table) == _shape("public", table)


def test_the_articles_derived_columns_are_their_file():
    text = definitions("tables")["archive_article_rollups"]
    for column in ("rollup_place_ids", "rollup_topic_ids", "facet_group_id"):
        assert f"ADD COLUMN IF NOT EXISTS {column} " in text
    columns = {row[0]: row[1:] for row in _rows(COLUMNS, ["public", "archive_article"])}
    assert columns["rollup_place_ids"][:3] == ("ARRAY", "NO", "'{}'::integer[]")
    assert columns["facet_group_id"][:2] == ("integer", "NO")
    indexes = dict(_rows(INDEXES, ["public.", "public", "archive_article"]))
    for name in ("article_rollup_place_gin", "article_rollup_topic_gin"):
        assert indexes[name] in text.replace("IF NOT EXISTS ", "")


def test_no_migration_loads_another():
    migrations = Path(__file__).resolve().parent.parent / "archive" / "migrations"
    for path in migrations.glob("*.py"):
        assert not re.search(r"\bimportlib\b", path.read_text()), path.name


def test_the_files_are_where_the_loader_reads_them():
    assert {p.name for p in SQL_ROOT.iterdir() if p.is_dir()} == {"tables", "functions", "triggers"}


def test_the_unmanaged_models_read_the_derived_tables():
    make_article("Kati base attacked")
    make_article("Bamako reacts")
    published = Article.objects.published().count()
    assert DayCount.objects.aggregate(total=Sum("n"))["total"] == published
    assert FacetGroup.objects.exists()
    assert BrowseState.objects.get(pk=1).fresh is False  # the new articles made the browse counts stale
