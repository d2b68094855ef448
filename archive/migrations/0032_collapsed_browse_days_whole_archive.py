"""The browse counts' per-day story correction covers the whole archive too (key 0 of
archive_browse_story_day): collapse=story without filters reads it instead of archive_story_day, which
waits for stories.catch_up after a bulk update. The counts are rebuilt once here.
"""

from django.db import migrations

from archive.derived.sql_files import recreate_sql


class Migration(migrations.Migration):
    dependencies = [("archive", "0031_collapsed_browse_counts")]

    operations = [
        migrations.RunSQL(recreate_sql() + "\nSELECT refresh_browse_counts();", migrations.RunSQL.noop),
    ]
