"""Entity pages: a place's or topic's page shows its coverage over time and the ten commonest people,
organisations, places and topics mentioned with it — each count what its click returns, drafts never."""

from __future__ import annotations

import re

import pytest
from django.http import QueryDict

from archive import search
from archive.analysis import mentions
from archive.models import Article, Topic
from tests.factories import make_article, make_place, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def coverage(mali_chain):
    """Twelve people mentioned with Kati, in 1 to 12 articles; a draft naming a thirteenth."""
    people = [make_topic(f"Person {n:02d}", kind=Topic.Kind.PERSON) for n in range(1, 13)]
    army = make_topic("Malian Armed Forces", kind=Topic.Kind.ORGANISATION)
    niger = make_place("Niger", kind="country", aliases=["NER"])
    for n, person in enumerate(people, start=1):
        for copy in range(n):
            make_article(
                f"Report {n}-{copy}",
                published_on=f"20{10 + n % 12:02d}-0{1 + copy % 9}-15",
                places=[mali_chain["kati"]] + ([niger] if copy == 0 else []),
                topics=[person, army] if copy % 2 else [person],
            )
    secret = make_topic("Unannounced Person", kind=Topic.Kind.PERSON)
    make_article("Draft", status=Article.Status.DRAFT, places=[mali_chain["kati"]], topics=[secret])
    return {**mali_chain, "people": people, "army": army, "niger": niger, "secret": secret}


def clicked(*filters: tuple[str, str]) -> int:
    query = QueryDict(mutable=True)
    for name, value in filters:
        query.appendlist(name, value)
    return search.run(query).total


def test_the_ten_commonest_of_each_kind_count_what_their_click_returns(coverage):
    found = mentions.mentions(coverage["mali"], QueryDict())
    groups = {group["name"]: group["values"] for group in found.groups}
    people = groups["person"]
    assert [entry["label"] for entry in people] == [f"Person {n:02d}" for n in range(12, 2, -1)]
    for entry in people + groups["organisation"] + groups["place"]:
        facet = next(name for name, values in groups.items() if entry in values)
        assert clicked(("place", "mali"), (facet, entry["value"])) == entry["count"], entry
    assert groups["organisation"][0]["count"] == sum(n // 2 for n in range(1, 13))


def test_a_place_is_not_mentioned_with_itself_nor_the_places_it_sits_in_or_holds(coverage):
    found = mentions.mentions(coverage["region"], QueryDict())
    places = [
        entry["value"] for group in found.groups if group["name"] == "place" for entry in group["values"]
    ]
    assert places == ["niger"]  # not Koulikoro Region, Mali, Africa nor Kati
    person = mentions.mentions(coverage["people"][0], QueryDict())
    assert "person" not in [group["name"] for group in person.groups]  # Person 01 alone, herself
    places = {e["value"]: e["count"] for g in person.groups if g["name"] == "place" for e in g["values"]}
    assert places == {"africa": 1, "mali": 1, "koulikoro-region": 1, "kati": 1, "niger": 1}


def test_the_page_links_each_mention_to_its_click_and_never_shows_a_draft(client, coverage):
    body = client.get("/places/mali/").content.decode()
    assert "Mentioned with" in body and 'class="timeline"' in body
    links = re.findall(
        r'<a href="(/search/\?place=mali&amp;person=[^"]+)">[^<]+</a> <span class="count">(\d+)', body
    )
    assert len(links) == 10
    for url, count in links:
        assert client.get(url.replace("&amp;", "&").replace("/search/", "/api/search/")).json()[
            "count"
        ] == int(count)
    assert "unannounced-person" not in body and "Unannounced Person" not in body
    assert 'href="/map/?place=mali"' in body and 'href="/search/?place=mali"' in body


def test_a_bad_chart_parameter_answers_400_with_the_reason(client, coverage):
    response = client.get("/topics/person-12/?interval=fortnight")
    assert response.status_code == 400
    assert "could not be drawn" in response.content.decode()
    assert client.get("/topics/person-12/?interval=year").status_code == 200
