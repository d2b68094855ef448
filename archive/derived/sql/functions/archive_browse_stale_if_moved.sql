CREATE OR REPLACE FUNCTION public.archive_browse_stale_if_moved()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    -- A set difference, not a join: the transition tables have no statistics, and a join of them was
    -- planned as a nested loop (an update of 65,000 articles ran for minutes).
    IF EXISTS (
        SELECT id, status, published_on, source_id, rollup_place_ids, rollup_topic_ids, language, agency
        FROM new_rows
        EXCEPT
        SELECT id, status, published_on, source_id, rollup_place_ids, rollup_topic_ids, language, agency
        FROM old_rows
    ) THEN
        UPDATE archive_browse_state SET fresh = false WHERE fresh;
    END IF;
    RETURN NULL;
END $function$;
