"""The exact mode's text-search configuration: `simple` (no stemming, no stop words) with `unaccent`."""

from django.db import migrations

CREATE_CONFIG = """
CREATE TEXT SEARCH CONFIGURATION archive_simple (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION archive_simple
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
"""


class Migration(migrations.Migration):
    dependencies = [("archive", "0006_editors_import_permissions")]

    operations = [
        migrations.RunSQL(CREATE_CONFIG, "DROP TEXT SEARCH CONFIGURATION IF EXISTS archive_simple;"),
    ]
