"""Each article's facet group (migration 0017) holds exactly its source and rolled-up ids."""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import QueryDict

from archive import search
from archive.models import Article, Place
from tests.factories import make_article, make_place, make_source, make_topic
from tests.import_helpers import REUTERS, run_import

pytestmark = pytest.mark.django_db

MISMATCHED_SQL = """
    SELECT a.id FROM archive_article a JOIN archive_facet_group g ON g.id = a.facet_group_id
    WHERE g.source_id <> coalesce(a.source_id, 0) OR g.place_ids <> a.rollup_place_ids
       OR g.topic_ids <> a.rollup_topic_ids
"""


def mismatched() -> list[int]:
    """Articles whose group disagrees with their own source and arrays (the column is NOT NULL)."""
    with connection.cursor() as cursor:
        cursor.execute(MISMATCHED_SQL)
        return [row[0] for row in cursor.fetchall()]


def group_of(article: Article) -> tuple[int, list[int], list[int]]:
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT g.source_id, g.place_ids, g.topic_ids FROM archive_article a
               JOIN archive_facet_group g ON g.id = a.facet_group_id WHERE a.id = %s""",
            [article.pk],
        )
        return cursor.fetchone()


def test_articles_with_the_same_tags_share_one_group():
    mali = make_place("Mali", kind=Place.Kind.COUNTRY)
    kati = make_place("Kati", parent=mali)
    attack = make_topic("Armed attack")
    source = make_source()
    first, second, other = (make_article(source=source) for _ in range(3))
    for article in (first, second):
        article.places.set([kati])
        article.topics.set([attack])
    other.places.set([mali])
    assert group_of(first) == (source.pk, [mali.pk, kati.pk], [attack.pk])
    assert group_of(first) == group_of(second)
    assert group_of(other) == (source.pk, [mali.pk], [])
    assert mismatched() == []


def test_every_change_regroups_the_article():
    africa = make_place("Africa", kind=Place.Kind.REGION)
    mali = make_place("Mali", parent=africa, kind=Place.Kind.COUNTRY)
    sahel = make_place("Sahel", kind=Place.Kind.REGION)
    article = make_article()
    assert group_of(article) == (0, [], [])  # no source, no tags
    article.places.set([mali])
    assert group_of(article)[1] == [africa.pk, mali.pk]
    article.source = make_source()
    article.save()
    assert group_of(article)[0] == article.source_id
    Place.objects.filter(pk=mali.pk).update(parent=sahel)  # the closure trigger rewrites the arrays
    assert group_of(article)[1] == sorted([sahel.pk, mali.pk])
    article.places.clear()
    assert group_of(article)[1] == []
    assert mismatched() == []


def test_a_wrong_group_written_by_hand_is_put_right():
    article, tagged = make_article(), make_article()
    tagged.places.set([make_place("Bamako")])
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE archive_article SET facet_group_id = "
            "(SELECT facet_group_id FROM archive_article WHERE id = %s) WHERE id = %s",
            [tagged.pk, article.pk],
        )
    assert mismatched() == []


def test_an_import_groups_every_article():
    run_import(REUTERS / "reut2-000.sgm")
    assert Article.objects.count() > 900
    assert mismatched() == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(DISTINCT facet_group_id) FROM archive_article")
        groups = cursor.fetchone()[0]
    assert 1 < groups < Article.objects.count()


def test_a_duplicate_group_changes_no_count():
    """Two writers meeting a new combination at once each add a group; the facets still add up."""
    kati = make_place("Kati")
    first, second = make_article("Kati attack"), make_article("Kati attack again")
    for article in (first, second):
        article.places.set([kati])
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO archive_facet_group (source_id, place_ids, topic_ids)
               SELECT source_id, place_ids, topic_ids FROM archive_facet_group
               WHERE id = (SELECT facet_group_id FROM archive_article WHERE id = %s) RETURNING id""",
            [first.pk],
        )
        duplicate = cursor.fetchone()[0]
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending events, or ALTER TABLE refuses
        cursor.execute("ALTER TABLE archive_article DISABLE TRIGGER archive_article_facet_group")
        cursor.execute("UPDATE archive_article SET facet_group_id = %s WHERE id = %s", [duplicate, second.pk])
        cursor.execute("ALTER TABLE archive_article ENABLE TRIGGER archive_article_facet_group")
        cursor.execute("SELECT count(DISTINCT facet_group_id) FROM archive_article")
        assert cursor.fetchone()[0] == 2  # the same tags, two groups
    assert mismatched() == []
    summary = search.run(QueryDict("q=kati")).summary
    assert summary.count == 2
    assert [(e["value"], e["count"]) for e in summary.trees["place"]] == [(kati.slug, 2)]
