CREATE OR REPLACE FUNCTION public.archive_refresh_rollup_place_ids(article_ids bigint[])
 RETURNS void
 LANGUAGE sql
AS $function$
    UPDATE archive_article a SET rollup_place_ids = fresh.ids
    FROM (
        SELECT picked.id, coalesce(
            array_agg(DISTINCT c.ancestor_id::integer ORDER BY c.ancestor_id::integer)
                FILTER (WHERE c.ancestor_id IS NOT NULL),
            '{}') AS ids
        FROM unnest(article_ids) AS picked(id)
        LEFT JOIN archive_article_places link ON link.article_id = picked.id
        LEFT JOIN archive_placeclosure c ON c.descendant_id = link.place_id
        GROUP BY picked.id
    ) fresh
    WHERE a.id = fresh.id AND a.rollup_place_ids IS DISTINCT FROM fresh.ids;
$function$;
