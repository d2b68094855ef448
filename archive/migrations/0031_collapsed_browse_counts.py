"""The browse counts count stories in facets, years and months too (archive_browse_story_pair and
archive_browse_story_period): collapse=story with one place, topic or source, or none, reads them
instead of counting its matches. The counts are rebuilt once here.
"""

from django.db import migrations

from archive.derived.sql_files import recreate_sql


class Migration(migrations.Migration):
    dependencies = [("archive", "0030_browse_counts_per_story")]

    operations = [
        migrations.RunSQL(
            recreate_sql() + "\nSELECT refresh_browse_counts();",
            migrations.RunSQL.noop,
        ),
    ]
