"""Full-text search: the stored vector, the query syntax, ranking and safe highlighting."""

import pytest

from archive import selectors
from archive.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def headlines(text: str) -> list[str]:
    return [a.headline for a in selectors.article_search(text=text)]


def test_vector_follows_edits():
    article = make_article("Gunfire near the capital", body="Residents heard shots.")
    assert headlines("gunfire") == ["Gunfire near the capital"]
    article.headline = "Explosions near the capital"
    article.save()
    article.refresh_from_db()  # the instance's generated vector is stale until reloaded
    assert headlines("gunfire") == []
    assert headlines("explosions") == ["Explosions near the capital"]


def test_search_is_accent_insensitive_both_ways():
    make_article("Former president Keita detained", body="He was held at the base.")
    make_article("Goïta sworn in", body="The colonel took office.")
    assert headlines("Keïta") == ["Former president Keita detained"]
    assert headlines("Goita") == ["Goïta sworn in"]


def test_search_matches_stemmed_forms():
    make_article("Base attacked at dawn", body="Gunmen were attacking the camp.")
    assert headlines("attack") == ["Base attacked at dawn"]


def test_phrase_requires_adjacent_words():
    make_article("A military base near the capital", body="x")
    make_article("The base hosts military advisers", body="x")
    assert headlines('"military base"') == ["A military base near the capital"]


def test_or_matches_either_word():
    make_article("Coup in Bamako", body="x")
    make_article("Putsch attempt foiled", body="x")
    make_article("Harvest news", body="x")
    assert sorted(headlines("coup OR putsch")) == ["Coup in Bamako", "Putsch attempt foiled"]


def test_minus_excludes_a_word():
    make_article("French troops leave Mali", body="x")
    make_article("Russian personnel arrive in Mali", body="x")
    assert headlines("Mali -French") == ["Russian personnel arrive in Mali"]


def test_headline_match_ranks_above_body_only_match():
    body_only = make_article(
        "Weekly summary", body="A report on peacekeeping in the Sahel.", published_on="2023-01-01"
    )
    in_headline = make_article(
        "Peacekeeping mission ends", body="The council voted.", published_on="2020-01-01"
    )
    assert [a.pk for a in selectors.article_search(text="peacekeeping")] == [in_headline.pk, body_only.pk]


def test_drafts_are_never_found():
    make_article("Secret draft about Kati", status=Article.Status.DRAFT)
    assert headlines("Kati") == []


@pytest.mark.parametrize(
    "query", ['"unbalanced', "a & & b", "!(", "-", "OR", "*", "x\x00y", "'); DROP TABLE", "a" * 10_000]
)
def test_hostile_queries_never_raise(client, query):
    make_article("Something")
    response = client.get("/search/", {"q": query})
    assert response.status_code in (200, 400)  # 400 explains (e.g. "Null characters are not allowed")


def test_search_page_shows_total_and_highlight(client):
    make_article("Attack on Kati base", body="Gunfire at Kati early on Friday.")
    response = client.get("/search/", {"q": "Kati"})
    html = response.content.decode()
    assert "1 article found" in html
    assert "<mark>Kati</mark>" in html


def test_stored_markup_is_escaped_while_hits_are_marked(client):
    make_article("<script>alert(1)</script> Kati", body="Kati <mark>fake</mark> <b>bold</b> text")
    html = client.get("/search/", {"q": "Kati"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;mark&gt;fake&lt;/mark&gt;" in html
    assert "<mark>Kati</mark>" in html


def test_query_is_escaped_on_the_page(client):
    html = client.get("/search/", {"q": '<img src=x onerror="alert(1)">'}).content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x" in html


def test_search_pages_are_numbered(client):
    for n in range(25):
        make_article(f"Convoy report {n}", published_on=f"2022-07-{n + 1:02d}")
    first = client.get("/search/", {"q": "convoy"}).content.decode()
    second = client.get("/search/", {"q": "convoy", "page": 2}).content.decode()
    assert "25 articles found" in first and "showing 1–20" in first
    assert "showing 21–25" in second
    assert client.get("/search/", {"q": "convoy", "page": 3}).status_code == 404
    assert client.get("/search/", {"q": "convoy", "page": "abc"}).status_code == 404
