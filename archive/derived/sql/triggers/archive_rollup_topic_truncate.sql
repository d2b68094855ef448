CREATE OR REPLACE TRIGGER archive_rollup_topic_truncate AFTER TRUNCATE ON public.archive_article_topics FOR EACH STATEMENT EXECUTE FUNCTION archive_rollup_topic_links_truncate();
