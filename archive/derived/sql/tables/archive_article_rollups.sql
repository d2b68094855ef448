-- Derived columns of archive_article (not model fields: the ORM never writes them, so a stale copy is
-- never saved). Every place and topic id an article sits in, ancestors included, kept by the rollup
-- triggers; its facet group, kept by archive_article_facet_group.
ALTER TABLE archive_article
    ADD COLUMN IF NOT EXISTS rollup_place_ids integer[] NOT NULL DEFAULT '{}',
    ADD COLUMN IF NOT EXISTS rollup_topic_ids integer[] NOT NULL DEFAULT '{}',
    ADD COLUMN IF NOT EXISTS facet_group_id integer NOT NULL;
CREATE INDEX IF NOT EXISTS article_rollup_place_gin ON archive_article USING gin (rollup_place_ids);
CREATE INDEX IF NOT EXISTS article_rollup_topic_gin ON archive_article USING gin (rollup_topic_ids);
-- The date-ordered listings' ids (ordering.ids_then_rows): an index-only scan filters by place,
-- topic, source and language on its own tuples, without visiting the table's wide rows.
CREATE INDEX IF NOT EXISTS article_listing_date ON archive_article (published_on, id)
    INCLUDE (rollup_topic_ids, rollup_place_ids, source_id, language) WHERE status = 'published';
