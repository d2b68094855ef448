CREATE OR REPLACE TRIGGER archive_story_delete AFTER DELETE ON public.archive_article REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION archive_story_dirty();
