CREATE OR REPLACE FUNCTION public.archive_language_count_delta()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO archive_language_count (language, n)
        SELECT language, count(*) FROM new_rows WHERE status = 'published' GROUP BY 1;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO archive_language_count (language, n)
        SELECT language, -count(*) FROM old_rows WHERE status = 'published' GROUP BY 1;
    ELSE
        -- Only rows whose language or publication changed move a count.
        INSERT INTO archive_language_count (language, n)
        SELECT language, sum(n) FROM (
            SELECT o.language, -1 AS n
            FROM old_rows o JOIN new_rows n USING (id)
            WHERE o.status = 'published' AND (n.status <> 'published' OR n.language <> o.language)
            UNION ALL
            SELECT n.language, 1
            FROM old_rows o JOIN new_rows n USING (id)
            WHERE n.status = 'published' AND (o.status <> 'published' OR n.language <> o.language)
        ) moved
        GROUP BY language HAVING sum(n) <> 0;
    END IF;
    RETURN NULL;
END $function$;
