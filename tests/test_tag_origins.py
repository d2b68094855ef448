"""Provenance on every tag: an import's tags are `import`, an editor's `editor`; a re-import marks only
the links it adds; the API and the desk show it; an import and an editor racing on the same articles
each leave their own mark."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client

from archive import tag_origins
from archive.models import Article, Place
from tests.factories import make_place
from tests.import_helpers import run_import, write_jsonl
from tests.test_editorial import change_url, form_data
from tests.test_import import record


def provenance(article: Article) -> dict[str, str]:
    return {tag["slug"]: tag["provenance"] for tag in tag_origins.article_tags(article.pk)}


@pytest.mark.django_db
def test_an_imports_tags_are_import_and_an_editors_are_editor(tmp_path, client, staff_client):
    run_import(write_jsonl(tmp_path / "a.jsonl", [record(1, places=["Kati"], topics=["coups"])]))
    article = Article.objects.get(external_id="id-1")
    article.status = Article.Status.PUBLISHED
    article.save()
    assert provenance(article) == {"kati": "import", "coups": "import"}
    bamako = make_place("Bamako")
    staff_client.post(
        change_url(article),
        form_data(article, places=[*article.places.values_list("pk", flat=True), bamako.pk]),
    )
    assert provenance(article) == {"kati": "import", "coups": "import", "bamako": "editor"}
    tags = client.get(f"/api/articles/{article.pk}/").json()["tags"]
    assert tags == [
        {"slug": "bamako", "kind": "place", "provenance": "editor"},
        {"slug": "kati", "kind": "place", "provenance": "import"},
        {"slug": "coups", "kind": "topic", "provenance": "import"},
    ]
    page = staff_client.get(change_url(article)).content.decode()
    assert "Where each tag came from" in page
    assert 'Bamako <span class="provenance-editor">(given by an editor)</span>' in page
    assert 'Kati <span class="provenance-import">(from the import&#x27;s metadata)</span>' in page


@pytest.mark.django_db
def test_a_reimport_marks_only_the_links_it_adds(tmp_path):
    run_import(write_jsonl(tmp_path / "a.jsonl", [record(1, places=["Kati"])]))
    article = Article.objects.get(external_id="id-1")
    run_import(write_jsonl(tmp_path / "b.jsonl", [record(1, places=["Kati", "Bamako"])]))
    assert provenance(article) == {"kati": "import", "bamako": "import"}
    article.places.add(make_place("Gao"))  # by hand, outside any import
    assert provenance(article)["gao"] == "editor"


@pytest.mark.django_db
def test_links_made_before_provenance_existed_are_editor_unless_an_import_wrote_them(tmp_path):
    """Migration 0037's rule, as the columns' default and the import digest give it."""
    run_import(write_jsonl(tmp_path / "a.jsonl", [record(1, places=["Kati"])]))
    article = Article.objects.get(external_id="id-1")
    assert "places" in article.import_digest
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO archive_article_places (article_id, place_id) VALUES (%s, %s)",
            [article.pk, make_place("Gao").pk],
        )
        cursor.execute(
            "SELECT provenance FROM archive_article_places WHERE article_id = %s ORDER BY id", [article.pk]
        )
        assert [row[0] for row in cursor.fetchall()] == ["import", "editor"]
    with (
        pytest.raises(IntegrityError, match="provenance"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE archive_article_places SET provenance = 'guessed'")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_import_and_an_editor_racing_on_the_same_articles_each_leave_their_own_mark(tmp_path, staff_user):
    records = [record(n, places=["Kati"]) for n in range(1, 301)]
    run_import(write_jsonl(tmp_path / "a.jsonl", records))
    Article.objects.update(status=Article.Status.PUBLISHED)
    gao = make_place("Gao")
    again = write_jsonl(tmp_path / "b.jsonl", [record(n, places=["Kati", "Bamako"]) for n in range(1, 301)])
    client = Client()
    client.force_login(staff_user)

    def reimport():
        try:
            run_import(again, batch_size=20)
        finally:
            connection.close()

    importer = threading.Thread(target=reimport)
    importer.start()
    tagged = set()
    pks = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    for pk in pks[::-1]:  # from the end, towards the import
        article = Article.objects.get(pk=pk)
        data = form_data(article, places=[*article.places.values_list("pk", flat=True), gao.pk])
        if client.post(change_url(article), data).status_code == 302:
            tagged.add(pk)
        if not importer.is_alive() and len(tagged) > 20:
            break
    importer.join()
    assert tagged, "no editor save landed"
    bamako = Place.objects.get(slug="bamako")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT place_id, provenance, count(*) FROM archive_article_places GROUP BY 1, 2 ORDER BY 1, 2"
        )
        counted = {(place, origin): n for place, origin, n in cursor.fetchall()}
    assert counted[(gao.pk, "editor")] == len(tagged)
    assert (gao.pk, "import") not in counted and (bamako.pk, "editor") not in counted
    assert counted[(bamako.pk, "import")] > 0
