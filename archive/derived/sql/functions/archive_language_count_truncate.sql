CREATE OR REPLACE FUNCTION public.archive_language_count_truncate()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    TRUNCATE archive_language_count;
    RETURN NULL;
END $function$;
