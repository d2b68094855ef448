"""Citations: golden files for the Kati report and a hostile headline; each format parsed by its own tool."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import warnings
from pathlib import Path

import bibtexparser
import pytest
import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from django.core.management import call_command

from archive.exports import citations
from archive.models import Article
from tests.factories import make_article, make_source

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden"
ACCESSED = dt.date(2026, 11, 28)
HOSTILE_HEADLINE = "Keïta & the junta:\n100% {certain} of $5_000 #win ~ ^ \\ end"


def cited(article: Article, site: str = "https://archive.example") -> citations.CitedArticle:
    return citations.CitedArticle.of(article, permalink=site + article.get_absolute_url(), accessed=ACCESSED)


@pytest.fixture
def kati(db):
    call_command("load_demo")
    return cited(Article.objects.get(external_id="demo-0001"))


@pytest.fixture
def hostile(db):
    source = make_source(
        name="Journal d'Afrique & Co", slug="journal-afrique", rights="CC BY 4.0; 50% {free}"
    )
    article = make_article(
        HOSTILE_HEADLINE,
        byline="Oumar Keïta, {staff}",
        source=source,
        published_on="2022-07-23",
        url="https://example.org/a?b=1&c=%20d",
    )
    return cited(article)


def with_fixed_id(item: citations.CitedArticle) -> citations.CitedArticle:
    """The same citation with id 4242, so the golden files do not depend on the database's sequence."""
    permalink = item.permalink.replace(f"/articles/{item.id}/", "/articles/4242/")
    return dataclasses.replace(item, id=4242, permalink=permalink)


def golden(name: str, style: str, item: citations.CitedArticle) -> None:
    assert citations.formatted(style, [with_fixed_id(item)]) == (GOLDEN / name).read_text()


@pytest.mark.parametrize(
    "style,name", [("ris", "kati.ris"), ("bibtex", "kati.bib"), ("csl-json", "kati.json")]
)
def test_kati_citations_match_the_golden_files(kati, style, name):
    golden(name, style, kati)


@pytest.mark.parametrize(
    "style,name", [("ris", "hostile.ris"), ("bibtex", "hostile.bib"), ("csl-json", "hostile.json")]
)
def test_hostile_headline_citations_match_the_golden_files(hostile, style, name):
    golden(name, style, hostile)


def test_bibtex_key_is_source_date_and_id(kati):
    assert kati.key == f"urdupoint20220722{kati.id}"


@pytest.mark.parametrize("which", ["kati", "hostile"])
def test_ris_parses_with_rispy(request, which):
    item = request.getfixturevalue(which)
    [entry] = rispy.loads(citations.ris([item]))
    assert entry["type_of_reference"] == "NEWS"
    assert entry["title"] == citations.one_line(item.headline)
    assert entry["urls"][0] == item.permalink


@pytest.mark.parametrize("which", ["kati", "hostile"])
def test_bibtex_parses_with_bibtexparser_without_warnings(request, which):
    item = request.getfixturevalue(which)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        library = bibtexparser.parse_string(
            citations.bibtex(item), append_middleware=[bibtexparser.middlewares.LatexDecodingMiddleware()]
        )
    assert not library.failed_blocks
    [entry] = library.entries
    assert entry.key == item.key and entry.entry_type == "article"
    # pylatexenc decodes \textasciicircum to U+02C6; LaTeX itself prints a plain ^.
    assert entry["title"].strip("{}").replace("\u02c6", "^") == citations.one_line(item.headline)
    assert entry["journal"] == item.source_name


@pytest.mark.parametrize("which", ["kati", "hostile"])
def test_csl_json_renders_with_citeproc(request, which):
    item = request.getfixturevalue(which)
    data = json.loads(citations.formatted("csl-json", [item]))
    assert data[0]["type"] == "article-newspaper" and data[0]["issued"]["date-parts"] == [
        [item.published.year, item.published.month, item.published.day]
    ]
    source = CiteProcJSON(data)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    bibliography.register(Citation([CitationItem(item.key)]))
    rendered = str(bibliography.bibliography()[0])
    assert citations.one_line(item.headline)[:20] in rendered and str(item.published.year) in rendered


def test_chicago_note_escapes_and_cites_the_permalink(hostile):
    html = citations.chicago_note(hostile)
    assert (
        "Keïta &amp; the junta: 100% {certain}" in html
        and "<cite>Journal d&#x27;Afrique &amp; Co</cite>" in html
    )
    assert "July 23, 2022, accessed November 28, 2026, https://archive.example/articles/" in html


def test_cite_endpoint_serves_each_style_as_a_download(client, kati):
    for style, extension in [("ris", "ris"), ("bibtex", "bib"), ("csl-json", "json")]:
        response = client.get(f"/api/articles/{kati.id}/cite/", {"style": style})
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="{kati.key}.{extension}"'


def test_cite_endpoint_rejects_unknown_styles_drafts_and_missing_articles(client, kati):
    assert client.get(f"/api/articles/{kati.id}/cite/", {"style": "mla"}).status_code == 400
    assert client.get(f"/api/articles/{kati.id}/cite/").status_code == 400
    draft = make_article("Unpublished", status=Article.Status.DRAFT)
    assert client.get(f"/api/articles/{draft.pk}/cite/", {"style": "ris"}).status_code == 404
    assert client.get("/api/articles/999999999/cite/", {"style": "ris"}).status_code == 404


def test_article_page_offers_the_citation_and_downloads(client, kati):
    article = Article.objects.get(pk=kati.id)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Cite this article" in html and "accessed" in html and "<cite>UrduPoint" in html
    for style in ("ris", "bibtex", "csl-json"):
        assert f"/api/articles/{kati.id}/cite/?style={style}" in html
