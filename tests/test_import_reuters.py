"""Reuters-21578 end to end: records become searchable, browsable articles placed in the gazetteer."""

import datetime as dt

import pytest
from django.core.management import call_command

from archive import selectors
from archive.models import Article, Place, Topic
from tests.import_helpers import REUTERS, run_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def reuters_000():
    call_command("load_demo")
    return run_import(REUTERS / "reut2-000.sgm")


def test_every_record_of_a_file_becomes_a_reuters_article(reuters_000):
    assert reuters_000.counts["created"] == 1000 and reuters_000.counts["skipped"] == 0
    reuters = Article.objects.filter(source__slug="reuters")
    assert reuters.count() == 1000
    assert set(reuters.values_list("agency", flat=True)) == {"Reuters"}
    assert "research purposes only" in reuters.first().source.rights


def test_first_record_is_imported_faithfully(reuters_000):
    article = Article.objects.get(source__slug="reuters", external_id="1")
    assert article.headline == "BAHIA COCOA REVIEW" and article.dateline == "SALVADOR, Feb 26"
    assert article.published_on == dt.date(1987, 2, 26)
    assert article.published_at == dt.datetime(1987, 2, 26, 15, 1, 1, tzinfo=dt.UTC)
    assert set(article.places.values_list("slug", flat=True)) == {"el-salvador", "united-states", "uruguay"}
    assert list(article.topics.values_list("slug", flat=True)) == ["cocoa"]


def test_place_codes_attach_to_the_gazetteer_with_the_code_as_alias(reuters_000, client):
    assert Place.objects.matching("usa").get().slug == "united-states"
    assert Place.objects.matching("uk").get().slug == "united-kingdom"
    assert client.get("/places/usa/")["Location"] == "/places/united-states/"
    west_germany = Place.objects.get(slug="west-germany")
    assert west_germany.parent.slug == "europe" and west_germany.articles.exists()


def test_reuters_places_stay_a_tree(reuters_000):
    codes = (REUTERS / "all-places-strings.lc.txt").read_text().split()
    for code in codes:
        place = Place.objects.matching(code).get()
        assert place.parent is not None or place.kind == Place.Kind.CONTINENT, code


def test_people_organisations_and_exchanges_are_topics_of_their_kind(reuters_000):
    reagan = Topic.objects.matching("reagan").get()
    assert reagan.kind == Topic.Kind.PERSON and reagan.name == "Ronald Reagan"
    assert Topic.objects.matching("opec").get().kind == Topic.Kind.ORGANISATION
    assert Topic.objects.matching("nasdaq").get().kind == Topic.Kind.OTHER
    assert Topic.objects.matching("acq").get().name == "Mergers/Acquisitions"
    assert reagan.articles.count() == 12


def test_imported_articles_are_searchable_and_browsable(reuters_000, client):
    assert selectors.article_search(text="cocoa Bahia").filter(external_id="1").exists()
    day = Article.objects.filter(published_on=dt.date(1987, 2, 26)).count()
    assert f"{day} articles." in client.get("/browse/1987/02/26/").content.decode()
    assert "BAHIA COCOA REVIEW" in client.get("/topics/cocoa/", {"page": 1}).content.decode()
    assert "BAHIA COCOA REVIEW" in client.get("/places/uruguay/").content.decode()
    assert "1987" in client.get("/browse/").content.decode()
    html = client.get("/topics/ronald-reagan/").content.decode()
    assert "12 articles" in html


def test_reimporting_a_reuters_file_changes_nothing(reuters_000):
    again = run_import(REUTERS / "reut2-000.sgm")
    assert again.counts["unchanged"] == 1000 and again.counts["created"] == again.counts["updated"] == 0


def test_quirky_file_keeps_the_repaired_date_and_decodes_the_odd_byte():
    call_command("load_demo")
    run = run_import(REUTERS / "reut2-017.sgm")
    assert run.counts["created"] == 1000
    repaired = Article.objects.get(external_id="17192")  # DATE 31-MAR-1987 605:12:19.12
    assert repaired.published_on == dt.date(1987, 3, 31) and repaired.published_at is None
    assert "reut2-017.sgm" in run.report and "605:12:19" in run.report
    assert "\u00fc" in Article.objects.get(external_id="17980").body
