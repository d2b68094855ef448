CREATE OR REPLACE TRIGGER archive_language_count_insert AFTER INSERT ON public.archive_article REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION archive_language_count_delta();
