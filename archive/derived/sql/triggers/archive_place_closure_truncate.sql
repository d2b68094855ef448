CREATE OR REPLACE TRIGGER archive_place_closure_truncate AFTER TRUNCATE ON public.archive_place FOR EACH STATEMENT EXECUTE FUNCTION archive_rebuild_place_closure();
