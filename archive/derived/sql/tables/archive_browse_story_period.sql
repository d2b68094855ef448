-- Browse counts under collapse=story: per node (key as in archive_browse_day; key 0 is the whole archive)
-- and year ('1987') or month ('1987-03'), the stories with a published copy carrying the node in it minus
-- those copies; added to the articles per period, a year or month counts each story once (its click).
-- Set by refresh_browse_counts().
CREATE TABLE IF NOT EXISTS archive_browse_story_period (
    key bigint NOT NULL,
    period text NOT NULL,
    n integer NOT NULL
);
CREATE INDEX IF NOT EXISTS archive_browse_story_period_key ON archive_browse_story_period USING btree (key, period) INCLUDE (n);
