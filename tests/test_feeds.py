"""The Atom feed of a search, the OpenSearch description and the sitemap index."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from archive.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def feed(client, **params) -> ET.Element:
    response = client.get("/search/feed/", params)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def test_feed_has_every_element_rfc_4287_requires(client):
    make_article("Kati base attacked", published_on="2022-07-22")
    root = feed(client, q="Kati")
    for element in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{element}").text
    assert root.find(f"{ATOM}author/{ATOM}name").text == "News archive"
    self_link = root.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None and self_link.get("href").endswith("/search/feed/?q=Kati")
    [entry] = root.findall(f"{ATOM}entry")
    for element in ("id", "title", "updated"):
        assert entry.find(f"{ATOM}{element}").text
    assert entry.find(f"{ATOM}title").text == "Kati base attacked"


def test_feed_holds_the_fifty_newest_matches_and_no_draft(client):
    for day in range(1, 61):
        make_article(f"Sahel bulletin {day}", published_on=f"2021-{1 + day // 29:02d}-{1 + day % 28:02d}")
    make_article("Sahel draft bulletin", status=Article.Status.DRAFT, published_on="2030-01-01")
    entries = feed(client, q="Sahel", sort="oldest").findall(f"{ATOM}entry")
    assert len(entries) == 50
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert "Sahel draft bulletin" not in titles
    newest = list(
        Article.objects.published().order_by("-published_on", "-id").values_list("headline", flat=True)[:50]
    )
    assert titles == newest


def test_feed_with_bad_parameters_answers_400(client):
    assert client.get("/search/feed/", {"from": "2022-13-45"}).status_code == 400
    assert client.get("/search/feed/", {"place": "nowhere-at-all"}).status_code == 400


def test_search_page_links_its_feed_and_exports(client):
    make_article("Kati base attacked")
    html = client.get("/search/", {"q": "Kati"}).content.decode()
    assert 'type="application/atom+xml"' in html and "/search/feed/?q=Kati" in html
    for fmt in ("csv", "jsonl", "ris", "bibtex", "csl-json"):
        assert f"/export/?format={fmt}&amp;q=Kati" in html


def test_opensearch_description_points_at_the_search(client):
    response = client.get("/opensearch.xml")
    assert response["Content-Type"] == "application/opensearchdescription+xml"
    root = ET.fromstring(response.content)
    templates = [u.get("template") for u in root.findall("{http://a9.com/-/spec/opensearch/1.1/}Url")]
    assert "http://testserver/search/?q={searchTerms}" in templates
    assert 'rel="search"' in client.get("/").content.decode()


def test_sitemap_index_lists_sections_and_never_a_draft(client):
    public = make_article("Public report")
    draft = make_article("Draft report", status=Article.Status.DRAFT)
    index = ET.fromstring(client.get("/sitemap.xml").content)
    sections = [loc.text for loc in index.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "http://testserver/sitemap-articles.xml" in sections and len(sections) >= 5
    articles = client.get("/sitemap-articles.xml").content.decode()
    assert public.get_absolute_url() in articles and draft.get_absolute_url() not in articles
    assert client.get("/sitemap-articles.xml", {"p": "99"}).status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404
