"""Each article's rolled-up place and topic ids (migration 0014) follow its links and the trees."""

from __future__ import annotations

import pytest
from django.db import connection

from archive.models import Article, Place, PlaceClosure, Topic, TopicClosure
from tests.factories import make_article, make_place, make_topic
from tests.import_helpers import REUTERS, run_import

pytestmark = pytest.mark.django_db


def rollups(article: Article) -> tuple[list[int], list[int]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rollup_place_ids, rollup_topic_ids FROM archive_article WHERE id = %s", [article.pk]
        )
        return cursor.fetchone()


def expected(article: Article) -> tuple[list[int], list[int]]:
    """The same ids computed from the links and the closures (what the triggers must hold)."""
    places = PlaceClosure.objects.filter(descendant_id__in=article.places.values("pk"))
    topics = TopicClosure.objects.filter(descendant_id__in=article.topics.values("pk"))
    return (
        sorted(set(places.values_list("ancestor_id", flat=True))),
        sorted(set(topics.values_list("ancestor_id", flat=True))),
    )


@pytest.fixture
def tree():
    africa = make_place("Africa", kind=Place.Kind.REGION)
    mali = make_place("Mali", parent=africa, kind=Place.Kind.COUNTRY)
    kati = make_place("Kati", parent=mali)
    security = make_topic("Security")
    attack = make_topic("Armed attack", parent=security)
    return africa, mali, kati, security, attack


def test_tagging_an_article_rolls_up_every_ancestor(tree):
    africa, mali, kati, security, attack = tree
    article = make_article()
    article.places.set([kati])
    article.topics.set([attack])
    assert rollups(article) == ([africa.pk, mali.pk, kati.pk], [security.pk, attack.pk])
    article.places.add(mali)  # an ancestor already present is held once
    assert rollups(article)[0] == [africa.pk, mali.pk, kati.pk]


def test_untagging_removes_what_no_other_link_holds(tree):
    africa, mali, kati, security, attack = tree
    article = make_article()
    article.places.set([kati, mali])
    article.places.remove(kati)
    assert rollups(article)[0] == [africa.pk, mali.pk]
    article.places.clear()
    article.topics.clear()
    assert rollups(article) == ([], [])


def test_moving_a_node_refreshes_the_articles_below_it(tree):
    africa, mali, kati, security, attack = tree
    sahel = make_place("Sahel", kind=Place.Kind.REGION)
    tagged, elsewhere = make_article(), make_article()
    tagged.places.set([kati])
    elsewhere.places.set([africa])
    Place.objects.filter(pk=mali.pk).update(parent=sahel)
    assert rollups(tagged)[0] == sorted([sahel.pk, mali.pk, kati.pk])
    assert rollups(elsewhere)[0] == [africa.pk]
    Topic.objects.filter(pk=attack.pk).update(parent=None)
    tagged.topics.set([attack])
    assert rollups(tagged)[1] == [attack.pk]


def test_deleting_a_node_drops_it_from_the_articles(tree):
    africa, mali, kati, security, attack = tree
    article = make_article()
    article.places.set([kati])
    kati.delete()
    assert rollups(article)[0] == []
    article.places.set([mali])
    Place.objects.filter(pk=mali.pk).update(parent=None)
    africa.delete()
    assert rollups(article)[0] == [mali.pk]


def test_an_import_writes_the_ids_the_triggers_would_compute():
    run_import(REUTERS / "reut2-000.sgm")
    articles = Article.objects.all()
    assert articles.count() > 900
    mismatched = [a.pk for a in articles if rollups(a) != expected(a)]
    assert mismatched == []
    assert any(rollups(a)[0] for a in articles)
