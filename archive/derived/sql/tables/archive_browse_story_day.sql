-- Browse counts under collapse=story: per node (key as in archive_browse_day; key 0 is the whole archive) and day, the stories first
-- carrying it that day minus their copies carrying it that day; added to archive_browse_day, each story
-- once on its first day among its copies carrying the node. Set by refresh_browse_counts().
CREATE TABLE IF NOT EXISTS archive_browse_story_day (
    key bigint NOT NULL,
    day date NOT NULL,
    n integer NOT NULL
);
CREATE INDEX IF NOT EXISTS archive_browse_story_day_key ON archive_browse_story_day USING btree (key, day) INCLUDE (n);
