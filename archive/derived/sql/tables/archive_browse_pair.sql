-- Browse counts: published articles tagged with both nodes (the facets of one chosen node).
CREATE TABLE IF NOT EXISTS archive_browse_pair (
    key bigint NOT NULL,
    other bigint NOT NULL,
    n integer NOT NULL
);
CREATE INDEX IF NOT EXISTS archive_browse_pair_key ON archive_browse_pair USING btree (key) INCLUDE (other, n);
