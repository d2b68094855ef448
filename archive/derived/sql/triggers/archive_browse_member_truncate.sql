CREATE OR REPLACE TRIGGER archive_browse_member_truncate AFTER TRUNCATE ON public.archive_story_member FOR EACH STATEMENT EXECUTE FUNCTION archive_browse_stale();
