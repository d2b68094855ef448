-- Each shingled article's count of distinct word 5-grams and its sampled ones (hash 0 mod 4, sorted),
-- kept to remove its rows of archive_story_sample when its text changes (archive.stories).
CREATE TABLE IF NOT EXISTS archive_story_text (
    article_id integer PRIMARY KEY,
    grams integer NOT NULL,
    samples integer[] NOT NULL
);
