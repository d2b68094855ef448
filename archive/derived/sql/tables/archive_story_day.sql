-- Per publication day: the stories first published that day minus the copies published that day. Added to
-- archive_day_count it gives the archive counted with each story once, on its first day (collapse=story).
-- Written by archive.stories with the story lock held, as it re-forms stories.
CREATE TABLE IF NOT EXISTS archive_story_day (
    day date PRIMARY KEY,
    n integer NOT NULL
);
