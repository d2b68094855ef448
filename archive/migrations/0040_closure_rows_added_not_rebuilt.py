"""A new place or topic adds its own closure rows (walked up its parents) instead of rebuilding the whole
closure: with the cities of the gazetteer (35,000 places) a rebuild takes most of a second, once per
statement. Moves and deletions still rebuild (archive_rebuild_*_closure)."""

from django.db import migrations

from archive.derived.sql_files import recreate_sql

OLD_TRIGGERS = "\n".join(
    f"DROP TRIGGER IF EXISTS archive_{kind}_closure_insert ON archive_{kind}; "
    f"DROP FUNCTION IF EXISTS archive_add_{kind}_closure(); "
    f"CREATE OR REPLACE TRIGGER archive_{kind}_closure_rows AFTER INSERT OR DELETE OR UPDATE OF parent_id "
    f"ON public.archive_{kind} FOR EACH STATEMENT EXECUTE FUNCTION archive_rebuild_{kind}_closure();"
    for kind in ("place", "topic")
)


class Migration(migrations.Migration):
    dependencies = [("archive", "0039_place_population")]

    operations = [migrations.RunSQL(recreate_sql(), OLD_TRIGGERS)]
