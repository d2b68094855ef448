-- Browse counts: published articles per node (key = node id * 4 + facet) and day; key 0 is the whole archive.
CREATE TABLE IF NOT EXISTS archive_browse_day (
    key bigint NOT NULL,
    day date NOT NULL,
    n integer NOT NULL
);
CREATE INDEX IF NOT EXISTS archive_browse_day_day ON archive_browse_day USING btree (day) INCLUDE (key, n);
CREATE INDEX IF NOT EXISTS archive_browse_day_key ON archive_browse_day USING btree (key, day) INCLUDE (n);
