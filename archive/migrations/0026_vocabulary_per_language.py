"""A did-you-mean vocabulary per language, and an index for the language filter.

archive_vocabulary gains a `language` column: one ts_stat per language present (each reading its
articles through the new partial index on language), unique on (language, word). It is dropped,
re-created from its file and filled here.
"""

from django.conf import settings
from django.db import migrations, models

from archive.derived.sql_files import definitions

VOCABULARY = definitions("tables")["archive_vocabulary"]


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0025_browse_counts_per_language"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="BrowseLanguage",
            fields=[
                ("key", models.BigIntegerField(primary_key=True, serialize=False)),
                ("language", models.CharField(max_length=8, unique=True)),
            ],
            options={
                "db_table": "archive_browse_language",
                "managed": False,
            },
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("status", "published")),
                fields=["language", "published_on", "id"],
                name="article_language_date",
            ),
        ),
        migrations.RunSQL(
            "DROP MATERIALIZED VIEW IF EXISTS archive_vocabulary;\n"
            + VOCABULARY
            + "\nREFRESH MATERIALIZED VIEW archive_vocabulary;",
            migrations.RunSQL.noop,
        ),
    ]
