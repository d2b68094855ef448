"""The browse counts count languages too (a language facet without counting the matches).

archive_browse_language gives each language of the published articles a key (number * 4 + 3); the
browse tables then hold each language's days and its pairs with every node. An edit that changes an
article's language makes the counts stale. The counts are rebuilt once here.
"""

from django.db import migrations

from archive.derived.sql_files import recreate_sql


class Migration(migrations.Migration):
    dependencies = [("archive", "0024_a_configuration_per_language")]

    operations = [
        migrations.RunSQL(recreate_sql() + "\nSELECT refresh_browse_counts();", migrations.RunSQL.noop),
    ]
