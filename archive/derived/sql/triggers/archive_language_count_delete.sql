CREATE OR REPLACE TRIGGER archive_language_count_delete AFTER DELETE ON public.archive_article REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION archive_language_count_delta();
