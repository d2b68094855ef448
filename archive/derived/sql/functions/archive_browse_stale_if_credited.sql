CREATE OR REPLACE FUNCTION public.archive_browse_stale_if_credited()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
DECLARE
    moved boolean;
BEGIN
    -- A story's agency credited to, or taken from, its copies moves the browse counts' Agency facet.
    IF TG_OP = 'INSERT' THEN
        moved := EXISTS (SELECT 1 FROM new_rows WHERE agency <> '');
    ELSIF TG_OP = 'DELETE' THEN
        moved := EXISTS (SELECT 1 FROM old_rows WHERE agency <> '');
    ELSE
        moved := EXISTS (
            SELECT 1 FROM old_rows o JOIN new_rows n USING (article_id) WHERE o.agency IS DISTINCT FROM n.agency
        );
    END IF;
    IF moved THEN
        UPDATE archive_browse_state SET fresh = false WHERE fresh;
    END IF;
    RETURN NULL;
END $function$;
