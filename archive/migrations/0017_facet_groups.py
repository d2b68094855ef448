"""Facet groups: each distinct (source, rolled-up places, rolled-up topics) once, and each article's group.

A million articles fall into a few thousand such combinations. A search counts its matches per
group (one integer to group on), and the place, topic and source facets unnest the few groups'
arrays instead of every match's: the drill-down counts cost one small hash per match. A row trigger
sets `facet_group_id` on an insert that comes without it and on every change of the source or a
rolled-up array; writers that give it (the importer) take it from `archive_facet_group_id()`.
Groups no article uses any more are harmless: counting starts from the matches.
"""

from django.db import migrations

FORWARD_SQL = """
CREATE TABLE archive_facet_group (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id bigint NOT NULL,  -- 0: no source
    place_ids integer[] NOT NULL,
    topic_ids integer[] NOT NULL
);
-- Not unique: two imports creating the same new combination at once each add a row rather than
-- wait on each other (with a unique index, parallel writers deadlock on each other's new groups).
-- A duplicate is harmless: counts are summed per node over whichever groups the matches name.
CREATE INDEX archive_facet_group_lookup ON archive_facet_group (source_id, place_ids, topic_ids);

-- The index, always: while an import fills a new archive the planner's idea of this table lags far
-- behind it, and a sequential scan per new article would cost more than the article.
CREATE FUNCTION archive_facet_group_id(source bigint, places integer[], topics integer[]) RETURNS integer
LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
    found_id integer;
BEGIN
    SELECT min(id) INTO found_id FROM archive_facet_group
    WHERE source_id = coalesce(source, 0) AND place_ids = places AND topic_ids = topics;
    IF found_id IS NULL THEN
        INSERT INTO archive_facet_group (source_id, place_ids, topic_ids)
        VALUES (coalesce(source, 0), places, topics) RETURNING id INTO found_id;
    END IF;
    RETURN found_id;
END $$;

-- A row trigger sets the group of a new article that comes without one (the ORM's inserts) and
-- regroups an article whose source or rolled-up arrays change (the link and closure triggers of
-- migration 0014 update the arrays, so they regroup it as well). The importer and the bench corpus
-- write the group with each new row, taken from archive_facet_group_id(), so COPY finds nothing to do.
CREATE FUNCTION archive_article_facet_group() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.facet_group_id IS NOT DISTINCT FROM OLD.facet_group_id
       AND NEW.source_id IS NOT DISTINCT FROM OLD.source_id
       AND NEW.rollup_place_ids = OLD.rollup_place_ids AND NEW.rollup_topic_ids = OLD.rollup_topic_ids THEN
        RETURN NEW;
    END IF;
    NEW.facet_group_id := archive_facet_group_id(NEW.source_id, NEW.rollup_place_ids, NEW.rollup_topic_ids);
    RETURN NEW;
END $$;

ALTER TABLE archive_article ADD COLUMN facet_group_id integer;

INSERT INTO archive_facet_group (source_id, place_ids, topic_ids)
SELECT DISTINCT coalesce(source_id, 0), rollup_place_ids, rollup_topic_ids FROM archive_article;
UPDATE archive_article a SET facet_group_id = g.id FROM archive_facet_group g
WHERE g.source_id = coalesce(a.source_id, 0) AND g.place_ids = a.rollup_place_ids
  AND g.topic_ids = a.rollup_topic_ids;

ALTER TABLE archive_article ALTER COLUMN facet_group_id SET NOT NULL;
CREATE TRIGGER archive_article_facet_group_new BEFORE INSERT ON archive_article
    FOR EACH ROW WHEN (NEW.facet_group_id IS NULL) EXECUTE FUNCTION archive_article_facet_group();
CREATE TRIGGER archive_article_facet_group BEFORE UPDATE OF source_id, rollup_place_ids,
    rollup_topic_ids, facet_group_id ON archive_article
    FOR EACH ROW EXECUTE FUNCTION archive_article_facet_group();
"""

BACKWARD_SQL = """
DROP TRIGGER IF EXISTS archive_article_facet_group ON archive_article;
DROP TRIGGER IF EXISTS archive_article_facet_group_new ON archive_article;
ALTER TABLE archive_article DROP COLUMN IF EXISTS facet_group_id;
DROP FUNCTION IF EXISTS archive_article_facet_group();
DROP FUNCTION IF EXISTS archive_facet_group_id(bigint, integer[], integer[]);
DROP TABLE IF EXISTS archive_facet_group;
"""


class Migration(migrations.Migration):
    dependencies = [("archive", "0016_rollup_indexes")]

    operations = [migrations.RunSQL(FORWARD_SQL, BACKWARD_SQL)]
