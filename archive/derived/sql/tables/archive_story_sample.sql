-- Each shingled article's sampled word 5-grams, by hash: the candidates of text reuse share some. A reprint
-- word for word has none (the article it repeats holds them: archive_story_text.fingerprint).
-- One index only (inserting is most of an import's story work); rows are removed through the hashes
-- archive_story_text keeps.
CREATE TABLE IF NOT EXISTS archive_story_sample (
    hash integer NOT NULL,
    article_id integer NOT NULL
);
CREATE INDEX IF NOT EXISTS archive_story_sample_hash ON archive_story_sample USING btree (hash, article_id);
