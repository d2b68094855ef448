-- Browse counts: the key of each agency the published articles are credited with, their own or else their story's (key = number * 4 + 3, numbered after the languages), set by refresh_browse_counts().
CREATE TABLE IF NOT EXISTS archive_browse_agency (
    key bigint PRIMARY KEY,
    agency text NOT NULL UNIQUE
);
