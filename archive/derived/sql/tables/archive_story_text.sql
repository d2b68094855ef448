-- Each shingled article's count of distinct word 5-grams and its sampled ones (hash 0 mod 4, sorted),
-- kept to remove its rows of archive_story_sample when its text changes (archive.stories); a reprint
-- word for word has none there (its original's serve).
CREATE TABLE IF NOT EXISTS archive_story_text (
    article_id integer PRIMARY KEY,
    grams integer NOT NULL,
    samples integer[] NOT NULL
);
-- The fingerprint of the article's whole set of 5-grams (shingles.fingerprint): a reprint word for word
-- joins its story through the article it repeats, found by this key, instead of counting the shared
-- samples of every copy, and keeps no samples of its own (maintain._same_texts). NULL in rows written
-- before it existed: never matched. Ordered by article within a fingerprint: the earliest is the one joined.
ALTER TABLE archive_story_text ADD COLUMN IF NOT EXISTS fingerprint bigint;
CREATE INDEX IF NOT EXISTS archive_story_text_fingerprint ON archive_story_text USING btree (fingerprint, article_id);
