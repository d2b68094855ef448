CREATE OR REPLACE FUNCTION public.archive_day_count_truncate()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    TRUNCATE archive_day_count;
    RETURN NULL;
END $function$;
