CREATE OR REPLACE FUNCTION public.archive_refresh_rollup_topic_ids(article_ids bigint[])
 RETURNS void
 LANGUAGE sql
AS $function$
    UPDATE archive_article a SET rollup_topic_ids = fresh.ids
    FROM (
        SELECT picked.id, coalesce(
            array_agg(DISTINCT c.ancestor_id::integer ORDER BY c.ancestor_id::integer)
                FILTER (WHERE c.ancestor_id IS NOT NULL),
            '{}') AS ids
        FROM unnest(article_ids) AS picked(id)
        LEFT JOIN archive_article_topics link ON link.article_id = picked.id
        LEFT JOIN archive_topicclosure c ON c.descendant_id = link.topic_id
        GROUP BY picked.id
    ) fresh
    WHERE a.id = fresh.id AND a.rollup_topic_ids IS DISTINCT FROM fresh.ids;
$function$;
