-- Whether the browse counts are fresh: any write that could move them sets fresh = false (one row).
CREATE TABLE IF NOT EXISTS archive_browse_state (
    id integer PRIMARY KEY CHECK (id = 1),
    fresh boolean NOT NULL
);
INSERT INTO archive_browse_state VALUES (1, false) ON CONFLICT (id) DO NOTHING;
