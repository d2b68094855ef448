CREATE OR REPLACE TRIGGER archive_browse_topics AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.archive_article_topics FOR EACH STATEMENT EXECUTE FUNCTION archive_browse_stale();
