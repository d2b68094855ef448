CREATE OR REPLACE FUNCTION public.archive_story_truncate()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    TRUNCATE archive_story_dirty, archive_story_text, archive_story_sample, archive_story_link,
             archive_story_member, archive_story_day;
    RETURN NULL;
END $function$;
