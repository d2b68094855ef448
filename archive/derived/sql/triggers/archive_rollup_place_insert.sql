CREATE OR REPLACE TRIGGER archive_rollup_place_insert AFTER INSERT ON public.archive_article_places REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION archive_rollup_place_links();
