"""GIN indexes on the rolled-up place and topic ids: the place, topic, person and organisation filters."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("archive", "0015_browse_counts")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX article_rollup_place_gin ON archive_article USING gin (rollup_place_ids);"
            "CREATE INDEX article_rollup_topic_gin ON archive_article USING gin (rollup_topic_ids);",
            "DROP INDEX IF EXISTS article_rollup_place_gin; DROP INDEX IF EXISTS article_rollup_topic_gin;",
        )
    ]
