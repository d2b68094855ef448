CREATE OR REPLACE TRIGGER archive_story_truncate AFTER TRUNCATE ON public.archive_article FOR EACH STATEMENT EXECUTE FUNCTION archive_story_truncate();
