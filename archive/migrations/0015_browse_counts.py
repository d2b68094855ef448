"""Counts for browsing without words, built from the whole archive and used only while still exact.

A search with no `q` and at most one place, topic, person, organisation or source (or only dates)
is a slice of the archive known in advance. `refresh_browse_counts()` counts, over the published
articles, every node per day (`archive_browse_day`) and every pair of nodes an article sits in
together (`archive_browse_pair`); such a search then reads a few hundred rows instead of visiting
up to a million articles.

Exactness: any write that can move a count (articles inserted, deleted, truncated, or updated in
status, date, source or rolled-up tags; links; closures through the rolled-up tags) marks the counts
stale in its own transaction, and stale counts are never read: the search counts its matches
instead. Imports refresh them at the end. The refresh holds a SHARE lock on the articles and their
links, so no write can slip between what it reads and the moment it marks the counts fresh.
"""

from django.db import migrations

FORWARD_SQL = """
CREATE TABLE archive_browse_state (id integer PRIMARY KEY CHECK (id = 1), fresh boolean NOT NULL);
INSERT INTO archive_browse_state VALUES (1, false);
-- key = node id * 4 + facet: 0 place, 1 topic, 2 source.
CREATE TABLE archive_browse_day (key bigint NOT NULL, day date NOT NULL, n integer NOT NULL);
CREATE INDEX archive_browse_day_key ON archive_browse_day (key, day) INCLUDE (n);
CREATE INDEX archive_browse_day_day ON archive_browse_day (day) INCLUDE (key, n);
CREATE TABLE archive_browse_pair (key bigint NOT NULL, other bigint NOT NULL, n integer NOT NULL);
CREATE INDEX archive_browse_pair_key ON archive_browse_pair (key) INCLUDE (other, n);

CREATE FUNCTION archive_browse_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Only the first write after a refresh updates (and briefly locks) the row.
    UPDATE archive_browse_state SET fresh = false WHERE fresh;
    RETURN NULL;
END $$;

CREATE FUNCTION archive_browse_stale_if_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM old_rows o JOIN new_rows n USING (id)
        WHERE (o.status, o.published_on, o.source_id, o.rollup_place_ids, o.rollup_topic_ids)
              IS DISTINCT FROM (n.status, n.published_on, n.source_id, n.rollup_place_ids, n.rollup_topic_ids)
    ) THEN
        UPDATE archive_browse_state SET fresh = false WHERE fresh;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER archive_browse_article_insert AFTER INSERT ON archive_article
    FOR EACH STATEMENT EXECUTE FUNCTION archive_browse_stale();
CREATE TRIGGER archive_browse_article_delete AFTER DELETE ON archive_article
    FOR EACH STATEMENT EXECUTE FUNCTION archive_browse_stale();
CREATE TRIGGER archive_browse_article_truncate AFTER TRUNCATE ON archive_article
    FOR EACH STATEMENT EXECUTE FUNCTION archive_browse_stale();
CREATE TRIGGER archive_browse_article_update AFTER UPDATE ON archive_article
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION archive_browse_stale_if_moved();
CREATE TRIGGER archive_browse_places AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON archive_article_places
    FOR EACH STATEMENT EXECUTE FUNCTION archive_browse_stale();
CREATE TRIGGER archive_browse_topics AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON archive_article_topics
    FOR EACH STATEMENT EXECUTE FUNCTION archive_browse_stale();
CREATE TRIGGER archive_browse_sources AFTER DELETE OR TRUNCATE ON archive_source
    FOR EACH STATEMENT EXECUTE FUNCTION archive_browse_stale();

CREATE FUNCTION refresh_browse_counts() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    -- Writers wait until this transaction ends; readers keep reading the previous counts meanwhile.
    LOCK TABLE archive_article, archive_article_places, archive_article_topics IN SHARE MODE;
    CREATE TEMP TABLE browse_keyed ON COMMIT DROP AS
    SELECT published_on AS day,
           ARRAY(SELECT p::bigint * 4 FROM unnest(rollup_place_ids) p)
           || ARRAY(SELECT t::bigint * 4 + 1 FROM unnest(rollup_topic_ids) t)
           || CASE WHEN source_id IS NULL THEN '{}'::bigint[] ELSE ARRAY[source_id * 4 + 2] END AS keys
    FROM archive_article WHERE status = 'published';
    DELETE FROM archive_browse_day;
    INSERT INTO archive_browse_day (key, day, n)
    SELECT k, day, count(*) FROM browse_keyed, unnest(keys) k GROUP BY k, day;
    DELETE FROM archive_browse_pair;
    INSERT INTO archive_browse_pair (key, other, n)
    SELECT k, o, count(*) FROM browse_keyed, unnest(keys) k, unnest(keys) o GROUP BY k, o;
    DROP TABLE browse_keyed;
    UPDATE archive_browse_state SET fresh = true;
END $$;
"""

BACKWARD_SQL = """
DROP TRIGGER IF EXISTS archive_browse_article_insert ON archive_article;
DROP TRIGGER IF EXISTS archive_browse_article_delete ON archive_article;
DROP TRIGGER IF EXISTS archive_browse_article_truncate ON archive_article;
DROP TRIGGER IF EXISTS archive_browse_article_update ON archive_article;
DROP TRIGGER IF EXISTS archive_browse_places ON archive_article_places;
DROP TRIGGER IF EXISTS archive_browse_topics ON archive_article_topics;
DROP TRIGGER IF EXISTS archive_browse_sources ON archive_source;
DROP FUNCTION IF EXISTS archive_browse_stale();
DROP FUNCTION IF EXISTS archive_browse_stale_if_moved();
DROP FUNCTION IF EXISTS refresh_browse_counts();
DROP TABLE IF EXISTS archive_browse_state, archive_browse_day, archive_browse_pair;
"""


class Migration(migrations.Migration):
    dependencies = [("archive", "0014_rollup_ids")]

    operations = [migrations.RunSQL(FORWARD_SQL, BACKWARD_SQL)]
