"""Snapshots: frozen result sets with each article's revision, a verifiable data package, and what changed."""

import io
import zipfile

import pytest
import reversion
from django.db.models import ProtectedError
from django.test import Client
from reversion.models import Revision, Version

from archive.desk import collections as desk
from archive.desk import snapshots
from archive.models import Article, Snapshot
from tests.desk_helpers import researcher, verify_package
from tests.factories import make_article, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def kati():
    source = make_source(name="AFP", slug="afp")
    return [
        make_article(
            f"Kati report {n}",
            body=f"Soldiers at Kati, part {n}.",
            source=source,
            published_on=f"2022-07-2{n}",
        )
        for n in range(1, 4)
    ]


def freeze(client, query="q=kati&sort=oldest", **fields) -> Snapshot:
    response = client.post("/snapshots/", {"query": query, **fields})
    assert response.status_code == 302, response.content[:400]
    return Snapshot.objects.get(pk=response["Location"].split("/")[2])


def test_freezing_a_search_records_every_article_its_revision_and_a_checksum(client, kati):
    researcher(client)
    snapshot = freeze(client, title="Kati, July 2022")

    items = list(snapshot.items.order_by("position"))
    assert snapshot.count == 3 and [i.article_id for i in items] == [a.pk for a in kati]
    assert snapshot.title == "Kati, July 2022" and snapshot.query == "q=kati&sort=oldest"
    assert snapshot.app_version.startswith("0.1.0")
    expected = snapshots.list_checksum((i.article_id, i.version.revision_id, i.text_sha256) for i in items)
    assert snapshot.checksum == expected and len(snapshot.checksum) == 64


def test_the_downloaded_package_verifies_from_the_file_alone_and_is_the_same_bytes_each_time(client, kati):
    researcher(client)
    snapshot = freeze(client)

    first = client.get(f"/snapshots/{snapshot.pk}/datapackage.zip")
    second = client.get(f"/snapshots/{snapshot.pk}/datapackage.zip")

    assert first["Content-Type"] == "application/zip" and first.content == second.content
    meta, rows = verify_package(first.content)
    assert meta["snapshot"]["checksum"] == f"sha256:{snapshot.checksum}"
    assert [row["headline"] for row in rows] == ["Kati report 1", "Kati report 2", "Kati report 3"]


def test_a_tampered_package_fails_verification(client, kati):
    researcher(client)
    snapshot = freeze(client)
    data = client.get(f"/snapshots/{snapshot.pk}/datapackage.zip").content
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        meta, articles = package.read("datapackage.json"), package.read("articles.csv")
    tampered = io.BytesIO()
    with zipfile.ZipFile(tampered, "w") as package:
        package.writestr("datapackage.json", meta)
        package.writestr("articles.csv", articles.replace(b"part 2", b"part 9"))
    with pytest.raises(AssertionError):
        verify_package(tampered.getvalue())


def test_an_edit_after_freezing_leaves_the_snapshot_and_shows_in_what_changed(client, kati):
    researcher(client)
    snapshot = freeze(client)
    with reversion.create_revision():
        article = Article.objects.get(pk=kati[1].pk)
        article.body = "Corrected: soldiers at Kati, part 2, and more."
        article.save()
    make_article("Kati report 4", published_on="2022-07-25")
    Article.objects.filter(pk=kati[2].pk).update(status=Article.Status.DRAFT)

    _, rows = verify_package(client.get(f"/snapshots/{snapshot.pk}/datapackage.zip").content)
    changes = client.get(f"/snapshots/{snapshot.pk}/changes/")

    assert rows[1]["body"] == "Soldiers at Kati, part 2."
    assert changes.context["changes"].edited == (kati[1].pk,)
    assert changes.context["changes"].removed == (kati[2].pk,)
    assert len(changes.context["changes"].added) == 1
    assert "1 article edited" in changes.content.decode()


def test_freezing_records_a_revision_only_where_the_latest_does_not_hold_the_text(client, kati):
    researcher(client)
    freeze(client)
    revisions = Revision.objects.count()
    freeze(client)
    assert Revision.objects.count() == revisions  # the second freeze reuses the versions


def test_the_frozen_versions_cannot_be_deleted(client, kati):
    researcher(client)
    snapshot = freeze(client)
    with pytest.raises(ProtectedError):
        Version.objects.filter(pk=snapshot.items.first().version_id).delete()


