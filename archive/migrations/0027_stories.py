"""Stories: articles sharing most of their text (archive/derived/stories/).

Creates the story tables, the queue trigger and the truncate trigger from their files. Existing
articles are not compared here (a million articles take minutes): `manage.py find_stories` does it
once after upgrading, with progress.
"""

from django.db import migrations, models

from archive.derived.sql_files import definitions

TABLES = [
    definitions("tables")[name]
    for name in (
        "archive_story_dirty",
        "archive_story_text",
        "archive_story_sample",
        "archive_story_link",
        "archive_story_member",
    )
]
FUNCTIONS = [definitions("functions")[name] for name in ("archive_story_dirty", "archive_story_truncate")]
TRIGGERS = [
    definitions("triggers")[name]
    for name in ("archive_story_insert", "archive_story_update", "archive_story_delete", "archive_story_truncate")
]


class Migration(migrations.Migration):
    dependencies = [("archive", "0026_vocabulary_per_language")]

    operations = [
        migrations.RunSQL("\n".join([*TABLES, *FUNCTIONS, *TRIGGERS]), migrations.RunSQL.noop),
        migrations.CreateModel(
            name="StoryMember",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="story_member",
                        serialize=False,
                        to="archive.article",
                    ),
                ),
                ("story_id", models.IntegerField()),
                ("agency", models.CharField(max_length=100)),
            ],
            options={"db_table": "archive_story_member", "managed": False},
        ),
        migrations.CreateModel(
            name="StoryLink",
            fields=[
                ("pk", models.CompositePrimaryKey("article_id", "other_id", blank=True, editable=False, primary_key=True, serialize=False)),
                ("article_id", models.IntegerField()),
                ("other_id", models.IntegerField()),
                ("overlap", models.FloatField()),
            ],
            options={"db_table": "archive_story_link", "managed": False},
        ),
    ]
