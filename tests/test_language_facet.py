"""The language facet: exact counts (count = click) whether the matches or the browse counts answer."""

from __future__ import annotations

import pytest
from django.db.models import Count
from django.http import QueryDict

from archive import search as archive_search
from archive.derived.refresh import refresh_browse_counts
from archive.models import Article, Place
from archive.search import browse_counts, match_summary
from tests.import_helpers import REUTERS, run_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed():
    """A Reuters file whose articles are given three languages (every fifth French, every ninth Spanish)."""
    run_import(REUTERS / "reut2-003.sgm")
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    Article.objects.filter(pk__in=ids[::5]).update(language="fr")
    Article.objects.filter(pk__in=ids[1::9]).update(language="es")
    refresh_browse_counts()


def searched(query: str):
    result = archive_search.run(QueryDict(query))
    assert not result.errors, result.errors
    return result


def clicked(query: str, code: str) -> int:
    return searched(f"{query}&language={code}" if query else f"language={code}").total


def busiest_place() -> Place:
    return Place.objects.annotate(n=Count("articles")).order_by("-n")[0]


def test_each_language_count_is_what_its_click_returns(mixed):
    place = busiest_place()
    queries = ("", "q=oil", "q=said", f"place={place.slug}", "from=1987-03-10", f"q=oil&place={place.slug}")
    for query in queries:
        facet = searched(query).facets()["language"]
        assert {entry["value"] for entry in facet} == {"en", "fr", "es"}, query
        for entry in facet:
            assert entry["count"] == clicked(query, entry["value"]), (query, entry)
        assert sum(entry["count"] for entry in facet) == searched(query).total, query


def test_the_browse_counts_give_the_same_language_counts_as_the_matches(mixed):
    place = busiest_place()
    for query in ("", f"place={place.slug}", "from=1987-03-10", "to=1987-03-10"):
        result = searched(query)
        browsed = browse_counts.summary_for(result.filterset.form.cleaned_data)
        assert browsed is not None, query
        assert browsed.trees["language"] == match_summary.summarize(result.matches).trees["language"], query


def test_changing_a_language_makes_the_browse_counts_stale(mixed):
    plain = searched("").filterset.form.cleaned_data
    article = Article.objects.published().filter(language="en").first()
    Article.objects.filter(pk=article.pk).update(language="de")
    assert browse_counts.summary_for(plain) is None  # the matches are counted meanwhile
    assert {"value": "de", "label": "German", "count": 1} in searched("").facets()["language"]
    refresh_browse_counts()
    assert (
        browse_counts.summary_for(plain).trees["language"]
        == match_summary.summarize(searched("").matches).trees["language"]
    )


def test_the_page_and_the_api_show_the_language_facet(client, mixed):
    french = clicked("q=oil", "fr")
    page = client.get("/search/", {"q": "oil"}).content.decode()
    assert 'id="facet-language"' in page and "?q=oil&amp;language=fr" in page
    assert f"{french:,}" in page
    api = client.get("/api/search/", {"q": "oil"}).json()
    languages = {entry["value"]: entry["count"] for entry in api["facets"]["language"]}
    assert languages["fr"] == french and set(languages) == {"en", "fr", "es"}
    assert {item["language"] for item in api["results"]} <= {"en", "fr", "es"}
