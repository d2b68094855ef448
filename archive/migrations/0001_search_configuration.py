"""Extensions and the accent-insensitive English text-search configuration the stored vector uses."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

CREATE_CONFIG = """
CREATE TEXT SEARCH CONFIGURATION archive_english (COPY = english);
ALTER TEXT SEARCH CONFIGURATION archive_english
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
"""
DROP_CONFIG = "DROP TEXT SEARCH CONFIGURATION IF EXISTS archive_english;"


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunSQL(CREATE_CONFIG, DROP_CONFIG),
    ]
