CREATE OR REPLACE FUNCTION public.archive_rollup_place_links_truncate()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    UPDATE archive_article SET rollup_place_ids = '{}' WHERE rollup_place_ids <> '{}';
    RETURN NULL;
END $function$;
