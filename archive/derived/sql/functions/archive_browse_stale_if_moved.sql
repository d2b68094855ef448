CREATE OR REPLACE FUNCTION public.archive_browse_stale_if_moved()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    IF EXISTS (
        SELECT 1 FROM old_rows o JOIN new_rows n USING (id)
        WHERE (o.status, o.published_on, o.source_id, o.rollup_place_ids, o.rollup_topic_ids, o.language,
               o.agency)
              IS DISTINCT FROM (n.status, n.published_on, n.source_id, n.rollup_place_ids, n.rollup_topic_ids,
                                n.language, n.agency)
    ) THEN
        UPDATE archive_browse_state SET fresh = false WHERE fresh;
    END IF;
    RETURN NULL;
END $function$;
