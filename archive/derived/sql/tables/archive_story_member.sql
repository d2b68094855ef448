-- Each article with a copy: its story, the connected component of its links, named by its smallest article id,
-- the story's agency (its earliest copy naming one), which a copy naming none inherits, and the article's
-- publication day when the story was last formed (what archive_story_day counted it on).
CREATE TABLE IF NOT EXISTS archive_story_member (
    article_id integer PRIMARY KEY,
    story_id integer NOT NULL,
    agency text NOT NULL DEFAULT '',
    published_on date NOT NULL
);
CREATE INDEX IF NOT EXISTS archive_story_member_story ON archive_story_member USING btree (story_id);
