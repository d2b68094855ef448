"""Browsing without words reads archive-wide counts, only while they are fresh, and they are exact."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Count
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from archive import search as archive_search
from archive.derived import stories
from archive.derived.refresh import refresh_browse_counts
from archive.models import Article, Place, Source, Topic
from archive.search import browse_counts, match_summary
from tests.factories import make_article
from tests.import_helpers import REUTERS, run_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def reuters():
    run_import(REUTERS / "reut2-003.sgm")  # the import refreshes the counts


def searched(query: str):
    search = archive_search.run(QueryDict(query))
    assert not search.errors, search.errors
    return search


def both(query: str):
    """(read from the browse counts, counted over the matches) for one search."""
    search = searched(query)
    browsed = browse_counts.summary_for(search.filterset.form.cleaned_data)
    counted = match_summary.summarize(search.matches)
    return browsed, counted


def busiest(model, **filters):
    """The node tagged on most articles."""
    return model.objects.filter(**filters).annotate(n=Count("articles")).order_by("-n")[0]


def queries(place, topic, person, source) -> list[str]:
    days = sorted(set(Article.objects.values_list("published_on", flat=True)))
    middle = days[len(days) // 2]
    return [
        "",
        f"place={place.slug}",
        f"topic={topic.slug}",
        f"person={person.slug}",
        f"source={source.slug}",
        f"from={days[1]}&to={middle}",
        f"from={middle}",
        f"to={middle}",
    ]


def test_browse_counts_equal_the_counted_matches(reuters):
    place = busiest(Place)
    topic = busiest(Topic, kind=Topic.Kind.SUBJECT)
    person = busiest(Topic, kind=Topic.Kind.PERSON)
    source = Source.objects.get(pk=Article.objects.first().source_id)
    for query in queries(place, topic, person, source):
        browsed, counted = both(query)
        assert browsed is not None, query
        assert browsed.days == counted.days, query
        for facet in counted.trees:
            assert browsed.trees[facet] == counted.trees[facet], (query, facet)
        assert browsed.trees["agency"], query  # Reuters-21578 credits Reuters
        assert browsed.count > 0, query


@pytest.mark.parametrize(
    "query",
    [
        "q=oil",
        "language=en",
        "place=usa,uk",
        "place=usa&place=uk",
        "place=usa&topic=crude",
        "place=usa&from=1987",
        "source=reuters&to=1987-03-05",
    ],
)
def test_other_searches_count_their_matches(reuters, query):
    search = searched(query)
    assert browse_counts.summary_for(search.filterset.form.cleaned_data) is None


def test_a_write_that_moves_a_count_makes_them_stale_until_refreshed(reuters):
    article = Article.objects.published().first()
    plain = searched("").filterset.form.cleaned_data
    Article.objects.filter(pk=article.pk).update(headline="A corrected headline")
    assert browse_counts.summary_for(plain) is not None  # no count moved
    Article.objects.filter(pk=article.pk).update(published_on=dt.date(1990, 1, 1))
    assert browse_counts.summary_for(plain) is None
    refresh_browse_counts()
    assert browse_counts.summary_for(plain).days[dt.date(1990, 1, 1)] == 1
    article.places.clear()
    assert browse_counts.summary_for(plain) is None
    refresh_browse_counts()
    make_article(published_on=dt.date(1990, 1, 1))
    assert browse_counts.summary_for(plain) is None
    refresh_browse_counts()
    browsed, counted = both("")
    assert browsed.days == counted.days
    assert browsed.trees == counted.trees


def credited(agency: str) -> int:
    return (
        Article.objects.published()
        .annotate(credit=match_summary.effective_agency())
        .filter(credit=agency)
        .count()
    )


def test_the_agency_facet_counts_each_article_by_its_own_or_its_storys_agency(reprinted, originals):
    plain = searched("").filterset.form.cleaned_data
    browsed, counted = both("")
    assert browsed.trees["agency"] == counted.trees["agency"]
    reuters = {entry["value"]: entry["count"] for entry in browsed.trees["agency"]}["Reuters"]
    assert reuters == credited("Reuters")
    verbatim = Article.objects.get(external_id=f"verbatim-{originals[0].external_id}")
    Article.objects.filter(pk=verbatim.pk).update(body=verbatim.body + " ")  # compared again, same story
    stories.catch_up()
    assert browse_counts.summary_for(plain) is not None  # no agency moved
    edited = Article.objects.get(external_id=f"edited-{originals[0].external_id}")  # credits no one
    Article.objects.filter(pk=edited.pk).update(body="An editor rewrote this report from scratch. " * 5)
    stories.catch_up()  # out of its story: it no longer inherits Reuters
    assert browse_counts.summary_for(plain) is None
    refresh_browse_counts()
    browsed, counted = both("")
    assert browsed.trees["agency"] == counted.trees["agency"]
    assert {entry["value"]: entry["count"] for entry in browsed.trees["agency"]}["Reuters"] == reuters - 1


def test_a_browse_page_counts_no_matches(client, reuters):
    place = busiest(Place)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/search/?place={place.slug}")
    assert response.status_code == 200
    assert not any("match summary" in q["sql"] for q in captured.captured_queries)
    total = Article.objects.published().filter(places__in=[place]).distinct().count()
    assert f"{total:,}" in response.content.decode() or str(total) in response.content.decode()


def test_the_refresh_command_makes_stale_counts_fresh(reuters):
    from django.core.management import call_command

    make_article()
    assert browse_counts.summary_for({}) is None
    call_command("refresh_browse_counts")
    assert browse_counts.summary_for({}).count == Article.objects.published().count()


def both_collapsed(query: str):
    """Under collapse=story: (read from the browse counts, counted over the matches) for one search."""
    search = searched(f"collapse=story&{query}")
    browsed = browse_counts.summary_for(search.filterset.form.cleaned_data)
    counted = match_summary.summarize(search.every_copy, collapsed=True)
    return browsed, counted


def test_collapsed_browse_counts_equal_the_counted_stories(reprinted):
    place = busiest(Place)
    topic = busiest(Topic, kind=Topic.Kind.SUBJECT)
    queries = ["", f"place={place.slug}", f"topic={topic.slug}", "source=reuters", "place=usa"]
    for query in queries:
        browsed, counted = both_collapsed(query)
        assert browsed is not None, query
        assert browsed.count == counted.count < searched(query).total, query  # copies counted once
        assert browsed.days == counted.days, query
        assert browsed.periods == counted.periods and browsed.periods, query
        for facet in counted.trees:
            assert browsed.trees[facet] == counted.trees[facet], (query, facet)


@pytest.mark.parametrize(
    "query", ["from=1987-03", "place=usa&to=1987-03-05", "place=usa&topic=crude", "agency=Reuters", "q=oil"]
)
def test_collapsed_searches_with_dates_or_several_filters_count_their_matches(reprinted, query):
    search = searched(f"collapse=story&{query}")
    assert browse_counts.summary_for(search.filterset.form.cleaned_data) is None


def test_the_collapsed_browse_counts_follow_a_story_that_changes(reprinted, originals):
    cleaned = searched("collapse=story&place=usa").filterset.form.cleaned_data
    before = browse_counts.summary_for(cleaned)
    edited = Article.objects.get(external_id=f"edited-{originals[0].external_id}")
    Article.objects.filter(pk=edited.pk).update(body="An editor rewrote this report from scratch. " * 5)
    stories.catch_up()  # out of its story: one more story, wherever the copy is tagged
    assert browse_counts.summary_for(cleaned) is None
    refresh_browse_counts()
    browsed, counted = both_collapsed("place=usa")
    assert browsed.trees == counted.trees and browsed.periods == counted.periods
    assert browsed.days == counted.days
    tagged = searched("place=usa").matches.filter(pk=edited.pk).exists()
    assert browsed.count == before.count + (1 if tagged else 0)


def test_a_collapsed_browse_page_counts_no_matches(client, reprinted):
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/search/?place=usa&collapse=story")
    assert response.status_code == 200
    assert not any("match summary" in q["sql"] for q in captured.captured_queries)
    assert any("browse counts, stories" in q["sql"] for q in captured.captured_queries)


@pytest.mark.parametrize("change", ["draft", "redate"])
def test_collapsed_browse_counts_are_exact_while_a_copy_waits_for_its_story(reprinted, originals, change):
    """A bulk update sends no signal: the changed copy waits in the queue, its story not yet re-formed.
    Refreshed meanwhile, the collapsed counts still equal the counted matches (both read the members
    as they are), whole archive included."""
    copy = Article.objects.get(external_id=f"verbatim-{originals[1].external_id}")
    if change == "draft":
        Article.objects.filter(pk=copy.pk).update(status=Article.Status.DRAFT)
    else:
        Article.objects.filter(pk=copy.pk).update(published_on=dt.date(1990, 6, 1))
    refresh_browse_counts()
    for query in ("", "source=reuters"):
        browsed, counted = both_collapsed(query)
        assert browsed is not None, query
        assert browsed.days == counted.days, query
        assert browsed.periods == counted.periods and browsed.trees == counted.trees, query
