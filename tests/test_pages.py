"""Public pages: home, article permalinks, drafts, catalogue pages, 404s and the health check."""

import pytest
from django.db import connection
from django.urls import reverse

from archive.models import Article, Place
from archive.search import hits
from tests.factories import make_article, make_place, make_source, make_topic

pytestmark = pytest.mark.django_db


def test_home_lists_latest_articles_and_ways_in(client):
    make_article("Latest report from Gao")
    html = client.get("/").content.decode()
    assert "Latest report from Gao" in html
    for url in ["/browse/", "/places/", "/topics/", "/sources/"]:
        assert f'href="{url}"' in html


def test_article_page_shows_facts_places_topics_and_rights(client, mali_chain):
    source = make_source(name="Sahel Desk", rights="CC BY 4.0 demo text.")
    topic = make_topic("Armed attack")
    article = make_article(
        "Gunfire at Kati",
        body="First paragraph.\n\nSecond paragraph.",
        source=source,
        agency="AFP",
        byline="A. Reporter",
        dateline="BAMAKO",
        places=[mali_chain["kati"]],
        topics=[topic],
    )
    html = client.get(article.get_absolute_url()).content.decode()
    for text in [
        "Gunfire at Kati",
        "Sahel Desk",
        "AFP",
        "A. Reporter",
        "BAMAKO",
        "CC BY 4.0 demo text.",
        'href="/places/kati/"',
        'href="/topics/armed-attack/"',
        "<p>Second paragraph.</p>",
    ]:
        assert text in html


def test_wrong_or_missing_slug_redirects_permanently(client):
    article = make_article("Gunfire at Kati")
    for url in [f"/articles/{article.pk}/", f"/articles/{article.pk}/wrong-slug/"]:
        response = client.get(url)
        assert response.status_code == 301
        assert response["Location"] == f"/articles/{article.pk}/gunfire-at-kati/"


