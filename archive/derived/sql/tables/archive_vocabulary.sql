-- The did-you-mean word lists, one per language: every word of the published articles' exact vectors in that language, with its article count.
CREATE MATERIALIZED VIEW IF NOT EXISTS archive_vocabulary AS
    SELECT present.language, stat.word, stat.ndoc
    FROM (SELECT DISTINCT language FROM public.archive_article WHERE status = 'published') present,
         LATERAL ts_stat('SELECT search_vector_exact FROM public.archive_article WHERE status = ''published'' AND language = ' || quote_literal(present.language)) stat
    WITH NO DATA;
CREATE UNIQUE INDEX IF NOT EXISTS archive_vocabulary_language_word ON archive_vocabulary USING btree (language, word);
CREATE INDEX IF NOT EXISTS archive_vocabulary_trgm ON archive_vocabulary USING gin (word gin_trgm_ops);
