CREATE OR REPLACE TRIGGER archive_topic_closure_truncate AFTER TRUNCATE ON public.archive_topic FOR EACH STATEMENT EXECUTE FUNCTION archive_rebuild_topic_closure();
