-- Published articles per language, as deltas the language-count triggers append; compact_language_counts()
-- folds them. The search compiles a query once per language present here.
CREATE TABLE IF NOT EXISTS archive_language_count (
    language varchar(8) NOT NULL,
    n integer NOT NULL
);
CREATE INDEX IF NOT EXISTS archive_language_count_language ON archive_language_count USING btree (language) INCLUDE (n);
