"""tagged=: only the tags that came one way count — in the tag filters and in the facets, whose every
count is still what its click returns, with or without collapse=story; a wrong value is a 400."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.http import QueryDict

from archive import search, tag_origins
from archive.models import Topic
from tests.factories import make_article, make_place, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed(mali_chain):
    """Twenty articles: Kati given by an editor on some, found on others; a coup topic on a few."""
    coup = make_topic("Coup", kind=Topic.Kind.SUBJECT)
    gao = make_place("Gao", parent=mali_chain["mali"])
    articles = []
    for n in range(20):
        article = make_article(
            f"Report {n}", places=[mali_chain["kati"]] if n % 3 == 0 else [gao] if n % 5 == 0 else []
        )
        articles.append(article)
    with transaction.atomic():
        tag_origins.add_found(
            "places", [(a.pk, mali_chain["kati"].pk, {"words": "KATI"}) for a in articles[1::3]]
        )
        tag_origins.add_found("topics", [(a.pk, coup.pk, {"words": "coup"}) for a in articles[::4]])
    return {**mali_chain, "gao": gao, "coup": coup, "articles": articles}


def run(**values) -> search.SearchResult:
    query = QueryDict(mutable=True)
    for name, value in values.items():
        query.setlist(name, value if isinstance(value, list) else [value])
    return search.run(query)


def test_tagged_limits_the_tag_filters_to_tags_that_came_that_way(mixed):
    assert run(place="kati").total == 7 + 7  # 0, 3, … given; 1, 4, … found
    assert run(place="kati", tagged="editor").total == 7
    assert run(place="kati", tagged="found").total == 7
    assert run(place="kati", tagged="editor,found").total == 14
    assert run(place="mali", tagged="editor").total == 7 + 2  # Kati's and Gao's given tags, inside Mali
    assert run(topic="coup", tagged="editor,import").total == 0
    assert run(tagged="editor").total == 20  # no tag filter: every article, only the facets change


@pytest.mark.parametrize("mode", [{}, {"collapse": "story"}])
@pytest.mark.parametrize("tagged", ["editor", "found", "editor,import", "import"])
def test_every_facet_count_under_tagged_is_its_click(mixed, mode, tagged):
    facets = run(tagged=tagged, **mode).facets()
    checked = 0
    for name in ("place", "topic"):
        for entry in facets[name]:
            assert run(tagged=tagged, **mode, **{name: entry["value"]}).total == entry["count"], (name, entry)
            checked += 1
    expected = {"editor": 5, "found": 5, "editor,import": 5, "import": 0}[tagged]
    assert checked == expected  # editor: Africa, Mali, Koulikoro Region, Kati, Gao; found: Kati's four, Coup


def test_a_wrong_value_is_a_400_naming_it(client):
    response = client.get("/api/search/?tagged=guessed")
    assert response.status_code == 400
    assert "guessed" in response.json()["error"]


@pytest.mark.parametrize("mode", [{}, {"collapse": "story"}])
def test_on_reuters_where_every_tag_is_imported_or_found_those_count_what_the_archive_counts(reprinted, mode):
    """Two ways to the same numbers: the facet groups' rolled-up arrays, and the links with the closure."""
    for q in ("oil", "coffee", ""):
        every, given = run(q=q, **mode), run(q=q, tagged="import,found", **mode)
        assert given.total == every.total
        for name in ("place", "topic", "person", "organisation"):
            assert given.facets()[name] == every.facets()[name], (q, mode, name)
        assert run(q=q, tagged="editor", **mode).facets()["place"] == []
    found = run(tagged="found", **mode).facets()["place"]  # countries named in headlines and openings
    assert found and all(run(tagged="found", place=f["value"], **mode).total == f["count"] for f in found[:5])
