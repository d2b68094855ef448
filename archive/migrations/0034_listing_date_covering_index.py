"""The date-ordered listings read their page's ids from one index that holds, beside the date and
id, the columns the filters test (places, topics, source, language): a filtered list newest first
no longer fetches every skipped row from the table (archive_article_rollups.sql)."""

from django.db import migrations

from archive.derived.sql_files import recreate_sql


class Migration(migrations.Migration):
    dependencies = [("archive", "0033_story_member_alone")]

    operations = [
        migrations.RunSQL(
            recreate_sql(),
            "DROP INDEX IF EXISTS article_listing_date;",
        ),
    ]
