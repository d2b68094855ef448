CREATE OR REPLACE FUNCTION public.archive_article_facet_group()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.facet_group_id IS NOT DISTINCT FROM OLD.facet_group_id
       AND NEW.source_id IS NOT DISTINCT FROM OLD.source_id
       AND NEW.rollup_place_ids = OLD.rollup_place_ids AND NEW.rollup_topic_ids = OLD.rollup_topic_ids THEN
        RETURN NEW;
    END IF;
    NEW.facet_group_id := archive_facet_group_id(NEW.source_id, NEW.rollup_place_ids, NEW.rollup_topic_ids);
    RETURN NEW;
END $function$;
