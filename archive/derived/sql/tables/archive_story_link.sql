-- Copy links between two articles (both directions), with the share of the shorter text found in the other.
CREATE TABLE IF NOT EXISTS archive_story_link (
    article_id integer NOT NULL,
    other_id integer NOT NULL,
    overlap real NOT NULL,
    PRIMARY KEY (article_id, other_id)
);
