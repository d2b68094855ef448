CREATE OR REPLACE FUNCTION public.archive_add_topic_closure()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    -- New nodes: each with itself and every node above it (walked up the parents, new ones included).
    -- A new node is tagged on no article yet: nothing else changes. Moves and deletions rebuild.
    LOCK TABLE archive_topicclosure IN EXCLUSIVE MODE;
    INSERT INTO archive_topicclosure (ancestor_id, descendant_id, depth)
    WITH RECURSIVE chain(descendant_id, ancestor_id, depth) AS (
        SELECT id, id, 0 FROM new_rows
        UNION ALL
        SELECT chain.descendant_id, node.parent_id, chain.depth + 1
        FROM chain JOIN archive_topic node ON node.id = chain.ancestor_id
        WHERE node.parent_id IS NOT NULL AND chain.depth < 60
    )
    SELECT DISTINCT ON (ancestor_id, descendant_id) ancestor_id, descendant_id, depth FROM chain
    ORDER BY ancestor_id, descendant_id, depth;
    RETURN NULL;
END $function$;
