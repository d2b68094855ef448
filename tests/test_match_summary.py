"""One statement counts a search's matches by day and facet; day counts are kept by triggers."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from archive import search
from archive.derived.refresh import compact_day_counts
from archive.models import Article
from archive.search import match_summary
from tests.factories import make_article, make_place, make_topic

pytestmark = pytest.mark.django_db

DAY = dt.date(1987, 3, 2)


@pytest.fixture
def demo():
    call_command("load_demo")


def held(first=None, last=None) -> dict:
    return match_summary.held_per_day(first, last)


def true_days() -> dict:
    return match_summary.day_counts(Article.objects.published())


def test_day_counts_follow_inserts_publication_date_changes_and_deletes():
    article = make_article(published_on=DAY)
    make_article(published_on=DAY)
    make_article(published_on=DAY, status=Article.Status.DRAFT)
    assert held(DAY, DAY) == {DAY: 2}
    Article.objects.filter(pk=article.pk).update(published_on=DAY + dt.timedelta(days=1))
    assert held(DAY, DAY + dt.timedelta(days=1)) == {DAY: 1, DAY + dt.timedelta(days=1): 1}
    Article.objects.filter(status=Article.Status.DRAFT).update(status=Article.Status.PUBLISHED)
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    assert held(DAY, DAY + dt.timedelta(days=1)) == {DAY: 2}
    Article.objects.filter(published_on=DAY).first().delete()
    assert held() == true_days()


def test_compacting_keeps_the_counts_and_leaves_one_row_per_day():
    for n in range(5):
        make_article(published_on=DAY + dt.timedelta(days=n % 2))
    Article.objects.filter(published_on=DAY).update(headline="Edited")  # no count moves
    compact_day_counts()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), count(DISTINCT day) FROM archive_day_count")
        rows, days = cursor.fetchone()
    assert rows == days
    assert held() == true_days()


def _search(**params):
    query = QueryDict(mutable=True)
    for name, value in params.items():
        query[name] = value
    return search.run(query)


def test_summary_counts_equal_plain_counts(demo):
    mali = make_place("Mali2", kind="country")
    coups = make_topic("Coups2")
    for n in range(6):
        make_article(
            f"Kati report {n}", published_on=DAY + dt.timedelta(days=n), places=[mali], topics=[coups]
        )
    for params in ({"q": "Kati"}, {"place": "mali2"}, {"q": "report", "topic": "coups2"}, {"q": "zzzz"}):
        outcome = _search(**params)
        summary = outcome.summary
        assert summary.count == outcome.matches.count(), params
        assert summary.days == match_summary.day_counts(outcome.matches), params
    facets = _search(q="report").facets()
    assert {"value": "mali2", "label": "Mali2", "count": 6} in facets["place"]
    assert {"value": "coups2", "label": "Coups2", "count": 6} in facets["topic"]


def test_the_search_page_computes_its_matches_once(client, demo):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": "Kati"})
    assert response.status_code == 200
    statements = [q["sql"] for q in queries.captured_queries]
    assert sum("/* match summary */" in sql for sql in statements) == 1
    assert not any('COUNT(*) AS "__count"' in sql for sql in statements)
    assert not any(
        '"archive_article" WHERE "archive_article"."status"' in sql and "GROUP BY" in sql
        for sql in statements
    ), "the timeline's held and total come from the day counts"


def test_the_ranked_page_from_the_summary_is_the_ordered_querysets_page(client):
    for n in range(45):
        words = "wheat " * (n % 4 + 1)
        make_article(f"Grain note {n}", body=f"{words} harvest", published_on=DAY + dt.timedelta(days=n % 3))
    outcome = _search(q="wheat")
    expected = list(outcome.ordered.values_list("id", flat=True))
    for number in (1, 2, 3):
        query = QueryDict(mutable=True)
        query["q"] = "wheat"
        outcome = search.run(query, page=search.PageSlice((number - 1) * 20, 20))
        assert outcome.summary.page_ids == expected[(number - 1) * 20 : number * 20]
        html = client.get("/search/", {"q": "wheat", "page": number}).content.decode()
        shown = [int(pk) for pk in re.findall(r'href="/articles/(\d+)/', html)]
        assert list(dict.fromkeys(shown)) == expected[(number - 1) * 20 : number * 20]
    assert client.get("/search/", {"q": "wheat", "page": 4}).status_code == 404
    assert client.get("/search/", {"q": "wheat", "page": "9" * 40}).status_code == 404


def test_the_api_relevance_page_comes_from_the_counting_statement(client):
    for n in range(30):
        make_article(f"Grain note {n}", body="wheat " * (n % 4 + 1), published_on=DAY)
    expected = list(_search(q="wheat").ordered.values_list("id", flat=True))
    for params, shown in (({"q": "wheat"}, expected[:20]), ({"q": "wheat", "page": 2}, expected[20:])):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/search/", params)
        assert response.status_code == 200
        assert [item["id"] for item in response.json()["results"]] == shown
        statements = [q["sql"] for q in queries.captured_queries]
        assert sum("/* match summary */" in sql for sql in statements) == 1
        ranked_again = [sql for sql in statements if "ts_rank" in sql and "LIMIT" in sql]
        assert not any("/* match summary */" not in sql for sql in ranked_again), ranked_again
