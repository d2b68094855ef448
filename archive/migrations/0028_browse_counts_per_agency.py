"""The browse counts count agencies too (the Agency facet of a browse without counting the matches).

archive_browse_agency gives each agency the published articles are credited with (their own, else
their story's) a key numbered after the languages'; an edit of an article's agency, or a story whose
agency moves to or from its copies, makes the counts stale. The counts are rebuilt once here.
"""

from django.db import migrations

from archive.derived.sql_files import recreate_sql


class Migration(migrations.Migration):
    dependencies = [("archive", "0027_stories")]

    operations = [
        migrations.RunSQL(recreate_sql() + "\nSELECT refresh_browse_counts();", migrations.RunSQL.noop),
    ]
