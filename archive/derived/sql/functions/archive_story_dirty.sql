CREATE OR REPLACE FUNCTION public.archive_story_dirty()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    -- Written or removed articles wait for archive.stories.catch_up (same transaction for imports).
    IF TG_OP = 'INSERT' THEN
        INSERT INTO archive_story_dirty (article_id) SELECT id FROM new_rows ON CONFLICT DO NOTHING;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO archive_story_dirty (article_id) SELECT id FROM old_rows ON CONFLICT DO NOTHING;
    ELSE
        -- A set difference, not a join of the transition tables (planned as a nested loop); the texts
        -- compared by their md5, so that a big update's difference is not held as whole texts.
        INSERT INTO archive_story_dirty (article_id)
        SELECT id FROM (
            SELECT id, md5(body), md5(summary), status, published_on, agency FROM new_rows
            EXCEPT
            SELECT id, md5(body), md5(summary), status, published_on, agency FROM old_rows
        ) changed
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $function$;
