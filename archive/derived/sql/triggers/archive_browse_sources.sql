CREATE OR REPLACE TRIGGER archive_browse_sources AFTER DELETE OR TRUNCATE ON public.archive_source FOR EACH STATEMENT EXECUTE FUNCTION archive_browse_stale();
