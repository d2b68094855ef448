"""Every word indexed: angle brackets and slashes read as spaces by both stored vectors.

PostgreSQL cannot alter a generated column's expression, so both vectors are dropped and added again
in one ALTER TABLE (one rewrite of the table, the search vector kept in the row: storage MAIN), their
GIN indexes rebuilt, and the vocabulary (which reads the exact vector) made again from its file.
Going back keeps the new vectors: they index a superset of the old words.
"""

from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import migrations, models
from django.db.models.functions import Left

from archive.derived.sql_files import definitions

VECTORS = ("search_vector", "search_vector_exact")
INDEXES = {"search_vector": "article_search_vector_gin", "search_vector_exact": "article_search_exact_gin"}


def rebuild_vectors(apps, schema_editor):
    article = apps.get_model("archive", "Article")
    table = schema_editor.quote_name(article._meta.db_table)
    columns, all_params = [], []
    for name in VECTORS:
        definition, params = schema_editor.column_sql(
            article, article._meta.get_field(name), include_default=False
        )
        all_params.extend(params)
        columns.append(f"ADD COLUMN {schema_editor.quote_name(name)} {definition}")
    schema_editor.execute("DROP MATERIALIZED VIEW IF EXISTS archive_vocabulary")
    schema_editor.execute(
        f"ALTER TABLE {table} DROP COLUMN search_vector, DROP COLUMN search_vector_exact, "
        + ", ".join(columns)
        + ", ALTER COLUMN search_vector SET STORAGE MAIN",
        all_params,
    )
    for name, index in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX {index} ON {table} USING gin ({name})")
    schema_editor.execute(definitions("tables")["archive_vocabulary"])
    schema_editor.execute("REFRESH MATERIALIZED VIEW archive_vocabulary")
    schema_editor.execute(f"ANALYZE {table}")


def indexable(expression):
    return models.Func(
        expression,
        models.Value("<>/"),
        models.Value("   "),
        function="translate",
        output_field=models.TextField(),
    )


def vector(config: str):
    """The stored vector as this migration defines it (text_config.article_vector, frozen here)."""
    return (
        SearchVector(indexable(models.F("headline")), config=config, weight="A")
        + SearchVector(indexable(models.F("summary")), config=config, weight="B")
        + SearchVector(indexable(Left("body", 500_000)), config=config, weight="C")
        + SearchVector(
            indexable(models.F("byline")), indexable(models.F("dateline")), config=config, weight="D"
        )
    )


def generated(config: str):
    return models.GeneratedField(db_persist=True, expression=vector(config), output_field=SearchVectorField())


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0022_article_language_detected"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField("article", "search_vector", generated("archive_english")),
                migrations.AlterField("article", "search_vector_exact", generated("archive_simple")),
            ]
        ),
        migrations.RunPython(rebuild_vectors, migrations.RunPython.noop),
    ]
