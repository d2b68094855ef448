"""Each story member says whether it was its story's only member in its year or month when the story
was formed (archive_story_member.alone): a collapsed search counts those copies in their years and
months without grouping them by story. Filled here from the members' days."""

from django.db import migrations, models

from archive.derived.sql_files import recreate_sql

FILL = """
ALTER TABLE archive_story_member ADD COLUMN IF NOT EXISTS alone smallint NOT NULL DEFAULT 0;
UPDATE archive_story_member member SET alone = computed.alone FROM (
    SELECT article_id, CASE
        WHEN count(*) OVER (PARTITION BY story_id, date_trunc('year', published_on::timestamp)) = 1 THEN 2
        WHEN count(*) OVER (PARTITION BY story_id, date_trunc('month', published_on::timestamp)) = 1 THEN 1
        ELSE 0 END AS alone
    FROM archive_story_member
) computed
WHERE computed.article_id = member.article_id AND computed.alone <> member.alone;
"""


class Migration(migrations.Migration):
    dependencies = [("archive", "0032_collapsed_browse_days_whole_archive")]

    operations = [
        migrations.RunSQL(recreate_sql() + FILL, migrations.RunSQL.noop),
        migrations.AddField(model_name="storymember", name="alone", field=models.SmallIntegerField(default=0)),
    ]
