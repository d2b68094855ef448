CREATE OR REPLACE TRIGGER archive_browse_places AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.archive_article_places FOR EACH STATEMENT EXECUTE FUNCTION archive_browse_stale();
