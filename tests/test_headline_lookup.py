"""`headline:` terms are looked up in headline_vector, its own index: the same rows as the weighted
stemmed vector gives, in every language and query shape (archive.search.compiler._headline_lookup)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Q
from django.http import QueryDict

from archive import search
from archive.models import Article
from archive.search.compiler import TsQuery, compile_query
from tests.factories import make_article

pytestmark = pytest.mark.django_db

QUERIES = [
    "headline:opec",
    "headline:opec*",
    "headline:opec oil",
    'headline:"oil prices"',
    'headline:"prices oil"',
    'headline:"opec prices"~2',
    "headline:opec headline:prices",
    "headline:opec -oil",
    "headline:opec OR oil",
    "-headline:opec oil",
    "headline:opec exact:cut",
    "headline:élection",
    "headline:attaque Kati",
    "headline:parties",
]


@pytest.fixture
def articles():
    """Headlines and bodies that hold the same words, in English and in French (own words)."""
    return [
        make_article("OPEC cuts oil prices", body="Ministers met in Vienna.", language="en"),
        make_article("Oil prices fall", body="OPEC said nothing about the cut.", language="en"),
        make_article("Prices of oil and OPEC output", body="A quiet week.", language="en"),
        make_article("Opec's ministers meet", body="Oil prices rose.", language="en"),
        make_article("Markets wait", body="OPEC oil prices were cut.", language="en"),
        make_article("Une élection à Bamako", body="Les parties signent.", language="fr"),
        make_article("Attaque contre le camp de Kati", body="Une élection est prévue.", language="fr"),
        make_article("Les parties votent", body="OPEC et le pétrole.", language="fr"),
        make_article("Parties agree on a vote", body="An election in Kati.", language="en"),
    ]


def found(query: str) -> set[int]:
    result = search.run(QueryDict(f"q={query}"), counted=False)
    assert not result.errors, result.errors
    return set(result.matches.values_list("pk", flat=True))


LOOKUP = '"archive_article"."headline_vector" @@'


def sql(query: str) -> str:
    return str(search.run(QueryDict(f"q={query}"), counted=False).matches.query)


def weighted_only(query: str) -> set[int]:
    """The rows the weighted vectors alone give (the lookup before headline_vector), recheck included."""
    compiled = compile_query(query)
    parts = [compiled] + [variant for _, variant in compiled.by_language]
    for part in parts:
        part.headline = part.stemmed_rest = ""
        for variant in part.variants:
            variant.headline = variant.stemmed_rest = ""
    return set(Article.objects.filter(compiled.condition(), status="published").values_list("pk", flat=True))


@pytest.mark.parametrize("query", QUERIES)
def test_a_headline_term_finds_what_the_weighted_vector_finds(articles, query):
    assert found(query) == weighted_only(query)


def test_headline_terms_find_headlines_only(articles):
    headlines = {a.headline: a.pk for a in articles}
    assert found("headline:opec") == {
        headlines["OPEC cuts oil prices"],
        headlines["Prices of oil and OPEC output"],
        headlines["Opec's ministers meet"],
    }
    assert found('headline:"oil prices"') == {headlines["OPEC cuts oil prices"], headlines["Oil prices fall"]}
    assert found("headline:élection") == {headlines["Une élection à Bamako"]}
    assert LOOKUP in sql("headline:opec") and LOOKUP not in sql("headline:opec OR oil")
    assert "headline_vector" not in sql("headline:opec").split(" FROM ")[0]  # looked up, never read


def test_the_headline_vector_holds_the_headline_words_of_the_stemmed_vector(articles):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM archive_article "
            "WHERE strip(headline_vector) IS DISTINCT FROM strip(ts_filter(search_vector, '{a}'))"
        )
        assert cursor.fetchone()[0] == 0
    edited = articles[0]
    edited.headline = "Saudi output steady"
    edited.save()
    assert edited.pk in found("headline:saudi") and edited.pk not in found("headline:opec")


def test_the_headline_lookup_replaces_the_weighted_one_in_a_single_language(articles):
    Article.objects.filter(language="fr").delete()
    compiled = compile_query("headline:opec oil")
    assert compiled.headline == "('opec')" and compiled.stemmed_rest == "(('oil'))"
    rows = Article.objects.filter(Q(search_vector=TsQuery(compiled.stemmed)))
    assert found("headline:opec oil") == set(rows.values_list("pk", flat=True))