def test_a_private_snapshot_is_a_404_to_others_until_shared_then_hidden_not_deleted(client, kati):
    researcher(client)
    snapshot = freeze(client)
    visitor = Client()
    paths = [
        f"/snapshots/{snapshot.pk}/",
        f"/snapshots/{snapshot.pk}/datapackage.zip",
        f"/snapshots/{snapshot.pk}/changes/",
    ]
    assert [visitor.get(p).status_code for p in paths] == [404, 404, 404]

    client.post(f"/snapshots/{snapshot.pk}/manage/", {"action": "share"})
    assert [visitor.get(p).status_code for p in paths] == [200, 200, 200]
    page = visitor.get(paths[0]).content.decode()
    assert snapshot.checksum in page and f"http://testserver/snapshots/{snapshot.pk}/" in page

    refused = client.post(f"/snapshots/{snapshot.pk}/manage/", {"action": "delete"})
    assert refused.status_code == 400 and Snapshot.objects.filter(pk=snapshot.pk).exists()
    client.post(f"/snapshots/{snapshot.pk}/manage/", {"action": "hide"})
    assert visitor.get(paths[0]).status_code == 404 and client.get(paths[0]).status_code == 200


def test_a_snapshot_never_shared_may_be_deleted_by_its_owner_only(client, kati):
    researcher(client)
    snapshot = freeze(client)
    other = Client()
    researcher(other, "bob@example.org")
    assert other.post(f"/snapshots/{snapshot.pk}/manage/", {"action": "delete"}).status_code == 404
    client.post(f"/snapshots/{snapshot.pk}/manage/", {"action": "delete"})
    assert not Snapshot.objects.exists()


def test_freezing_a_collection_keeps_the_collections_articles(client, kati):
    user = researcher(client)
    collection = desk.collection_create(owner=user, name="Two")
    for article in kati[:2]:
        desk.collection_add(collection=collection, article=article)
    snapshot = freeze(client, query=f"collection={collection.slug}", title="Two")
    assert sorted(snapshot.items.values_list("article_id", flat=True)) == sorted(a.pk for a in kati[:2])


def test_drafts_are_never_frozen_and_bad_searches_are_refused(client, kati):
    researcher(client)
    make_article("Kati secret draft", status=Article.Status.DRAFT)
    snapshot = freeze(client)
    assert snapshot.count == 3
    refused = client.post("/snapshots/", {"query": "q=kati&from=never"})
    assert refused.status_code == 400 and "is not a date" in refused.content.decode()
    assert Client().post("/snapshots/", {"query": "q=kati"})["Location"].startswith("/accounts/login/")


def test_more_results_than_the_bound_are_refused_with_a_message(client, kati, monkeypatch):
    researcher(client)
    monkeypatch.setattr(snapshots, "MAX_SNAPSHOT", 2)
    refused = client.post("/snapshots/", {"query": "q=kati"})
    assert refused.status_code == 400 and "More than 2 results" in refused.content.decode()


def test_an_article_withdrawn_after_the_freeze_is_withheld_and_the_package_still_verifies(client, kati):
    researcher(client)
    snapshot = freeze(client)
    client.post(f"/snapshots/{snapshot.pk}/manage/", {"action": "share"})
    Article.objects.filter(pk=kati[1].pk).update(status=Article.Status.DRAFT)

    _, rows = verify_package(Client().get(f"/snapshots/{snapshot.pk}/datapackage.zip").content)
    page = Client().get(f"/snapshots/{snapshot.pk}/").content.decode()

    assert [row["withheld"] for row in rows] == ["false", "true", "false"]
    assert rows[1]["headline"] == rows[1]["body"] == "" and len(rows[1]["text_sha256"]) == 64
    assert "Kati report 2" not in page and "part 2" not in page and "Kati report 3" in page


def test_a_query_longer_than_anyone_types_is_refused_with_a_message(client, kati):
    researcher(client)
    long_query = "q=" + "kati+" * 500
    assert client.post("/snapshots/", {"query": long_query}).status_code == 400
    response = client.post("/me/searches/", {"query": long_query})
    assert response.status_code == 400 and "longer than 2,000 characters" in response.content.decode()
