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
        -- A set difference, not a join: the transition tables have no statistics, and a join of them
        -- was planned as a nested loop (a 720,000-row update ran for minutes).
        moved := EXISTS (
            SELECT article_id, agency FROM new_rows EXCEPT SELECT article_id, agency FROM old_rows
        );
    END IF;
    IF moved THEN
        UPDATE archive_browse_state SET fresh = false WHERE fresh;
    END IF;
    RETURN NULL;
END $function$;
