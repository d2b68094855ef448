"""People and organisations a model finds in French text: linked to the archive's topics by name or
alias at once, other names remembered until they recur in three articles, then made topics — on
import, by `find_tags`, and with two writers remembering the same names at once."""

from __future__ import annotations

import os
import threading

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from archive import tag_origins
from archive.finding import entities, recurring
from archive.models import Article, NameCandidate, Topic
from tests.factories import make_article, make_topic
from tests.import_helpers import run_import, write_jsonl

pytestmark = pytest.mark.django_db

# Written for these tests: three short French reports naming one (invented) spokesman.
REPORTS = [
    "Interrogé par téléphone, Moussa Diarra, porte-parole du collectif des commerçants, dénonce la "
    "fermeture du marché de Kati.",
    "Le collectif des commerçants, dont le porte-parole Moussa Diarra avait appelé à la grève, a "
    "rencontré le gouverneur.",
    "Moussa Diarra, porte-parole des commerçants, annonce la réouverture du marché lundi.",
]


def record(n: int, body: str) -> dict:
    return {
        "headline": f"Commerçants de Kati, épisode {n}",
        "body": body,
        "published": f"2022-08-0{n + 1}",
        "language": "fr",
        "external_id": f"kati-{n}",
        "source": "Courrier du Sahel",
    }


def found_topics(article: Article) -> dict[str, dict]:
    return {
        tag["slug"]: tag["evidence"]
        for tag in tag_origins.article_tags(article.pk)
        if tag["kind"] != "place" and tag["provenance"] == tag_origins.FOUND
    }


def test_the_french_model_finds_people_and_organisations_once_and_is_loaded_once():
    names = entities.entities(
        "Le colonel Assimi Goïta a reçu les représentants de l'Union africaine. Assimi Goïta a parlé.", "fr"
    )
    assert names == [("Assimi Goïta", "person"), ("Union africaine", "organisation")]
    assert entities.entities("President Joe Biden met the African Union.", "en") == []  # no English model
    entities.entities("Aminata Traoré parle.", "fr")
    assert entities.pipeline.cache_info().currsize == 1


def test_a_name_becomes_a_topic_when_it_recurs_in_three_articles(tmp_path):
    path = tmp_path / "kati.jsonl"
    run_import(write_jsonl(path, [record(0, REPORTS[0]), record(1, REPORTS[1])]))
    assert not Topic.objects.filter(name="Moussa Diarra").exists()
    assert NameCandidate.objects.get(name="Moussa Diarra").kind == "person"
    run_import(write_jsonl(path, [record(2, REPORTS[2])]))
    diarra = Topic.objects.get(name="Moussa Diarra")
    assert diarra.kind == Topic.Kind.PERSON and not NameCandidate.objects.filter(key="moussa-diarra").exists()
    for article in Article.objects.filter(external_id__startswith="kati-"):
        assert found_topics(article)[diarra.slug] == {"words": "Moussa Diarra", "where": "text"}


def test_a_name_the_archive_knows_is_found_at_once_by_its_alias(tmp_path):
    goita = make_topic("Assimi Goïta", kind=Topic.Kind.PERSON, aliases=["Assimi Goita"])
    path = write_jsonl(
        tmp_path / "one.jsonl", [record(0, "Le président de la transition, Assimi Goita, a reçu hier.")]
    )
    run_import(path)
    article = Article.objects.get(external_id="kati-0")
    assert found_topics(article) == {goita.slug: {"words": "Assimi Goita", "where": "text"}}


def test_find_tags_does_the_same_for_articles_imported_without_finding(tmp_path):
    run_import(
        write_jsonl(tmp_path / "all.jsonl", [record(n, text) for n, text in enumerate(REPORTS)]), find=False
    )
    assert not NameCandidate.objects.exists()
    call_command("find_tags", stdout=open(os.devnull, "w"))
    diarra = Topic.objects.get(name="Moussa Diarra")
    assert all(
        diarra.slug in found_topics(a) for a in Article.objects.filter(external_id__startswith="kati-")
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_writers_remembering_one_name_at_once_make_one_topic_with_every_article():
    articles = [make_article(f"Report {n}") for n in range(6)]
    start = threading.Barrier(2)
    errors = []

    def writer(mine):
        try:
            start.wait()
            for article in mine:
                with transaction.atomic():
                    tag_origins.add_found(
                        "topics", recurring.remember([(article.pk, "Moussa Diarra", "person")])
                    )
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(articles[n::2],)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Topic.objects.filter(name="Moussa Diarra").count() == 1
    tagged = {a.pk for a in articles if found_topics(a)}
    assert tagged == {a.pk for a in articles}  # the first three by the promotion, the rest at once
    assert not NameCandidate.objects.exists()


def test_a_name_in_drafts_never_becomes_a_topic():
    """A topic's name is public (the topic list shows every topic): a draft's words must not make one."""
    drafts = [make_article(f"Draft {n}", status=Article.Status.DRAFT) for n in range(3)]
    with transaction.atomic():
        links = recurring.remember([(draft.pk, "Moussa Diarra", "person") for draft in drafts])
    assert links == [] and not NameCandidate.objects.exists()
    assert not Topic.objects.filter(name="Moussa Diarra").exists()


def test_articles_unpublished_meanwhile_no_longer_count_towards_a_name():
    reports = [make_article(f"Report {n}") for n in range(3)]
    with transaction.atomic():
        assert recurring.remember([(a.pk, "Moussa Diarra", "person") for a in reports[:2]]) == []
    Article.objects.filter(pk=reports[0].pk).update(status=Article.Status.DRAFT)
    with transaction.atomic():
        assert recurring.remember([(reports[2].pk, "Moussa Diarra", "person")]) == []
    assert not Topic.objects.filter(name="Moussa Diarra").exists()
    assert NameCandidate.objects.get().article_ids == [reports[1].pk, reports[2].pk]
