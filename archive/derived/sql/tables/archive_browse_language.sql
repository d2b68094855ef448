-- Browse counts: the key of each language of the published articles (key = number * 4 + 3), set by refresh_browse_counts().
CREATE TABLE IF NOT EXISTS archive_browse_language (
    key bigint PRIMARY KEY,
    language varchar(8) NOT NULL UNIQUE
);
