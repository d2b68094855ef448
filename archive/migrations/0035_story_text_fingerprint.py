"""A reprint word for word joins its story through the article it repeats, found by the fingerprint of
its 5-grams, instead of counting the samples it shares with every copy (archive_story_text.sql)."""

from django.db import migrations

from archive.derived.sql_files import recreate_sql


class Migration(migrations.Migration):
    dependencies = [("archive", "0034_listing_date_covering_index")]

    operations = [
        migrations.RunSQL(
            recreate_sql(),
            "DROP INDEX IF EXISTS archive_story_text_fingerprint; "
            "ALTER TABLE archive_story_text DROP COLUMN IF EXISTS fingerprint;",
        ),
    ]
