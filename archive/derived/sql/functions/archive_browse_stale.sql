CREATE OR REPLACE FUNCTION public.archive_browse_stale()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    -- Only the first write after a refresh updates (and briefly locks) the row.
    UPDATE archive_browse_state SET fresh = false WHERE fresh;
    RETURN NULL;
END $function$;
