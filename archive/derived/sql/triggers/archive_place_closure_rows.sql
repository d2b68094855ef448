CREATE OR REPLACE TRIGGER archive_place_closure_rows AFTER DELETE OR UPDATE OF parent_id ON public.archive_place FOR EACH STATEMENT EXECUTE FUNCTION archive_rebuild_place_closure();
