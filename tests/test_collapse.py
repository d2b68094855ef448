"""collapse=story: each story counted once — totals, facets (count = click), timeline, results, exports."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.http import QueryDict

from archive import search
from archive.derived import stories
from archive.derived.refresh import refresh_browse_counts
from archive.models import Article, StoryMember
from archive.search import baseline, browse_counts, match_summary, ordering
from tests.factories import make_article
from tests.test_research_search import api, total
from tests.test_stories import periods_by_hand

pytestmark = pytest.mark.django_db

QUERIES = ["oil", "bank", "said", "company", "trade OR tariff", "dividend", ""]


def expected_stories(params: str) -> int:
    """Counted by hand: the matching articles, each story's copies once."""
    matches = search.run(QueryDict(params), counted=False).every_copy.values_list("pk", flat=True)
    story_of = dict(StoryMember.objects.values_list("article_id", "story_id"))
    return len({story_of.get(pk, -pk) for pk in matches})


@pytest.mark.parametrize("q", QUERIES)
def test_the_total_counts_each_story_once(client, reprinted, q):
    collapsed = total(client, q=q, collapse="story")
    assert collapsed == expected_stories(f"q={q}")
    assert collapsed < total(client, q=q) or q == "dividend"


def test_facet_counts_equal_their_click_in_collapsed_mode(client, reprinted):
    checked = 0
    for q in ("oil", "said", ""):
        body = api(client, q=q, collapse="story").json()
        for name, values in body["facets"].items():
            for entry in values[:4]:
                params = {"q": q, "collapse": "story"}
                if name in ("year", "month"):
                    params.update({"from": entry["value"], "to": entry["value"]})
                else:
                    params[name] = entry["value"]
                assert total(client, **params) == entry["count"], (q, name, entry)
                checked += 1
    assert checked >= 30


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
def test_every_story_is_listed_once_and_every_result_is_reachable(client, reprinted, sort):
    seen_stories, rows, url = set(), 0, None
    params = {"q": "oil", "collapse": "story", "sort": sort, "page_size": 100}
    story_of = dict(StoryMember.objects.values_list("article_id", "story_id"))
    while True:
        body = client.get(url).json() if url else api(client, **params).json()
        for item in body["results"]:
            key = story_of.get(item["id"], -item["id"])
            assert key not in seen_stories
            seen_stories.add(key)
            assert item["story"] == story_of.get(item["id"])
        rows += len(body["results"])
        if not body["next"]:
            break
        url = body["next"].replace("http://testserver", "")
    assert rows == body["count"] == expected_stories("q=oil")


def test_under_a_date_sort_a_story_shows_its_earliest_matching_copy(client, reprinted, originals):
    original = Article.objects.get(source__slug="reuters", external_id=originals[0].external_id)
    story = StoryMember.objects.get(article=original).story_id
    body = api(client, story=story, collapse="story", sort="newest").json()
    assert body["count"] == 1
    assert body["results"][0]["id"] == original.pk  # the Reuters report came days before its copies
    assert body["results"][0]["other_copies"] == StoryMember.objects.filter(story_id=story).count() - 1


def test_the_story_filter_lists_every_copy(client, reprinted, originals):
    original = Article.objects.get(source__slug="reuters", external_id=originals[2].external_id)
    story = StoryMember.objects.get(article=original).story_id
    members = set(StoryMember.objects.filter(story_id=story).values_list("article_id", flat=True))
    body = api(client, story=story, page_size=100).json()
    assert {item["id"] for item in body["results"]} == members and body["count"] == len(members) >= 4
    assert api(client, story="x").status_code == 400


def test_the_timeline_counts_each_story_on_its_first_matching_day(reprinted):
    result = search.run(QueryDict("q=oil&collapse=story"))
    assert sum(result.summary.days.values()) == result.total
    every = search.run(QueryDict("q=oil"))
    story_of = dict(StoryMember.objects.values_list("article_id", "story_id"))
    first_days: dict[int, object] = {}
    for pk, day in every.matches.values_list("pk", "published_on"):
        key = story_of.get(pk, -pk)
        first_days[key] = min(day, first_days.get(key, day))
    by_day: dict = {}
    for day in first_days.values():
        by_day[day] = by_day.get(day, 0) + 1
    assert result.summary.days == by_day


