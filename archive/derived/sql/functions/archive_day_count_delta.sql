CREATE OR REPLACE FUNCTION public.archive_day_count_delta()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO archive_day_count (day, n)
        SELECT published_on, count(*) FROM new_rows WHERE status = 'published' GROUP BY 1;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO archive_day_count (day, n)
        SELECT published_on, -count(*) FROM old_rows WHERE status = 'published' GROUP BY 1;
    ELSE
        -- Only rows whose day or publication changed move a count.
        INSERT INTO archive_day_count (day, n)
        SELECT day, sum(n) FROM (
            SELECT o.published_on AS day, -1 AS n
            FROM old_rows o JOIN new_rows n USING (id)
            WHERE o.status = 'published' AND (n.status <> 'published' OR n.published_on <> o.published_on)
            UNION ALL
            SELECT n.published_on, 1
            FROM old_rows o JOIN new_rows n USING (id)
            WHERE n.status = 'published' AND (o.status <> 'published' OR n.published_on <> o.published_on)
        ) moved
        GROUP BY day HAVING sum(n) <> 0;
    END IF;
    RETURN NULL;
END $function$;
