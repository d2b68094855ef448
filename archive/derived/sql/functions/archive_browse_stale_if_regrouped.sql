CREATE OR REPLACE FUNCTION public.archive_browse_stale_if_regrouped()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
DECLARE
    moved boolean;
BEGIN
    -- An article joining or leaving a story, or its story's agency or its counted day moving, moves the
    -- browse counts' Agency facet and their collapsed days (stories.catch_up writes only rows that differ).
    IF TG_OP = 'INSERT' THEN
        moved := EXISTS (SELECT 1 FROM new_rows);
    ELSIF TG_OP = 'DELETE' THEN
        moved := EXISTS (SELECT 1 FROM old_rows);
    ELSE
        -- A set difference, not a join: the transition tables have no statistics, and a join of them
        -- was planned as a nested loop (a 720,000-row update ran for minutes).
        -- A member's `alone` is not counted by the browse counts: its change alone moves nothing.
        moved := EXISTS (
            SELECT article_id, story_id, agency, published_on FROM new_rows
            EXCEPT SELECT article_id, story_id, agency, published_on FROM old_rows
        );
    END IF;
    IF moved THEN
        UPDATE archive_browse_state SET fresh = false WHERE fresh;
    END IF;
    RETURN NULL;
END $function$;