@pytest.mark.parametrize(
    "filters",
    ["", "&place=usa", "&from=1987-03-01&to=1987-03-15", "&place=usa&topic=crude", "&source=reuters"],
)
def test_the_timeline_share_is_of_the_stories_the_filters_select_without_the_words(reprinted, filters):
    result = search.run(QueryDict(f"q=oil&collapse=story{filters}"))
    params = QueryDict(f"q=oil&collapse=story{filters}")
    totals = baseline.totals_per_day(params, result.cleaned, result.summary.days)
    without_words = search.run(QueryDict(f"collapse=story{filters}"))
    counted = match_summary.summarize(without_words.every_copy, collapsed=True).days
    assert totals == without_words.summary.days == counted
    if filters in ("", "&place=usa", "&source=reuters"):  # one node or none: read from the browse counts
        assert browse_counts.story_days_for(without_words.cleaned) == totals
    else:  # dates, or two filters: counted (the stories grouped)
        assert browse_counts.story_days_for(without_words.cleaned) is None


def test_the_browse_counts_of_stories_go_stale_when_a_story_changes(reprinted, originals):
    cleaned = search.run(QueryDict("collapse=story&place=usa")).cleaned
    assert browse_counts.story_days_for(cleaned) is not None
    edited = Article.objects.get(external_id=f"edited-{originals[0].external_id}")
    Article.objects.filter(pk=edited.pk).update(body="An editor rewrote this report from scratch. " * 5)
    stories.catch_up()
    assert browse_counts.story_days_for(cleaned) is None
    refresh_browse_counts()
    assert (
        browse_counts.story_days_for(cleaned)
        == search.run(QueryDict("collapse=story&place=usa")).summary.days
    )


def test_the_search_page_says_stories_and_links_the_other_copies(client, reprinted, originals):
    original = Article.objects.get(source__slug="reuters", external_id=originals[0].external_id)
    story = StoryMember.objects.get(article=original).story_id
    html = client.get("/search/", {"story": story, "collapse": "story"}).content.decode()
    assert "1 story found" in html
    others = StoryMember.objects.filter(story_id=story).count() - 1
    assert f"and {others} other copies</a>" in html and f'href="?story={story}"' in html
    assert 'id="search-collapse" type="checkbox" name="collapse" value="story" checked' in html


