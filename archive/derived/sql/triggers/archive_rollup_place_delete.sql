CREATE OR REPLACE TRIGGER archive_rollup_place_delete AFTER DELETE ON public.archive_article_places REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION archive_rollup_place_links();
