"""Saved searches: saved from any search, new matches since last opened, private revocable feeds."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from archive.desk import saved_searches
from archive.models import SavedSearch
from tests.desk_helpers import researcher
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def added(headline: str, minutes_ago: int, **fields):
    return make_article(headline, made_public_at=timezone.now() - dt.timedelta(minutes=minutes_ago), **fields)


def test_save_this_search_keeps_its_parameters_without_the_page(client):
    user = researcher(client)
    response = client.post("/me/searches/", {"query": "q=kati&page=3&sort=newest", "name": "Kati"})

    assert response["Location"] == "/me/searches/"
    saved = SavedSearch.objects.get(owner=user)
    assert (saved.name, saved.query) == ("Kati", "q=kati&sort=newest")


def test_saving_the_same_search_twice_keeps_one(client):
    user = researcher(client)
    client.post("/me/searches/", {"query": "q=kati"})
    client.post("/me/searches/", {"query": "q=kati&page=2"})
    assert SavedSearch.objects.filter(owner=user).count() == 1


def test_a_search_with_bad_parameters_is_not_saved(client):
    researcher(client)
    response = client.post("/me/searches/", {"query": "q=kati&from=yesterday"})
    assert response.status_code == 400 and "is not a date" in response.content.decode()
    assert not SavedSearch.objects.exists()


def test_the_list_counts_the_matches_added_since_last_opened_and_links_to_exactly_them(client):
    user = researcher(client)
    added("Kati base attacked", minutes_ago=60)
    client.post("/me/searches/", {"query": "q=kati"})
    saved = SavedSearch.objects.get(owner=user)
    new_ones = {added(f"Kati report {n}", minutes_ago=0).pk for n in range(3)}
    added("Bamako market", minutes_ago=0)

    page = client.get("/me/searches/").content.decode()

    assert "3 new matches since you last opened it" in page
    link = next(part for part in page.split('"') if "added_after=" in part).replace("&amp;", "&")
    listed = client.get(link)
    assert {a.pk for a in listed.context["page"].object_list} == new_ones
    client.get(f"/me/searches/{saved.pk}/open/")
    assert saved_searches.new_match_count(SavedSearch.objects.get(pk=saved.pk)) == 0


def test_opening_a_saved_search_runs_it(client):
    user = researcher(client)
    saved = saved_searches.saved_search_create(owner=user, query_string="q=kati&place=")
    response = client.get(f"/me/searches/{saved.pk}/open/")
    assert response["Location"] == "/search/?q=kati"


def test_the_private_feed_answers_its_token_only_and_a_new_token_revokes_the_old(client):
    user = researcher(client)
    added("Kati base attacked", minutes_ago=5)
    saved = saved_searches.saved_search_create(owner=user, query_string="q=kati")
    old = f"/me/searches/feed/{saved.feed_token}/"
    anonymous = Client()

    feed = anonymous.get(old)
    assert feed.status_code == 200 and "Kati base attacked" in feed.content.decode()
    assert len(saved.feed_token) >= 40

    client.post(f"/me/searches/{saved.pk}/", {"action": "new-feed"})
    saved.refresh_from_db()
    assert anonymous.get(old).status_code == 404
    assert anonymous.get(f"/me/searches/feed/{saved.feed_token}/").status_code == 200
    assert anonymous.get("/me/searches/feed/guess/").status_code == 404


def test_another_researchers_saved_search_is_a_404_for_every_action(client):
    owner = researcher(client)
    saved = saved_searches.saved_search_create(owner=owner, query_string="q=kati")
    other = Client()
    researcher(other, "bob@example.org")

    assert other.get(f"/me/searches/{saved.pk}/open/").status_code == 404
    for action in ("rename", "alerts-on", "new-feed", "delete"):
        assert other.post(f"/me/searches/{saved.pk}/", {"action": action, "name": "x"}).status_code == 404
    assert "q=kati" not in other.get("/me/searches/").content.decode()
    assert SavedSearch.objects.filter(pk=saved.pk, name=saved.name).exists()


def test_rename_alerts_and_delete(client):
    user = researcher(client)
    saved = saved_searches.saved_search_create(owner=user, query_string="q=kati")
    client.post(f"/me/searches/{saved.pk}/", {"action": "rename", "name": "Kati attack"})
    client.post(f"/me/searches/{saved.pk}/", {"action": "alerts-on"})
    saved.refresh_from_db()
    assert (saved.name, saved.alerts) == ("Kati attack", True)
    assert client.post(f"/me/searches/{saved.pk}/", {"action": "explode"}).status_code == 400
    client.post(f"/me/searches/{saved.pk}/", {"action": "delete"})
    assert not SavedSearch.objects.exists()


def test_the_search_page_offers_saving_to_researchers_and_log_in_to_visitors(client):
    make_article("Kati base attacked")
    visitor = client.get("/search/?q=kati").content.decode()
    assert "to save this search" in visitor and 'action="/me/searches/"' not in visitor
    researcher(client)
    page = client.get("/search/?q=kati&page=1").content.decode()
    assert 'action="/me/searches/"' in page and 'name="query" value="q=kati"' in page


def test_added_after_is_a_search_filter_with_a_clear_error(client):
    added("Kati old", minutes_ago=120)
    new = added("Kati new", minutes_ago=1)
    since = (timezone.now() - dt.timedelta(minutes=30)).isoformat()
    response = client.get("/api/search/", {"q": "kati", "added_after": since})
    assert [item["id"] for item in response.json()["results"]] == [new.pk]
    bad = client.get("/api/search/", {"added_after": "soon"})
    assert bad.status_code == 400 and "added_after" in bad.json()["error"]


def test_control_characters_never_reach_a_name_or_the_feed(client):
    user = researcher(client)
    added("Kati base attacked", minutes_ago=5)
    saved = saved_searches.saved_search_create(owner=user, query_string="q=kati")
    client.post(f"/me/searches/{saved.pk}/", {"action": "rename", "name": "Kati\x01\x0b attack"})
    saved.refresh_from_db()
    assert saved.name == "Kati attack"
    assert Client().get(f"/me/searches/feed/{saved.feed_token}/").status_code == 200


def test_a_nul_byte_in_a_form_is_a_400(client):
    researcher(client)
    response = client.post("/me/collections/", {"name": "a\x00b"})
    assert response.status_code == 400 and "NUL" in response.content.decode()


def test_the_feed_of_a_deactivated_researcher_stops(client):
    user = researcher(client)
    saved = saved_searches.saved_search_create(owner=user, query_string="q=kati")
    user.is_active = False
    user.save()
    assert Client().get(f"/me/searches/feed/{saved.feed_token}/").status_code == 404
