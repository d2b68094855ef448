CREATE OR REPLACE TRIGGER archive_day_count_truncate AFTER TRUNCATE ON public.archive_article FOR EACH STATEMENT EXECUTE FUNCTION archive_day_count_truncate();
