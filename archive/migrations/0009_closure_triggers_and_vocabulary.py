"""Closure tables kept by statement triggers; the archive's vocabulary for "did you mean" (pg_trgm)."""

from django.db import migrations

CLOSURE_SQL = """
CREATE FUNCTION archive_rebuild_{node}_closure() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- One rebuild at a time; a tree of a few thousand nodes takes milliseconds.
    LOCK TABLE archive_{node}closure IN EXCLUSIVE MODE;
    DELETE FROM archive_{node}closure;
    INSERT INTO archive_{node}closure (ancestor_id, descendant_id, depth)
    WITH RECURSIVE pairs(ancestor_id, descendant_id, depth) AS (
        SELECT id, id, 0 FROM archive_{node}
        UNION ALL
        SELECT pairs.ancestor_id, child.id, pairs.depth + 1
        FROM pairs JOIN archive_{node} child ON child.parent_id = pairs.descendant_id
        WHERE pairs.depth < 60
    )
    SELECT DISTINCT ON (ancestor_id, descendant_id) ancestor_id, descendant_id, depth FROM pairs;
    RETURN NULL;
END $$;
CREATE TRIGGER archive_{node}_closure_rows
    AFTER INSERT OR DELETE OR UPDATE OF parent_id ON archive_{node}
    FOR EACH STATEMENT EXECUTE FUNCTION archive_rebuild_{node}_closure();
CREATE TRIGGER archive_{node}_closure_truncate
    AFTER TRUNCATE ON archive_{node}
    FOR EACH STATEMENT EXECUTE FUNCTION archive_rebuild_{node}_closure();
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS archive_{node}_closure_rows ON archive_{node};
DROP TRIGGER IF EXISTS archive_{node}_closure_truncate ON archive_{node};
DROP FUNCTION IF EXISTS archive_rebuild_{node}_closure();
"""
VOCABULARY_SQL = """
CREATE MATERIALIZED VIEW archive_vocabulary AS
    SELECT word, ndoc FROM ts_stat(
        'SELECT search_vector_exact FROM archive_article WHERE status = ''published'''
    );
CREATE UNIQUE INDEX archive_vocabulary_word ON archive_vocabulary (word);
CREATE INDEX archive_vocabulary_trgm ON archive_vocabulary USING gin (word gin_trgm_ops);
"""


def closure_sql(node: str) -> str:
    # A statement trigger fires even when no row changes: this builds the table for existing nodes.
    return CLOSURE_SQL.format(node=node) + f"UPDATE archive_{node} SET parent_id = parent_id WHERE false;"


class Migration(migrations.Migration):
    dependencies = [("archive", "0008_exact_vector_and_closures")]

    operations = [
        migrations.RunSQL(closure_sql("place"), DROP_SQL.format(node="place")),
        migrations.RunSQL(closure_sql("topic"), DROP_SQL.format(node="topic")),
        migrations.RunSQL(VOCABULARY_SQL, "DROP MATERIALIZED VIEW IF EXISTS archive_vocabulary;"),
    ]
