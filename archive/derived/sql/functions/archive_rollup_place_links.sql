CREATE OR REPLACE FUNCTION public.archive_rollup_place_links()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
DECLARE
    changed bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT article_id) INTO changed FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT article_id) INTO changed FROM old_rows;
    ELSE
        SELECT array_agg(DISTINCT article_id) INTO changed
        FROM (SELECT article_id FROM old_rows UNION SELECT article_id FROM new_rows) both_sides;
    END IF;
    IF changed IS NOT NULL THEN
        PERFORM archive_refresh_rollup_place_ids(changed);
    END IF;
    RETURN NULL;
END $function$;
