CREATE OR REPLACE TRIGGER archive_rollup_topic_insert AFTER INSERT ON public.archive_article_topics REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION archive_rollup_topic_links();
