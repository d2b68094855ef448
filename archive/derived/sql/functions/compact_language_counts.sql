CREATE OR REPLACE FUNCTION public.compact_language_counts()
 RETURNS void
 LANGUAGE sql
AS $function$
    WITH folded AS (DELETE FROM archive_language_count RETURNING language, n)
    INSERT INTO archive_language_count (language, n) SELECT language, sum(n) FROM folded GROUP BY language HAVING sum(n) <> 0;
$function$;
