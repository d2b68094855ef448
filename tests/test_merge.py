"""Merging duplicate places and topics, and undoing a merge."""

import pytest
from django.db import connection, transaction

from archive import tag_origins
from archive.models import Article, Place, TagRejection, Topic, TreeMerge
from archive.services import editing
from tests.factories import make_article, make_place, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def duplicates(mali_chain):
    """Two entries for Kati: the gazetteer's, and one an import created with a misspelling."""
    kati = mali_chain["kati"]
    kali = make_place("Kali", parent=mali_chain["mali"], aliases=["Kati town"])
    camp = make_place("Kati camp", parent=kali, kind=Place.Kind.SITE)
    both = make_article("Tagged with both", places=[kati, kali])
    only_kali = make_article("Tagged with the duplicate", places=[kali])
    return {"keep": kati, "kali": kali, "camp": camp, "both": both, "only_kali": only_kali}


def merge_via_admin(client, keep, *nodes):
    return client.post(
        "/admin/archive/place/",
        {
            "action": "merge",
            "_selected_action": [keep.pk, *(n.pk for n in nodes)],
            "keep": keep.pk,
            "confirm": "yes",
        },
    )


def test_merge_asks_which_one_to_keep(staff_client, duplicates):
    response = staff_client.post(
        "/admin/archive/place/",
        {"action": "merge", "_selected_action": [duplicates["keep"].pk, duplicates["kali"].pk]},
    )
    assert "Choose the one to keep" in response.content.decode()
    assert Place.objects.filter(slug="kali").exists()


def test_merge_repoints_articles_moves_children_and_keeps_names_as_aliases(staff_client, duplicates):
    merge_via_admin(staff_client, duplicates["keep"], duplicates["kali"])
    keep = Place.objects.get(slug="kati")
    assert not Place.objects.filter(slug="kali").exists()
    assert {"Kali", "kali", "Kati town"} <= set(keep.aliases)
    assert Place.objects.get(slug="kati-camp").parent == keep
    for article in (duplicates["both"], duplicates["only_kali"]):
        assert list(article.places.values_list("slug", flat=True)) == ["kati"]


def test_merged_slug_redirects_to_the_kept_place(client, staff_client, duplicates):
    merge_via_admin(staff_client, duplicates["keep"], duplicates["kali"])
    response = client.get("/places/kali/")
    assert response.status_code == 302 and response["Location"] == "/places/kati/"
    assert Place.objects.matching("Kati town").get().slug == "kati"


def test_merge_is_recorded_and_can_be_undone(staff_client, duplicates):
    merge_via_admin(staff_client, duplicates["keep"], duplicates["kali"])
    merge = TreeMerge.objects.get()
    assert merge.kept_slug == "kati" and merge.merged_names == ["Kali"]
    staff_client.post("/admin/archive/treemerge/", {"action": "undo", "_selected_action": [merge.pk]})
    kali = Place.objects.get(slug="kali")
    assert kali.pk == duplicates["kali"].pk
    assert Place.objects.get(slug="kati").aliases == []
    assert Place.objects.get(slug="kati-camp").parent == kali
    assert set(duplicates["both"].places.values_list("slug", flat=True)) == {"kati", "kali"}
    assert list(duplicates["only_kali"].places.values_list("slug", flat=True)) == ["kali"]
    merge.refresh_from_db()
    assert merge.undone_at is not None


def test_merge_bumps_article_versions_so_open_forms_are_refused(staff_client, duplicates):
    before = Article.objects.get(pk=duplicates["only_kali"].pk).version
    merge_via_admin(staff_client, duplicates["keep"], duplicates["kali"])
    assert Article.objects.get(pk=duplicates["only_kali"].pk).version == before + 1


