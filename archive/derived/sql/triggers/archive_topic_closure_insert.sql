CREATE OR REPLACE TRIGGER archive_topic_closure_insert AFTER INSERT ON public.archive_topic REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION archive_add_topic_closure();
