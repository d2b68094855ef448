CREATE OR REPLACE TRIGGER archive_browse_article_insert AFTER INSERT ON public.archive_article FOR EACH STATEMENT EXECUTE FUNCTION archive_browse_stale();