def test_topics_merge_the_same_way(staff_client):
    keep = make_topic("Coup d'état")
    dup = make_topic("Military coup")
    article = make_article("Story", topics=[dup])
    staff_client.post(
        "/admin/archive/topic/",
        {"action": "merge", "_selected_action": [keep.pk, dup.pk], "keep": keep.pk, "confirm": "yes"},
    )
    assert list(article.topics.values_list("slug", flat=True)) == ["coup-detat"]
    assert Topic.objects.matching("military coup").get() == keep


def undo_via_admin(client):
    merge = TreeMerge.objects.get()
    return client.post("/admin/archive/treemerge/", {"action": "undo", "_selected_action": [merge.pk]})


def test_undoing_a_merge_keeps_edits_made_after_it(staff_client, duplicates):
    merge_via_admin(staff_client, duplicates["keep"], duplicates["only_kali"].places.get())
    article = Article.objects.get(pk=duplicates["only_kali"].pk)
    article.headline, article.status, article.version = "Corrected", Article.Status.DRAFT, article.version + 1
    article.save()
    edited_version = article.version
    undo_via_admin(staff_client)
    article.refresh_from_db()
    assert (article.headline, article.status) == ("Corrected", Article.Status.DRAFT)
    assert list(article.places.values_list("slug", flat=True)) == ["kali"]
    assert article.version > edited_version


def test_undoing_a_merge_leaves_the_kept_node_s_later_edits(staff_client, duplicates):
    merge_via_admin(staff_client, duplicates["keep"], duplicates["kali"])
    Place.objects.filter(slug="kati").update(latitude=12.74)
    undo_via_admin(staff_client)
    keep = Place.objects.get(slug="kati")
    assert float(keep.latitude) == 12.74 and keep.aliases == []


def test_undo_leaves_an_article_whose_tags_changed_since_and_says_so(staff_client, duplicates):
    merge_via_admin(staff_client, duplicates["keep"], duplicates["kali"])
    article = Article.objects.get(pk=duplicates["only_kali"].pk)
    article.places.add(duplicates["camp"])
    response = undo_via_admin(staff_client)
    assert set(article.places.values_list("slug", flat=True)) == {"kati", "kati-camp"}
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any(f"#{article.pk}" in m for m in messages)


def test_undo_finds_the_kept_node_after_its_slug_was_edited(staff_client, duplicates):
    merge_via_admin(staff_client, duplicates["keep"], duplicates["kali"])
    Place.objects.filter(slug="kati").update(slug="kati-town")
    undo_via_admin(staff_client)
    assert Place.objects.get(slug="kali").pk == duplicates["kali"].pk
    assert list(duplicates["only_kali"].places.values_list("slug", flat=True)) == ["kali"]


def test_undo_keeps_aliases_added_after_the_merge_and_leaves_deleted_children_deleted(
    staff_client, duplicates
):
    merge_via_admin(staff_client, duplicates["keep"], duplicates["kali"])
    keep = Place.objects.get(slug="kati")
    keep.aliases = [*keep.aliases, "Kati garrison"]
    keep.save()
    Place.objects.filter(slug="kati-camp").delete()
    undo_via_admin(staff_client)
    assert Place.objects.get(slug="kati").aliases == ["Kati garrison"]
    assert not Place.objects.filter(slug="kati-camp").exists()


def test_undo_of_a_merge_whose_kept_node_was_deleted_says_so(staff_client, duplicates):
    merge_via_admin(staff_client, duplicates["keep"], duplicates["kali"])
    Place.objects.filter(slug="kati-camp").delete()
    Place.objects.filter(slug="kati").delete()
    response = undo_via_admin(staff_client)
    assert response.status_code == 302
    assert any("was deleted after the merge" in str(m) for m in response.wsgi_request._messages)


def _origins(article) -> dict[str, tuple]:
    return {
        tag["slug"]: (tag["provenance"], tag["evidence"])
        for tag in tag_origins.article_tags(article.pk)
        if tag["kind"] == "place"
    }


