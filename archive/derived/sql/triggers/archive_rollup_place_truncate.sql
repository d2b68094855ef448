CREATE OR REPLACE TRIGGER archive_rollup_place_truncate AFTER TRUNCATE ON public.archive_article_places FOR EACH STATEMENT EXECUTE FUNCTION archive_rollup_place_links_truncate();
