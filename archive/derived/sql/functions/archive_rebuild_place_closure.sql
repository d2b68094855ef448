CREATE OR REPLACE FUNCTION public.archive_rebuild_place_closure()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
DECLARE
    before jsonb;
    moved bigint[];
BEGIN
    -- One rebuild at a time; a tree of a few thousand nodes takes milliseconds.
    LOCK TABLE archive_placeclosure IN EXCLUSIVE MODE;
    SELECT jsonb_object_agg(descendant_id, ancestors) INTO before FROM (
        SELECT descendant_id, array_agg(ancestor_id ORDER BY ancestor_id) AS ancestors
        FROM archive_placeclosure GROUP BY descendant_id
    ) previous;
    DELETE FROM archive_placeclosure;
    INSERT INTO archive_placeclosure (ancestor_id, descendant_id, depth)
    WITH RECURSIVE pairs(ancestor_id, descendant_id, depth) AS (
        SELECT id, id, 0 FROM archive_place
        UNION ALL
        SELECT pairs.ancestor_id, child.id, pairs.depth + 1
        FROM pairs JOIN archive_place child ON child.parent_id = pairs.descendant_id
        WHERE pairs.depth < 60
    )
    SELECT DISTINCT ON (ancestor_id, descendant_id) ancestor_id, descendant_id, depth FROM pairs;
    -- Nodes whose ancestors changed (a new leaf is tagged on no article yet: nothing to refresh).
    SELECT array_agg(descendant_id) INTO moved FROM (
        SELECT descendant_id, array_agg(ancestor_id ORDER BY ancestor_id) AS ancestors
        FROM archive_placeclosure GROUP BY descendant_id
    ) now
    WHERE before IS NOT NULL AND before ? descendant_id::text
      AND before -> descendant_id::text IS DISTINCT FROM to_jsonb(now.ancestors);
    IF moved IS NOT NULL THEN
        PERFORM archive_refresh_rollup_place_ids(
            ARRAY(SELECT DISTINCT article_id FROM archive_article_places WHERE place_id = ANY(moved))
        );
    END IF;
    RETURN NULL;
END $function$;
