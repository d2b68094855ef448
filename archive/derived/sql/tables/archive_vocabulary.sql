-- The did-you-mean word list: every word of the published articles' exact vectors, with its article count.
CREATE MATERIALIZED VIEW IF NOT EXISTS archive_vocabulary AS
    SELECT word, ndoc FROM ts_stat('SELECT search_vector_exact FROM public.archive_article WHERE status = ''published''')
    WITH NO DATA;
CREATE UNIQUE INDEX IF NOT EXISTS archive_vocabulary_word ON archive_vocabulary USING btree (word);
CREATE INDEX IF NOT EXISTS archive_vocabulary_trgm ON archive_vocabulary USING gin (word gin_trgm_ops);
