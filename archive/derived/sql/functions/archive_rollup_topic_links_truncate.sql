CREATE OR REPLACE FUNCTION public.archive_rollup_topic_links_truncate()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    UPDATE archive_article SET rollup_topic_ids = '{}' WHERE rollup_topic_ids <> '{}';
    RETURN NULL;
END $function$;
