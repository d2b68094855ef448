-- Published articles per day, as deltas the day-count triggers append; compact_day_counts() folds them.
CREATE TABLE IF NOT EXISTS archive_day_count (
    day date NOT NULL,
    n integer NOT NULL
);
CREATE INDEX IF NOT EXISTS archive_day_count_day ON archive_day_count USING btree (day) INCLUDE (n);
