CREATE OR REPLACE TRIGGER archive_topic_closure_rows AFTER DELETE OR UPDATE OF parent_id ON public.archive_topic FOR EACH STATEMENT EXECUTE FUNCTION archive_rebuild_topic_closure();
