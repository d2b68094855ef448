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
        INSERT INTO archive_story_dirty (article_id)
        SELECT n.id FROM old_rows o JOIN new_rows n USING (id)
        WHERE n.body IS DISTINCT FROM o.body OR n.summary IS DISTINCT FROM o.summary
           OR n.status IS DISTINCT FROM o.status OR n.published_on IS DISTINCT FROM o.published_on
           OR n.agency IS DISTINCT FROM o.agency
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $function$;
