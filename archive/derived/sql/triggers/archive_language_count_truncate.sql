CREATE OR REPLACE TRIGGER archive_language_count_truncate AFTER TRUNCATE ON public.archive_article FOR EACH STATEMENT EXECUTE FUNCTION archive_language_count_truncate();
