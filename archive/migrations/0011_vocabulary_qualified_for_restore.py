"""The vocabulary view's inner query names its table with the schema: pg_restore refreshes it with an
empty search_path, where an unqualified `archive_article` does not exist."""

from django.db import migrations

FORWARD = """
DROP MATERIALIZED VIEW IF EXISTS archive_vocabulary;
CREATE MATERIALIZED VIEW archive_vocabulary AS
    SELECT word, ndoc FROM ts_stat(
        'SELECT search_vector_exact FROM public.archive_article WHERE status = ''published'''
    );
CREATE UNIQUE INDEX archive_vocabulary_word ON archive_vocabulary (word);
CREATE INDEX archive_vocabulary_trgm ON archive_vocabulary USING gin (word gin_trgm_ops);
"""
BACKWARD = """
DROP MATERIALIZED VIEW IF EXISTS archive_vocabulary;
CREATE MATERIALIZED VIEW archive_vocabulary AS
    SELECT word, ndoc FROM ts_stat(
        'SELECT search_vector_exact FROM archive_article WHERE status = ''published'''
    );
CREATE UNIQUE INDEX archive_vocabulary_word ON archive_vocabulary (word);
CREATE INDEX archive_vocabulary_trgm ON archive_vocabulary USING gin (word gin_trgm_ops);
"""


class Migration(migrations.Migration):
    dependencies = [("archive", "0010_fuzzystrmatch")]
    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
