-- Browse counts under collapse=story: per pair of nodes (as in archive_browse_pair), the stories with a
-- published copy carrying both minus those copies; added to archive_browse_pair, each story counts once.
-- Only pairs some story holds twice or more have a row. Set by refresh_browse_counts().
CREATE TABLE IF NOT EXISTS archive_browse_story_pair (
    key bigint NOT NULL,
    other bigint NOT NULL,
    n integer NOT NULL
);
CREATE INDEX IF NOT EXISTS archive_browse_story_pair_key ON archive_browse_story_pair USING btree (key) INCLUDE (other, n);
