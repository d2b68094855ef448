CREATE OR REPLACE FUNCTION public.archive_facet_group_id(source bigint, places integer[], topics integer[])
 RETURNS integer
 LANGUAGE plpgsql
 SET enable_seqscan TO 'off'
AS $function$
DECLARE
    found_id integer;
BEGIN
    SELECT min(id) INTO found_id FROM archive_facet_group
    WHERE source_id = coalesce(source, 0) AND place_ids = places AND topic_ids = topics;
    IF found_id IS NULL THEN
        INSERT INTO archive_facet_group (source_id, place_ids, topic_ids)
        VALUES (coalesce(source, 0), places, topics) RETURNING id INTO found_id;
    END IF;
    RETURN found_id;
END $function$;
