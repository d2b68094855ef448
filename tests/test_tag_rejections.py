"""Found tags in the desk: added with their evidence, accepted in bulk (they become the editor's), or
rejected in bulk — and a rejected one is never found on that article again, even by a finder racing
the editor."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.test import Client
from reversion.models import Version

from archive import tag_origins
from archive.models import Article, Place, TagRejection
from tests.factories import make_article, make_place

EVIDENCE = {"words": "BAMAKO", "where": "dateline"}


def found(article: Article, place: Place, evidence: dict = EVIDENCE) -> int:
    with transaction.atomic():
        return tag_origins.add_found("places", [(article.pk, place.pk, evidence)])


def origins(article: Article) -> dict[str, str]:
    return {tag["slug"]: tag["provenance"] for tag in tag_origins.article_tags(article.pk)}


def action(client: Client, name: str, articles, **fields):
    data = {"action": name, "_selected_action": [a.pk for a in articles], **fields}
    return client.post("/admin/archive/article/", data, follow=True)


@pytest.fixture
def bamako(db):
    return make_place("Bamako")


@pytest.mark.django_db
def test_a_found_tag_carries_its_evidence_and_never_overrides_a_given_one(client, staff_client, bamako):
    kati = make_place("Kati")
    article = make_article("Attack near Bamako", places=[kati])
    assert found(article, bamako) == 1
    assert found(article, kati) == 0  # the editor's tag stays the editor's
    assert origins(article) == {"bamako": "found", "kati": "editor"}
    tags = client.get(f"/api/articles/{article.pk}/").json()["tags"]
    assert {"slug": "bamako", "kind": "place", "provenance": "found", "evidence": EVIDENCE} in tags
    assert article.places.count() == 2 and Article.objects.filter(places=bamako).count() == 1
    desk = staff_client.get(f"/admin/archive/article/{article.pk}/change/").content.decode()
    assert 'Bamako <span class="provenance-found">(found in the text)</span>: “BAMAKO”' in desk


@pytest.mark.django_db
def test_accepting_in_bulk_makes_them_the_editors_with_a_revision(staff_client, bamako):
    articles = [make_article(f"Report {n}") for n in range(3)]
    for article in articles[:2]:
        found(article, bamako)
    response = action(staff_client, "accept_found_tags", articles)
    assert "Accepted the found tags of 2 articles." in response.content.decode()
    assert [origins(a) for a in articles] == [{"bamako": "editor"}, {"bamako": "editor"}, {}]
    assert Article.objects.get(pk=articles[0].pk).version == 2
    assert Article.objects.get(pk=articles[2].pk).version == 1  # nothing found there: untouched
    assert Version.objects.get_for_object(articles[0]).first().revision.comment.startswith("Accepted")


@pytest.mark.django_db
def test_a_rejected_tag_goes_and_is_never_found_there_again(staff_client, bamako):
    rejected, given = make_article("Found here"), make_article("Given here", places=[bamako])
    found(rejected, bamako)
    page = action(staff_client, "reject_found_tag", [rejected, given])
    assert "Name, slug or alias" in page.content.decode()  # the action asks which tag first
    response = action(staff_client, "reject_found_tag", [rejected, given], kind="place", tag="Bamako")
    assert "Rejected Bamako on 1 article" in response.content.decode()
    assert origins(rejected) == {} and origins(given) == {"bamako": "editor"}
    assert TagRejection.objects.filter(article=rejected, place=bamako).exists()
    assert found(rejected, bamako) == 0 and origins(rejected) == {}
    wrong = action(staff_client, "reject_found_tag", [rejected], kind="place", tag="Atlantis")
    assert "No place called “Atlantis”." in wrong.content.decode()


@pytest.mark.django_db
def test_an_editor_adding_a_found_tag_makes_it_theirs(staff_client, bamako):
    article = make_article("Found here")
    found(article, bamako)
    action(staff_client, "add_place", [article], tag="Bamako")
    assert origins(article) == {"bamako": "editor"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_finder_racing_an_editors_rejections_never_brings_a_rejected_tag_back(staff_user):
    bamako = make_place("Bamako")
    articles = [make_article(f"Report {n}") for n in range(60)]
    stop = threading.Event()

    def finder():
        try:
            while not stop.is_set():
                with transaction.atomic():
                    tag_origins.add_found("places", [(a.pk, bamako.pk, EVIDENCE) for a in articles])
        finally:
            connection.close()

    thread = threading.Thread(target=finder)
    thread.start()
    client = Client()
    client.force_login(staff_user)
    try:
        for start in range(0, 60, 6):
            batch = articles[start : start + 6]
            action(client, "reject_found_tag", batch, kind="place", tag="bamako")
    finally:
        stop.set()
        thread.join()
    rejected = set(TagRejection.objects.values_list("article_id", flat=True))
    still_tagged = set(Article.objects.filter(places=bamako).values_list("pk", flat=True))
    assert rejected, "no rejection landed"
    assert rejected.isdisjoint(still_tagged), "a rejected tag came back"
    assert rejected | still_tagged == {a.pk for a in articles}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_finder_waits_for_a_rejection_under_way_and_then_sees_it(staff_user):
    """The rejection holds the article (and the link it deletes) until it commits; a finder started
    meanwhile waits for it and then adds nothing."""
    from archive.services import editing

    bamako = make_place("Bamako")
    article = make_article("Report")
    found(article, bamako)
    rejecting, finished = threading.Event(), threading.Event()

    def slow_rejection():
        try:
            with transaction.atomic():
                editing.articles_reject_found(
                    articles=Article.objects.filter(pk=article.pk), node=bamako, user=staff_user
                )
                rejecting.set()
                finished.wait(5)  # hold the transaction open while the finder starts
        finally:
            connection.close()

    def finder():
        try:
            rejecting.wait(5)
            found(article, bamako)
        finally:
            connection.close()

    threads = [threading.Thread(target=slow_rejection), threading.Thread(target=finder)]
    for thread in threads:
        thread.start()
    rejecting.wait(5)
    threads[1].join(0.5)
    assert threads[1].is_alive(), "the finder did not wait for the rejection under way"
    finished.set()
    for thread in threads:
        thread.join()
    assert origins(article) == {}
