CREATE OR REPLACE TRIGGER archive_day_count_insert AFTER INSERT ON public.archive_article REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION archive_day_count_delta();
