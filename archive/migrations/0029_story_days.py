"""The archive counted with each story once, per day (archive_story_day), for collapse=story's share.

Each story member keeps the publication day it was counted on; archive_story_day holds, per day, the
stories first published that day minus the copies published that day, so that the archive's day
counts plus it are the collapsed archive's. Both are filled here from the stories already formed,
after the functions are re-created: the update triggers compare their transition tables as a set
difference now (a join of them was planned as a nested loop, minutes for a big update).
"""

from django.db import migrations

from archive.derived.sql_files import recreate_sql

BACKFILL = """
ALTER TABLE archive_story_member ADD COLUMN IF NOT EXISTS published_on date;
UPDATE archive_story_member member SET published_on = article.published_on
FROM archive_article article WHERE article.id = member.article_id AND member.published_on IS NULL;
DELETE FROM archive_story_member WHERE published_on IS NULL;
ALTER TABLE archive_story_member ALTER COLUMN published_on SET NOT NULL;
TRUNCATE archive_story_day;
INSERT INTO archive_story_day (day, n)
SELECT day, sum(n) FROM (
    SELECT published_on AS day, -1 AS n FROM archive_story_member
    UNION ALL
    SELECT min(published_on), 1 FROM archive_story_member GROUP BY story_id
) counted GROUP BY day HAVING sum(n) <> 0;
"""


class Migration(migrations.Migration):
    dependencies = [("archive", "0028_browse_counts_per_agency")]

    operations = [
        migrations.RunSQL(
            recreate_sql() + BACKFILL, migrations.RunSQL.noop
        ),
    ]
