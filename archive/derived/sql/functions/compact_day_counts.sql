CREATE OR REPLACE FUNCTION public.compact_day_counts()
 RETURNS void
 LANGUAGE sql
AS $function$
    WITH folded AS (DELETE FROM archive_day_count RETURNING day, n)
    INSERT INTO archive_day_count (day, n) SELECT day, sum(n) FROM folded GROUP BY day HAVING sum(n) <> 0;
$function$;
