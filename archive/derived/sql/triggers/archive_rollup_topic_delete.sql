CREATE OR REPLACE TRIGGER archive_rollup_topic_delete AFTER DELETE ON public.archive_article_topics REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION archive_rollup_topic_links();
