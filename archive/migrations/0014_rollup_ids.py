"""Each article carries the ids of its places and topics with all their ancestors, kept by triggers.

A search's place and topic facets count these arrays over its matches: no join to the link tables
and the closures per match, no COUNT(DISTINCT) (an ancestor appears once per article). Statement
triggers on the link tables refresh the arrays of the articles whose tags changed; a closure rebuild
(a node added, moved or removed) refreshes the articles tagged with a node whose ancestors changed.
The arrays are not model fields: the ORM never writes them, so a stale copy can never be saved.

The search vector and the arrays are kept in the row (storage MAIN) rather than in the TOAST table:
ranking a match then costs no extra lookup. Rows written before this migration move when rewritten
(`VACUUM FULL archive_article`, see README).
"""

from django.db import migrations

REFRESH_SQL = """
CREATE FUNCTION archive_refresh_rollup_{node}_ids(article_ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    UPDATE archive_article a SET rollup_{node}_ids = fresh.ids
    FROM (
        SELECT picked.id, coalesce(
            array_agg(DISTINCT c.ancestor_id::integer ORDER BY c.ancestor_id::integer)
                FILTER (WHERE c.ancestor_id IS NOT NULL),
            '{{}}') AS ids
        FROM unnest(article_ids) AS picked(id)
        LEFT JOIN archive_article_{node}s link ON link.article_id = picked.id
        LEFT JOIN archive_{node}closure c ON c.descendant_id = link.{node}_id
        GROUP BY picked.id
    ) fresh
    WHERE a.id = fresh.id AND a.rollup_{node}_ids IS DISTINCT FROM fresh.ids;
$$;

CREATE FUNCTION archive_rollup_{node}_links() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT article_id) INTO changed FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT article_id) INTO changed FROM old_rows;
    ELSE
        SELECT array_agg(DISTINCT article_id) INTO changed
        FROM (SELECT article_id FROM old_rows UNION SELECT article_id FROM new_rows) both_sides;
    END IF;
    IF changed IS NOT NULL THEN
        PERFORM archive_refresh_rollup_{node}_ids(changed);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION archive_rollup_{node}_links_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE archive_article SET rollup_{node}_ids = '{{}}' WHERE rollup_{node}_ids <> '{{}}';
    RETURN NULL;
END $$;

CREATE TRIGGER archive_rollup_{node}_insert AFTER INSERT ON archive_article_{node}s
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION archive_rollup_{node}_links();
CREATE TRIGGER archive_rollup_{node}_update AFTER UPDATE ON archive_article_{node}s
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION archive_rollup_{node}_links();
CREATE TRIGGER archive_rollup_{node}_delete AFTER DELETE ON archive_article_{node}s
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION archive_rollup_{node}_links();
CREATE TRIGGER archive_rollup_{node}_truncate AFTER TRUNCATE ON archive_article_{node}s
    FOR EACH STATEMENT EXECUTE FUNCTION archive_rollup_{node}_links_truncate();

-- The closure rebuild of migration 0009, now also refreshing the articles whose rolled-up ids moved.
CREATE OR REPLACE FUNCTION archive_rebuild_{node}_closure() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    before jsonb;
    moved bigint[];
BEGIN
    -- One rebuild at a time; a tree of a few thousand nodes takes milliseconds.
    LOCK TABLE archive_{node}closure IN EXCLUSIVE MODE;
    SELECT jsonb_object_agg(descendant_id, ancestors) INTO before FROM (
        SELECT descendant_id, array_agg(ancestor_id ORDER BY ancestor_id) AS ancestors
        FROM archive_{node}closure GROUP BY descendant_id
    ) previous;
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
    -- Nodes whose ancestors changed (a new leaf is tagged on no article yet: nothing to refresh).
    SELECT array_agg(descendant_id) INTO moved FROM (
        SELECT descendant_id, array_agg(ancestor_id ORDER BY ancestor_id) AS ancestors
        FROM archive_{node}closure GROUP BY descendant_id
    ) now
    WHERE before IS NOT NULL AND before ? descendant_id::text
      AND before -> descendant_id::text IS DISTINCT FROM to_jsonb(now.ancestors);
    IF moved IS NOT NULL THEN
        PERFORM archive_refresh_rollup_{node}_ids(
            ARRAY(SELECT DISTINCT article_id FROM archive_article_{node}s WHERE {node}_id = ANY(moved))
        );
    END IF;
    RETURN NULL;
END $$;
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS archive_rollup_{node}_insert ON archive_article_{node}s;
DROP TRIGGER IF EXISTS archive_rollup_{node}_update ON archive_article_{node}s;
DROP TRIGGER IF EXISTS archive_rollup_{node}_delete ON archive_article_{node}s;
DROP TRIGGER IF EXISTS archive_rollup_{node}_truncate ON archive_article_{node}s;
DROP FUNCTION IF EXISTS archive_rollup_{node}_links();
DROP FUNCTION IF EXISTS archive_rollup_{node}_links_truncate();
DROP FUNCTION IF EXISTS archive_refresh_rollup_{node}_ids(bigint[]);
"""

COLUMNS_SQL = """
ALTER TABLE archive_article
    ADD COLUMN rollup_place_ids integer[] NOT NULL DEFAULT '{}',
    ADD COLUMN rollup_topic_ids integer[] NOT NULL DEFAULT '{}',
    ALTER COLUMN rollup_place_ids SET STORAGE MAIN,
    ALTER COLUMN rollup_topic_ids SET STORAGE MAIN,
    ALTER COLUMN search_vector SET STORAGE MAIN;
"""
COLUMNS_BACKWARD_SQL = """
ALTER TABLE archive_article
    DROP COLUMN IF EXISTS rollup_place_ids,
    DROP COLUMN IF EXISTS rollup_topic_ids,
    ALTER COLUMN search_vector SET STORAGE EXTENDED;
"""

# Existing articles: the refresh function over every tagged article.
FILL_SQL = "SELECT archive_refresh_rollup_{node}_ids(ARRAY(SELECT DISTINCT article_id FROM archive_article_{node}s));\n"


# Migration 0009's closure rebuild, as it was before this migration, for going back.
CLOSURE_FUNCTION_0009 = """
CREATE OR REPLACE FUNCTION archive_rebuild_{node}_closure() RETURNS trigger LANGUAGE plpgsql AS $$
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
"""


def rollup_sql(node: str) -> str:
    """The refresh function and triggers, and 0009's closure rebuild (delete, insert) wrapped in a diff."""
    return REFRESH_SQL.format(node=node) + FILL_SQL.format(node=node)


def backward_sql(node: str) -> str:
    """Drop the triggers and put back migration 0009's closure rebuild (without the refresh)."""
    return CLOSURE_FUNCTION_0009.format(node=node) + DROP_SQL.format(node=node)


class Migration(migrations.Migration):
    dependencies = [("archive", "0013_day_counts")]

    operations = [
        migrations.RunSQL(COLUMNS_SQL, COLUMNS_BACKWARD_SQL),
        migrations.RunSQL(rollup_sql("place"), backward_sql("place")),
        migrations.RunSQL(rollup_sql("topic"), backward_sql("topic")),
    ]
