"""The browse counts count stories too (archive_browse_story_day): collapse=story's timeline share for
one place, topic or source without counting the matches. Any change of a story's members makes the
counts stale (the trigger on archive_story_member, renamed for it). The counts are rebuilt once here.
"""

from django.db import migrations

from archive.derived.sql_files import recreate_sql


class Migration(migrations.Migration):
    dependencies = [("archive", "0029_story_days")]

    operations = [
        migrations.RunSQL(
            "DROP FUNCTION IF EXISTS archive_browse_stale_if_credited() CASCADE;\n"
            + recreate_sql()
            + "\nSELECT refresh_browse_counts();",
            migrations.RunSQL.noop,
        ),
    ]
