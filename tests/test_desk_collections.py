"""Collections: add with notes, reorder, remove, share, filter searches by them, import a CSV."""

import pytest
from django.test import Client

from archive.desk import collections as desk
from archive.models import Article, Collection, CollectionItem
from tests.desk_helpers import researcher
from tests.factories import make_article, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def three():
    source = make_source(name="AFP", slug="afp")
    return [
        make_article(f"Kati report {n}", source=source, published_on=f"2022-07-2{n}") for n in range(1, 4)
    ]


def add(client, article, **fields):
    return client.post("/me/collections/add/", {"article": article.pk, **fields})


def test_add_to_a_new_collection_then_to_it_with_notes_in_order(client, three):
    user = researcher(client)
    response = add(client, three[0], new_name="Kati corpus", note="first report")
    collection = Collection.objects.get(owner=user)
    assert response["Location"] == collection.get_absolute_url()
    for article in three[1:]:
        add(client, article, collection=collection.slug, note=f"note {article.pk}", next="/search/?q=kati")

    items = list(collection.items.values_list("article_id", "note", "position"))
    assert [i[0] for i in items] == [a.pk for a in three]
    assert items[0][1] == "first report" and [i[2] for i in items] == [1, 2, 3]
    page = client.get(collection.get_absolute_url()).content.decode()
    assert "first report" in page and "Kati report 3" in page


def test_a_new_collection_is_private_with_an_unguessable_slug(client, three):
    researcher(client)
    add(client, three[0], new_name="Kati")
    collection = Collection.objects.get()
    assert collection.visibility == "private"
    assert collection.slug.startswith("kati-") and len(collection.slug) == len("kati-") + 12


def test_reorder_note_and_remove(client, three):
    user = researcher(client)
    collection = desk.collection_create(owner=user, name="Kati")
    items = [desk.collection_add(collection=collection, article=a) for a in three]
    base = f"/me/collections/{collection.slug}/items"

    client.post(f"{base}/{items[2].pk}/", {"action": "up"})
    client.post(f"{base}/{items[0].pk}/", {"action": "up"})  # already first: nothing moves
    client.post(f"{base}/{items[1].pk}/", {"action": "note", "note": "the key one"})
    client.post(f"{base}/{items[0].pk}/", {"action": "remove"})

    order = list(collection.items.order_by("position").values_list("article_id", "note"))
    assert order == [(three[2].pk, ""), (three[1].pk, "the key one")]


def test_rename_keeps_the_link_and_visibility_changes(client, three):
    user = researcher(client)
    collection = desk.collection_create(owner=user, name="Kati")
    slug = collection.slug
    client.post(f"/me/collections/{slug}/", {"action": "rename", "name": "Kati, July 2022"})
    client.post(f"/me/collections/{slug}/", {"action": "visibility", "visibility": "link"})
    collection.refresh_from_db()
    assert (collection.name, collection.slug, collection.visibility) == ("Kati, July 2022", slug, "link")
    bad = client.post(f"/me/collections/{slug}/", {"action": "visibility", "visibility": "everyone"})
    assert bad.status_code == 400


def test_a_private_collection_is_a_404_to_everyone_else_and_in_every_search_tool(client, three):
    user = researcher(client)
    collection = desk.collection_create(owner=user, name="Secret corpus")
    desk.collection_add(collection=collection, article=three[0], note="private note")
    other = Client()
    researcher(other, "bob@example.org")
    visitor = Client()

    for someone in (other, visitor):
        assert someone.get(f"/collections/{collection.slug}/").status_code == 404
        for path in ("/search/", "/api/search/", "/export/", "/kwic/", "/api/timeline/", "/map/"):
            response = someone.get(path, {"collection": collection.slug, "q": "kati", "format": "csv"})
            assert response.status_code == 400, path
            assert "private note" not in response.content.decode()
    assert other.post(f"/me/collections/{collection.slug}/", {"action": "delete"}).status_code == 404
    item = collection.items.get()
    assert (
        other.post(f"/me/collections/{collection.slug}/items/{item.pk}/", {"action": "remove"}).status_code
        == 404
    )
    assert (
        other.post(
            "/me/collections/add/", {"article": three[1].pk, "collection": collection.slug}
        ).status_code
        == 404
    )
    assert collection.items.count() == 1


def test_a_shared_collection_is_seen_by_its_link_and_filters_searches_for_anyone(client, three):
    user = researcher(client)
    collection = desk.collection_create(owner=user, name="Shared", visibility="link")
    for article in three[:2]:
        desk.collection_add(collection=collection, article=article)
    visitor = Client()

    page = visitor.get(f"/collections/{collection.slug}/").content.decode()
    found = visitor.get("/api/search/", {"collection": collection.slug}).json()
    facets = visitor.get("/api/search/", {"collection": collection.slug, "q": "kati"}).json()

    assert "Kati report 1" in page and "Move up" not in page
    assert sorted(r["id"] for r in found["results"]) == sorted(a.pk for a in three[:2])
    assert facets["count"] == 2 and sum(s["count"] for s in facets["facets"]["source"]) == 2


