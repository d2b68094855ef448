"""Published articles per day, kept by statement triggers: what the archive holds, without counting it.

Rows are deltas (+n, -n), appended and never updated, so concurrent writers never wait on each
other or deadlock; `compact_day_counts()` folds them into one row per day (after an import).
The timeline's "held" and "total" histograms read a few thousand rows instead of a million articles.
"""

from django.db import migrations

FORWARD_SQL = """
CREATE TABLE archive_day_count (day date NOT NULL, n integer NOT NULL);
CREATE INDEX archive_day_count_day ON archive_day_count (day) INCLUDE (n);

CREATE FUNCTION archive_day_count_delta() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO archive_day_count (day, n)
        SELECT published_on, count(*) FROM new_rows WHERE status = 'published' GROUP BY 1;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO archive_day_count (day, n)
        SELECT published_on, -count(*) FROM old_rows WHERE status = 'published' GROUP BY 1;
    ELSE
        -- Only rows whose day or publication changed move a count.
        INSERT INTO archive_day_count (day, n)
        SELECT day, sum(n) FROM (
            SELECT o.published_on AS day, -1 AS n
            FROM old_rows o JOIN new_rows n USING (id)
            WHERE o.status = 'published' AND (n.status <> 'published' OR n.published_on <> o.published_on)
            UNION ALL
            SELECT n.published_on, 1
            FROM old_rows o JOIN new_rows n USING (id)
            WHERE n.status = 'published' AND (o.status <> 'published' OR n.published_on <> o.published_on)
        ) moved
        GROUP BY day HAVING sum(n) <> 0;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION archive_day_count_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE archive_day_count;
    RETURN NULL;
END $$;

CREATE TRIGGER archive_day_count_insert AFTER INSERT ON archive_article
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION archive_day_count_delta();
CREATE TRIGGER archive_day_count_update AFTER UPDATE ON archive_article
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION archive_day_count_delta();
CREATE TRIGGER archive_day_count_delete AFTER DELETE ON archive_article
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION archive_day_count_delta();
CREATE TRIGGER archive_day_count_truncate AFTER TRUNCATE ON archive_article
    FOR EACH STATEMENT EXECUTE FUNCTION archive_day_count_truncate();

CREATE FUNCTION compact_day_counts() RETURNS void LANGUAGE sql AS $$
    WITH folded AS (DELETE FROM archive_day_count RETURNING day, n)
    INSERT INTO archive_day_count (day, n) SELECT day, sum(n) FROM folded GROUP BY day HAVING sum(n) <> 0;
$$;

INSERT INTO archive_day_count (day, n)
SELECT published_on, count(*) FROM archive_article WHERE status = 'published' GROUP BY 1;
"""

BACKWARD_SQL = """
DROP TRIGGER IF EXISTS archive_day_count_insert ON archive_article;
DROP TRIGGER IF EXISTS archive_day_count_update ON archive_article;
DROP TRIGGER IF EXISTS archive_day_count_delete ON archive_article;
DROP TRIGGER IF EXISTS archive_day_count_truncate ON archive_article;
DROP FUNCTION IF EXISTS archive_day_count_delta();
DROP FUNCTION IF EXISTS archive_day_count_truncate();
DROP FUNCTION IF EXISTS compact_day_counts();
DROP TABLE IF EXISTS archive_day_count;
"""


class Migration(migrations.Migration):
    dependencies = [("archive", "0012_rate_counter")]

    operations = [migrations.RunSQL(FORWARD_SQL, BACKWARD_SQL)]
