CREATE OR REPLACE TRIGGER archive_place_closure_insert AFTER INSERT ON public.archive_place REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION archive_add_place_closure();