def test_a_merge_and_its_undo_keep_where_each_tag_came_from(staff_client, duplicates):
    """The revisions hold only the tags' ids: the merge records how each came, and the undo gives
    each back so — an import's as the import's, a found one with its evidence — not as an editor's."""
    keep, kali = duplicates["keep"], duplicates["kali"]
    evidence = {"words": "Kali", "where": "headline"}
    imported = make_article("Imported with the duplicate", places=[kali])
    tag_origins.mark_links("places", [(imported.pk, kali.pk)], tag_origins.IMPORT)
    found = make_article("Found in the text")
    with transaction.atomic():
        tag_origins.add_found("places", [(found.pk, kali.pk, evidence)])
    tag_origins.mark_links("places", [(duplicates["both"].pk, kali.pk)], tag_origins.IMPORT)
    merge_via_admin(staff_client, keep, kali)
    assert _origins(imported) == {"kati": ("import", None)}
    assert _origins(found) == {"kati": ("found", evidence)}
    assert _origins(duplicates["both"]) == {"kati": ("editor", None)}  # it had the kept one already
    assert _origins(duplicates["only_kali"]) == {"kati": ("editor", None)}
    undo_via_admin(staff_client)
    kali = Place.objects.get(slug="kali")
    assert _origins(imported) == {"kali": ("import", None)}
    assert _origins(found) == {"kali": ("found", evidence)}
    assert _origins(duplicates["both"]) == {"kati": ("editor", None), "kali": ("import", None)}
    assert _origins(duplicates["only_kali"]) == {"kali": ("editor", None)}


def test_a_rejection_of_a_merged_place_binds_the_kept_one_until_the_merge_is_undone(
    staff_client, staff_user, duplicates
):
    keep, kali, article = duplicates["keep"], duplicates["kali"], make_article("Rejected here")
    TagRejection.objects.create(article=article, place=kali, rejected_by=staff_user)
    merge_via_admin(staff_client, keep, kali)
    assert list(TagRejection.objects.values_list("article_id", "place__slug")) == [(article.pk, "kati")]
    with transaction.atomic():  # "Kali" is now an alias of Kati: a finder would find it
        assert (
            tag_origins.add_found("places", [(article.pk, keep.pk, {"words": "Kali", "where": "text"})]) == 0
        )
    undo_via_admin(staff_client)
    assert list(TagRejection.objects.values_list("article_id", "place__slug")) == [(article.pk, "kali")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_merge_and_a_finder_holding_some_of_its_articles_both_finish(staff_user):
    """The merge locks its articles first and in id order, as `add_found` does. A finder holds the
    first article, the merge starts (and waits for it), then the finder wants the last: with the
    merge locking as it went (newest first, the last id first) that was a deadlock."""
    import datetime as dt
    import threading
    import time

    keep, kali, other = make_place("Kati"), make_place("Kali"), make_place("Koulikoro")
    articles = [
        make_article(f"Report {n}", places=[kali], published_on=dt.date(2022, 7, 1) + dt.timedelta(days=n))
        for n in range(10)
    ]
    holding, errors = threading.Event(), []
    evidence = {"words": "Koulikoro", "where": "text"}

    def finder():
        try:
            with transaction.atomic():
                tag_origins.add_found("places", [(articles[0].pk, other.pk, evidence)])
                holding.set()
                time.sleep(1.0)  # the merge has started meanwhile
                tag_origins.add_found("places", [(articles[-1].pk, other.pk, evidence)])
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    def merge():
        try:
            holding.wait()
            editing.tree_nodes_merge(keep=keep, merged=[kali], user=staff_user)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=finder), threading.Thread(target=merge)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == [] and not any(thread.is_alive() for thread in threads)
    assert all(set(a.places.values_list("slug", flat=True)) >= {"kati"} for a in articles)
    assert {a.pk for a in articles if a.places.filter(slug="koulikoro").exists()} == {
        articles[0].pk,
        articles[-1].pk,
    }