def test_every_export_format_of_a_collection_holds_its_articles(client, three):
    user = researcher(client)
    collection = desk.collection_create(owner=user, name="Kati")
    desk.collection_add(collection=collection, article=three[1])
    for fmt in ("csv", "jsonl", "ris", "bibtex", "csl-json"):
        response = client.get("/export/", {"collection": collection.slug, "format": fmt})
        body = (
            b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
        )
        assert response.status_code == 200 and "Kati report 2" in body and "Kati report 1" not in body, fmt


def test_drafts_cannot_be_collected_and_never_show_in_a_collection(client, three):
    user = researcher(client)
    draft = make_article("Secret draft", status=Article.Status.DRAFT)
    assert add(client, draft, new_name="Kati").status_code == 404
    collection = desk.collection_create(owner=user, name="Kati", visibility="public")
    desk.collection_add(collection=collection, article=three[0])
    Article.objects.filter(pk=three[0].pk).update(status=Article.Status.DRAFT)
    page = Client().get(f"/collections/{collection.slug}/").content.decode()
    assert "Kati report 1" not in page
    assert Client().get("/api/search/", {"collection": collection.slug}).json()["count"] == 0


def test_import_a_csv_of_ids_and_addresses_with_a_line_numbered_report(client, three):
    user = researcher(client)
    collection = desk.collection_create(owner=user, name="Kati")
    desk.collection_add(collection=collection, article=three[0])
    three[2].url = "https://www.afp.com/kati-3"
    three[2].save()
    draft = make_article("Draft", status=Article.Status.DRAFT)
    csv_text = (
        "id,comment\n"
        f"{three[1].pk},second\n"
        "not an id\n"
        f"https://www.afp.com/kati-3\n"
        f"{draft.pk}\n"
        f"http://testserver/articles/{three[0].pk}/kati-report-1/\n"
        "999999999\n"
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("ids.csv", csv_text.encode(), content_type="text/csv")
    response = client.post(f"/me/collections/{collection.slug}/import/", {"file": upload})

    page = response.content.decode()
    assert response.status_code == 200
    assert "2 articles added" in page and "1 was already in it" in page
    assert "line 3:" in page and f"line 5: “{draft.pk}” matches no published article" in page
    assert "line 7:" in page and "line 2:" not in page and "line 1:" not in page
    order = list(collection.items.order_by("position").values_list("article_id", flat=True))
    assert order == [three[0].pk, three[1].pk, three[2].pk]


def test_an_import_of_what_is_not_a_csv_text_says_so(client, three):
    from django.core.files.uploadedfile import SimpleUploadedFile

    user = researcher(client)
    collection = desk.collection_create(owner=user, name="Kati")
    upload = SimpleUploadedFile("x.csv", b"\xff\xfe\x00garbage", content_type="text/csv")
    response = client.post(f"/me/collections/{collection.slug}/import/", {"file": upload})
    assert response.status_code == 400 and "not UTF-8" in response.content.decode()
    assert not CollectionItem.objects.exists()


def test_the_article_page_and_each_result_offer_add_to_a_collection(client, three):
    researcher(client)
    desk_page = client.get(three[0].get_absolute_url()).content.decode()
    results = client.get("/search/?q=kati").content.decode()
    assert 'action="/me/collections/add/"' in desk_page
    assert results.count('action="/me/collections/add/"') == 3
    assert f'id="collect-{three[0].pk}-note"' in results


def test_every_desk_form_needs_its_csrf_token(three):
    strict = Client(enforce_csrf_checks=True)
    user = researcher(Client(), "ada@example.org")
    strict.force_login(user)
    collection = desk.collection_create(owner=user, name="Kati")
    posts = {
        "/me/collections/": {"name": "x"},
        "/me/collections/add/": {"article": three[0].pk, "new_name": "y"},
        f"/me/collections/{collection.slug}/": {"action": "delete"},
        "/me/searches/": {"query": "q=kati"},
        "/snapshots/": {"query": "q=kati"},
    }
    for path, data in posts.items():
        assert strict.post(path, data).status_code == 403, path
    assert Collection.objects.get().items.count() == 0


def test_an_import_with_a_nul_byte_names_its_line(client, three):
    from django.core.files.uploadedfile import SimpleUploadedFile

    user = researcher(client)
    collection = desk.collection_create(owner=user, name="Kati")
    upload = SimpleUploadedFile(
        "x.csv", f"{three[0].pk}\nhttps://x.org/a\x00b\n".encode(), content_type="text/csv"
    )
    response = client.post(f"/me/collections/{collection.slug}/import/", {"file": upload})
    assert response.status_code == 400 and "line 2: a NUL character" in response.content.decode()
    assert not CollectionItem.objects.exists()
