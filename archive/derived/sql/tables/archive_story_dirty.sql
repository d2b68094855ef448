-- Articles written or removed since the stories were last brought up to date (archive.stories.catch_up).
CREATE TABLE IF NOT EXISTS archive_story_dirty (
    article_id integer PRIMARY KEY
);
