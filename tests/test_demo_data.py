"""The demo fixtures: loaded idempotently, dated as the chronology in fixtures/README.md says."""

import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from archive import selectors
from archive.models import Article, Place, Source, Topic

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
pytestmark = pytest.mark.django_db


def chronology_rows() -> list[tuple[str, str]]:
    """(external_id, published_on) rows of the README's chronology table."""
    text = (FIXTURES / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^\|\s*(demo-\d+)\s*\|\s*(\d{4}-\d{2}-\d{2})\s*\|", text, flags=re.MULTILINE)


def test_articles_are_dated_as_the_chronology_says():
    articles = json.loads((FIXTURES / "articles.json").read_text(encoding="utf-8"))
    assert len(articles) >= 31
    assert sorted(chronology_rows()) == sorted((a["external_id"], a["published_on"]) for a in articles)


def test_chronology_is_in_date_order():
    dates = [date for _, date in chronology_rows()]
    assert dates == sorted(dates)


def test_load_demo_twice_adds_no_duplicates():
    call_command("load_demo")
    counts = [Article.objects.count(), Place.objects.count(), Topic.objects.count(), Source.objects.count()]
    call_command("load_demo")
    assert [
        Article.objects.count(),
        Place.objects.count(),
        Topic.objects.count(),
        Source.objects.count(),
    ] == counts
    assert counts[0] == len(json.loads((FIXTURES / "articles.json").read_text(encoding="utf-8")))


def test_load_demo_keeps_an_editors_correction():
    call_command("load_demo")
    kati = Article.objects.get(external_id="demo-0001")
    kati.headline = "Corrected headline about Kati"
    kati.save()
    call_command("load_demo")
    kati.refresh_from_db()
    assert kati.headline == "Corrected headline about Kati"


def test_gazetteer_has_every_current_country_under_its_continent():
    call_command("load_demo")
    countries = Place.objects.filter(kind=Place.Kind.COUNTRY)
    assert countries.count() >= 245
    assert not countries.filter(parent__isnull=True).exists()
    assert Place.objects.get(slug="mali").parent.slug == "africa"
    assert Place.objects.get(slug="france").parent.slug == "europe"
    assert not Place.objects.filter(slug__in=["serbia-and-montenegro", "netherlands-antilles"]).exists()


def test_founding_report_is_found_and_placed():
    call_command("load_demo")
    kati = Article.objects.get(external_id="demo-0001")
    assert str(kati.published_on) == "2022-07-22"
    assert kati.agency == "AFP" and kati.source.slug == "urdupoint"
    assert kati in selectors.article_search(text="Kati")
    assert kati in selectors.article_search(text="Keita")
    assert kati in selectors.article_search(text="Keïta")
    assert {
        "kati",
        "bamako",
        "mali",
        "koulikoro-region",
        "kolokani",
        "niger",
        "burkina-faso",
        "france",
    } <= set(kati.places.values_list("slug", flat=True))


def test_the_demo_holds_french_reports_of_the_kati_attack(client):
    call_command("load_demo")
    french = Article.objects.filter(language="fr")
    assert french.count() >= 4 and set(french.values_list("source__slug", flat=True)) == {"courrier-du-sahel"}
    kati = set(selectors.article_search(text="Kati").values_list("pk", flat=True))
    assert set(french.values_list("pk", flat=True)) <= kati  # one query finds both languages' reports
    response = client.get("/search/", {"q": "Kati", "language": "fr"})
    assert response.status_code == 200 and "Le JNIM revendique" in response.content.decode()