def test_draft_is_404_for_the_public(client):
    draft = make_article("Unreleased story", status=Article.Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_draft_is_shown_to_staff_with_banner_and_noindex(staff_client):
    draft = make_article("Unreleased story", status=Article.Status.DRAFT)
    html = staff_client.get(draft.get_absolute_url()).content.decode()
    assert "Draft — not public" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html


def test_published_article_has_no_draft_banner(staff_client):
    article = make_article("Public story")
    html = staff_client.get(article.get_absolute_url()).content.decode()
    assert "Draft — not public" not in html and "noindex" not in html


def test_draft_is_hidden_from_staff_without_view_permission(client, django_user_model):
    user = django_user_model.objects.create_user("intern", password="x-long-password-1", is_staff=True)
    client.force_login(user)
    draft = make_article("Unreleased story", status=Article.Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_drafts_are_absent_from_lists(client, mali_chain):
    make_article("Hidden draft", status=Article.Status.DRAFT, places=[mali_chain["kati"]])
    for url in ["/", "/browse/2022/07/22/", "/places/africa/", "/search/?q=hidden"]:
        assert "Hidden draft" not in client.get(url).content.decode()


def test_headline_and_body_markup_is_escaped_on_article_page(client):
    article = make_article("<script>alert('h')</script>", body="<img src=x onerror=alert(1)>")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x" in html


def test_place_page_includes_descendant_places(client, mali_chain):
    make_article("Attack at Kati", places=[mali_chain["kati"]])
    for slug in ["kati", "koulikoro-region", "mali", "africa"]:
        html = client.get(f"/places/{slug}/").content.decode()
        assert "Attack at Kati" in html, slug


def test_place_page_shows_ancestors_breadcrumb(client, mali_chain):
    html = client.get("/places/kati/").content.decode()
    assert (
        html.index('href="/places/africa/"')
        < html.index('href="/places/mali/"')
        < html.index('href="/places/koulikoro-region/"')
    )


def test_place_tree_rolls_up_distinct_counts(client, mali_chain):
    make_article("Tagged twice", places=[mali_chain["kati"], mali_chain["mali"]])
    make_article("Tagged once", places=[mali_chain["kati"]])
    html = client.get("/places/").content.decode()
    assert '<a href="/places/africa/">Africa</a> <span class="count">2<' in html
    assert '<a href="/places/kati/">Kati</a> <span class="count">2<' in html


def test_place_alias_in_url_redirects_to_slug(client, mali_chain):
    response = client.get("/places/MLI/")
    assert response.status_code == 302 and response["Location"] == "/places/mali/"


def test_alias_matching_is_whole_value(mali_chain):
    make_place("Somalia", parent=mali_chain["africa"], kind=Place.Kind.COUNTRY)
    assert list(Place.objects.matching("mali").values_list("slug", flat=True)) == ["mali"]
    assert list(Place.objects.matching("MALI").values_list("slug", flat=True)) == ["mali"]
    assert list(Place.objects.matching("somalia").values_list("slug", flat=True)) == ["somalia"]
    assert not Place.objects.matching("ali").exists()


def test_alias_matching_ignores_accents_and_case():
    make_place("Ségou", aliases=["Segu"])
    assert Place.objects.matching("SEGOU").get().name == "Ségou"
    assert Place.objects.matching("ségu").get().name == "Ségou"


def test_unknown_slugs_are_404(client):
    for url in [
        "/places/nowhere/",
        "/topics/nothing/",
        "/sources/nobody/",
        "/articles/999999/x/",
        "/no-such-page/",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Page not found" in response.content.decode()


def test_topics_are_grouped_by_kind(client):
    parent = make_topic("Conflict")
    child = make_topic("Armed attack", parent=parent)
    person = make_topic("Assimi Goïta", kind="person")
    make_article("Story", topics=[child, person])
    html = client.get("/topics/").content.decode()
    assert "Subjects" in html and "Persons" in html
    assert "Story" in client.get("/topics/conflict/").content.decode()


def test_source_pages_show_span_and_counts(client):
    source = make_source(name="Sahel Desk", slug="sahel-desk")
    make_article("First", source=source, published_on="2020-08-18")
    make_article("Last", source=source, published_on="2022-07-22")
    listing = client.get("/sources/").content.decode()
    assert "18 Aug 2020" in listing and "22 Jul 2022" in listing
    detail = client.get("/sources/sahel-desk/").content.decode()
    assert "18 August 2020 to 22 July 2022" in detail and "First" in detail and "Last" in detail


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"


def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise connection.Database.OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    assert client.get("/healthz").status_code == 503


def test_security_headers_are_sent(client):
    response = client.get("/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_article_links_equal_what_reverse_gives():
    """get_absolute_url fills a reversed template; any slug the converter would quote is reversed."""
    article = make_article("Attaque contre le camp de Kati")
    assert article.get_absolute_url() == reverse("archive:article", args=[article.pk, article.slug])
    article.slug = "kati-é"
    assert article.get_absolute_url() == reverse("archive:article", args=[article.pk, "kati-é"])


def test_article_page_marks_a_thousand_hits_a_page_and_links_to_the_rest(client):
    article = make_article(
        "Kati", body="\n\n".join(["Kati market day."] * 2499)
    )  # 2,500 hits with the headline
    first = client.get(article.get_absolute_url(), {"q": "Kati"}).content.decode()
    assert first.count('<mark id="hit-') == hits.MARKS_PER_PAGE == 1000
    assert 'id="hit-1000"' in first and 'id="hit-1001"' not in first
    assert "2,500 hits" in first and "hits 1–1,000 are marked on this page" in first
    assert 'href="?q=Kati&amp;hits=2#hit-1001">next hit</a>' in first  # the step off the page's end
    assert len(first) < 300_000  # every hit marked with its steps: 700 KB
    second = client.get(article.get_absolute_url(), {"q": "Kati", "hits": "2"}).content.decode()
    assert 'id="hit-1001"' in second and 'id="hit-2000"' in second and 'id="hit-2001"' not in second
    assert 'href="?q=Kati&amp;hits=1#hit-1000">previous hit</a>' in second
    assert 'href="?q=Kati&amp;hits=1#hit-1000">the previous hits</a>' in second
    assert 'href="?q=Kati&amp;hits=3#hit-2001">the next hits</a>' in second
    last = client.get(article.get_absolute_url(), {"q": "Kati", "hits": "9"}).content.decode()
    assert last.count('<mark id="hit-') == 500 and 'id="hit-2500"' in last  # past the end: the last page
    assert client.get(article.get_absolute_url(), {"q": "Kati", "hits": "x"}).status_code == 400
