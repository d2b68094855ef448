CREATE OR REPLACE TRIGGER archive_browse_article_delete AFTER DELETE ON public.archive_article FOR EACH STATEMENT EXECUTE FUNCTION archive_browse_stale();
