CREATE OR REPLACE TRIGGER archive_article_facet_group_new BEFORE INSERT ON public.archive_article FOR EACH ROW WHEN ((new.facet_group_id IS NULL)) EXECUTE FUNCTION archive_article_facet_group();
