-- One row per distinct (source, rolled-up places, rolled-up topics): a search counts its matches per group.
CREATE TABLE IF NOT EXISTS archive_facet_group (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id bigint NOT NULL,
    place_ids integer[] NOT NULL,
    topic_ids integer[] NOT NULL
);
CREATE INDEX IF NOT EXISTS archive_facet_group_lookup ON archive_facet_group USING btree (source_id, place_ids, topic_ids);