def test_a_collapsed_export_has_one_row_per_story(client, reprinted):
    response = client.get("/export/", {"q": "oil", "collapse": "story", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == expected_stories("q=oil") == int(response["X-Total-Count"])


def test_the_timeline_api_compare_and_feed_count_stories_too(client, reprinted):
    stories = expected_stories("q=oil")
    periods = client.get("/api/timeline/", {"q": "oil", "collapse": "story", "interval": "year"}).json()
    assert sum(p["count"] for p in periods) == stories
    compared = client.get("/compare/", {"q": ["oil", "bank"], "collapse": "story", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(compared.content.decode())))
    assert sum(int(row["count"]) for row in rows if row["query"] == "oil") == stories
    feed = client.get("/search/feed/", {"q": "oil", "collapse": "story"}).content.decode()
    story_of = dict(StoryMember.objects.values_list("article_id", "story_id"))
    ids = [int(pk) for pk in re.findall(r"/articles/(\d+)/", feed)]
    keys = [story_of.get(pk, -pk) for pk in dict.fromkeys(ids)]
    assert len(keys) == len(set(keys))  # no story twice in the feed


@pytest.mark.parametrize("q", ["oil", "said", "bank OR trade"])
def test_a_collapsed_relevance_page_is_the_best_ranked_copy_of_each_story_in_order(reprinted, q):
    """The page the counting statement picks equals the page of `shown` (one copy per story, the
    best-ranked, ordered by rank, date and id), at the start, in the middle and past the stories."""
    params = QueryDict(f"q={q}&collapse=story")
    reference = [a.pk for a in search.run(params, counted=False).ordered]
    for offset in (0, 7, len(reference) // 2, len(reference) - 3):
        picked = search.run(params, page=search.PageSlice(offset, 10))
        assert picked.page_ids == reference[offset : offset + 10], (q, offset)


def _tied_stories(count: int) -> None:
    """`count` stories of two copies each, their texts different but built alike (same length, the
    searched word at the same place), so every copy ranks the same for `zanzibar`."""
    for n in range(count):
        words = " ".join(f"w{n}x{i}" for i in range(60))
        body = f"{words[:40]} zanzibar {words[40:]}."
        for day in (1 + n, 10 + n):
            make_article("A report", body=body, published_on=f"1999-01-{day:02d}")
    stories.catch_up()


def test_a_collapsed_relevance_page_keeps_every_story_tied_at_its_edge(db):
    """Eight stories whose copies all rank alike: which of them reach a page of one is decided by
    date and id, so none may be cut off by rank alone before that (FETCH FIRST … WITH TIES)."""
    _tied_stories(8)
    params = QueryDict("q=zanzibar&collapse=story")
    reference = [a.pk for a in search.run(params, counted=False).ordered]
    assert len(reference) == 8 and StoryMember.objects.count() == 16
    for offset in range(8):
        assert search.run(params, page=search.PageSlice(offset, 1)).page_ids == reference[offset : offset + 1]


def _story_of_texts(days: list[str], n: int) -> list[Article]:
    """One story: the same text (`zanzibar` in it) published on each of `days`."""
    words = " ".join(f"s{n}w{i}" for i in range(60))
    return [make_article("A report", body=f"{words} zanzibar.", published_on=day) for day in days]


def _periods_by_hand(params: str) -> dict[str, int]:
    return periods_by_hand(search.run(QueryDict(params), counted=False).every_copy)


def _summary_periods(params: str) -> dict[str, int]:
    return search.run(QueryDict(params)).summary.periods


def test_years_and_months_count_each_story_once_whether_its_copies_share_them_or_not(client, db):
    """Copies sharing a month, sharing only a year, alone in their year, and a single: each year and
    month counts every story once, its click returns that many; then a copy's day moved by a bulk
    update (its story waiting for catch_up, `alone` out of date) is counted where it now is."""
    shares_month = _story_of_texts(["1999-01-05", "1999-01-20", "1999-03-02"], 1)
    apart = _story_of_texts(["1999-01-07", "2001-06-01"], 2)
    _story_of_texts(["2001-06-03", "2001-06-04"], 3)
    make_article("A single", body="Only once: zanzibar.", published_on="1999-01-09")
    stories.catch_up()
    alone = dict(StoryMember.objects.values_list("article_id", "alone"))
    assert [alone[a.pk] for a in shares_month] == [0, 0, 1] and [alone[a.pk] for a in apart] == [2, 2]
    params = "q=zanzibar&collapse=story"
    expected = {"1999": 3, "1999-01": 3, "1999-03": 1, "2001": 2, "2001-06": 2}
    assert _periods_by_hand(params) == expected and _summary_periods(params) == expected
    for period, count in expected.items():
        assert total(client, q="zanzibar", collapse="story", **{"from": period, "to": period}) == count
    Article.objects.filter(pk=apart[1].pk).update(published_on="1999-01-25")  # no catch_up: queued
    assert StoryMember.objects.get(article_id=apart[1].pk).alone == 2
    moved = {"1999": 3, "1999-01": 3, "1999-03": 1, "2001": 1, "2001-06": 1}
    assert _periods_by_hand(params) == moved and _summary_periods(params) == moved
    stories.catch_up()
    assert StoryMember.objects.get(article_id=apart[1].pk).alone == 0
    assert _summary_periods(params) == moved


@pytest.mark.parametrize("params", ["place=usa", "topic=crude", "source=reuters", "q=oil&sort=newest", ""])
@pytest.mark.parametrize("collapse", ["", "&collapse=story"])
@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_a_date_ordered_page_picked_by_its_ids_first_is_the_slice_of_the_ordered_matches(
    reprinted, params, collapse, sort
):
    """The search page and the API pick a date-ordered page's ids first (from the listing index),
    then its rows: the same rows, in the same order, as slicing the ordered matches."""
    result = search.run(QueryDict(f"{params}{collapse}&sort={sort}"), counted=False)
    ordered = result.ordered
    every = list(ordered.values_list("pk", flat=True))
    assert every, params
    for start in (0, 20, len(every) - 5, len(every)):
        start = max(start, 0)
        picked = ordering.ids_then_rows(ordered, start, start + 20)
        assert [row.pk for row in picked] == every[start : start + 20]
        assert all(row.source_id is None or row.source.slug for row in picked)  # a full listing row
