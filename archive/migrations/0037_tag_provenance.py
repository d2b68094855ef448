"""Provenance on every tag (issue 22 §1): each place and topic link records how it came — `editor` (the
default: added in the admin or by hand), `import` (from a record's metadata) or `found` (found in the
text, with its evidence: the matched words and where).

The columns sit on Django's own link tables (archive_article_places, archive_article_topics), so the
admin's widgets, the revisions' serialized ids and every query keep working; they are read and written
by SQL (archive.tag_origins). Links that exist already are `import` on articles whose last import wrote
that field (their import digest names it), else `editor`.
"""

from django.db import migrations

COLUMNS = """
ALTER TABLE {table}
    ADD COLUMN provenance text NOT NULL DEFAULT 'editor'
        CONSTRAINT {table}_provenance CHECK (provenance IN ('editor', 'import', 'found')),
    ADD COLUMN evidence jsonb;
UPDATE {table} link SET provenance = 'import'
FROM archive_article article
WHERE article.id = link.article_id AND article.import_digest ? '{field}';
"""
DROP = "ALTER TABLE {table} DROP COLUMN provenance, DROP COLUMN evidence;"
TABLES = (("archive_article_places", "places"), ("archive_article_topics", "topics"))


class Migration(migrations.Migration):
    dependencies = [("archive", "0036_article_lighter_indexes")]

    operations = [
        migrations.RunSQL(COLUMNS.format(table=table, field=field), DROP.format(table=table))
        for table, field in TABLES
    ]
