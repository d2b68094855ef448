CREATE OR REPLACE TRIGGER archive_story_insert AFTER INSERT ON public.archive_article REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION archive_story_dirty();
