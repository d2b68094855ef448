-- Each article with a copy: its story, the connected component of its links, named by its smallest article id,
-- the story's agency (its earliest copy naming one), which a copy naming none inherits, and the article's
-- publication day when the story was last formed (what archive_story_day counted it on), and whether it was
-- then the story's only member in that day's year (alone = 2) or month (1; 0: it shares its month). A
-- collapsed search counts such a copy in its year and month as it is, with no grouping by story: at a
-- million articles of replicated Reuters, every copy of a story in another year, that grouping was most of
-- its time. A story with a member queued for catch_up (archive_story_dirty) is counted the long way.
CREATE TABLE IF NOT EXISTS archive_story_member (
    article_id integer PRIMARY KEY,
    story_id integer NOT NULL,
    agency text NOT NULL DEFAULT '',
    published_on date NOT NULL,
    alone smallint NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS archive_story_member_story ON archive_story_member USING btree (story_id);
