"""A text-search configuration per language, each article's stemmed vector in its own language.

Every language PostgreSQL ships a Snowball stemmer for gets `archive_<name>`: a copy of PostgreSQL's
configuration with `unaccent` before the stemmer (as archive_english, migration 0001). The stemmed
vector is re-created with a CASE on `language` (others and `und`: archive_simple); the exact vector
is unchanged. The languages present (archive_language_count, kept by triggers from their files in
archive/derived/sql/) are counted from the published articles once here.
"""

from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import migrations, models
from django.db.models.functions import Left

from archive.derived.sql_files import recreate_sql

# Frozen here: text_config.STEMMED_LANGUAGES as this migration made it.
LANGUAGES = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "da": "danish", "nl": "dutch",
    "en": "english", "fi": "finnish", "fr": "french", "de": "german", "el": "greek", "hi": "hindi",
    "hu": "hungarian", "id": "indonesian", "ga": "irish", "it": "italian", "lt": "lithuanian",
    "ne": "nepali", "no": "norwegian", "nb": "norwegian", "pt": "portuguese", "ro": "romanian",
    "ru": "russian", "sr": "serbian", "es": "spanish", "sv": "swedish", "ta": "tamil", "tr": "turkish",
    "yi": "yiddish",
}  # fmt: skip
NEW_CONFIGS = sorted(set(LANGUAGES.values()) - {"english"})

CREATE_CONFIGS = "".join(
    f"CREATE TEXT SEARCH CONFIGURATION archive_{name} (COPY = {name});\n"
    f"ALTER TEXT SEARCH CONFIGURATION archive_{name}\n"
    f"    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {name}_stem;\n"
    for name in NEW_CONFIGS
)
DROP_CONFIGS = "".join(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS archive_{name};\n" for name in NEW_CONFIGS)
COUNT_LANGUAGES = """
TRUNCATE archive_language_count;
INSERT INTO archive_language_count (language, n)
SELECT language, count(*) FROM archive_article WHERE status = 'published' GROUP BY language;
"""


def indexable(expression):
    return models.Func(
        expression,
        models.Value("<>/"),
        models.Value("   "),
        function="translate",
        output_field=models.TextField(),
    )


def vector(config: str):
    return (
        SearchVector(indexable(models.F("headline")), config=config, weight="A")
        + SearchVector(indexable(models.F("summary")), config=config, weight="B")
        + SearchVector(indexable(Left("body", 500_000)), config=config, weight="C")
        + SearchVector(
            indexable(models.F("byline")), indexable(models.F("dateline")), config=config, weight="D"
        )
    )


def language_vector():
    by_config = {}
    for code, name in LANGUAGES.items():
        by_config.setdefault(f"archive_{name}", []).append(code)
    return models.Case(
        *(models.When(language__in=codes, then=vector(config)) for config, codes in by_config.items()),
        default=vector("archive_simple"),
        output_field=SearchVectorField(),
    )


def rebuild_stemmed_vector(apps, schema_editor):
    article = apps.get_model("archive", "Article")
    table = schema_editor.quote_name(article._meta.db_table)
    definition, params = schema_editor.column_sql(
        article, article._meta.get_field("search_vector"), include_default=False
    )
    schema_editor.execute(
        f"ALTER TABLE {table} DROP COLUMN search_vector, ADD COLUMN search_vector {definition}, "
        "ALTER COLUMN search_vector SET STORAGE MAIN",
        params,
    )
    schema_editor.execute(f"CREATE INDEX article_search_vector_gin ON {table} USING gin (search_vector)")
    schema_editor.execute(f"ANALYZE {table}")


class Migration(migrations.Migration):
    dependencies = [("archive", "0023_index_words_in_brackets_and_slashes")]

    operations = [
        migrations.RunSQL(CREATE_CONFIGS, DROP_CONFIGS),
        migrations.RunSQL(recreate_sql() + COUNT_LANGUAGES, migrations.RunSQL.noop),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    "article",
                    "search_vector",
                    models.GeneratedField(
                        db_persist=True, expression=language_vector(), output_field=SearchVectorField()
                    ),
                )
            ]
        ),
        migrations.RunPython(rebuild_stemmed_vector, migrations.RunPython.noop),
        migrations.CreateModel(
            name="LanguageCount",
            fields=[
                ("language", models.CharField(max_length=8, primary_key=True, serialize=False)),
                ("n", models.IntegerField()),
            ],
            options={
                "db_table": "archive_language_count",
                "managed": False,
            },
        ),
    ]
