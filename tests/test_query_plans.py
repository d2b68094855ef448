"""Query plans on a realistic number of rows: search must use the GIN index, not scan the table."""

from urllib.parse import urlencode

import pytest
from django.db import connection, transaction
from django.http import QueryDict

from archive import search, selectors
from archive.importers import upsert
from archive.models import Article, Source

pytestmark = pytest.mark.django_db

# 20,000 rows of made-up words, generated inside PostgreSQL: word<n> is rare, word<n % 50> common.
GENERATE_ROWS = """
INSERT INTO archive_article (headline, slug, summary, body, byline, dateline, agency, url, external_id,
                             language, published_on, status, created, updated, version, content_hash,
                             import_digest)
SELECT 'word' || (g % 5000) || ' word' || ((g * 7) % 5000), 'a', '',
       array_to_string(ARRAY(SELECT 'word' || ((g * 31 + i * 17) % 5000) FROM generate_series(1, 60) i), ' '),
       '', '', '', '', '', 'en', DATE '1987-01-01' + (g % 300), 'published', now(), now(), 1, '', '{}'
FROM generate_series(1, 20000) g
"""


@pytest.fixture
def twenty_thousand_articles():
    with connection.cursor() as cursor:
        cursor.execute(GENERATE_ROWS)
        cursor.execute("ANALYZE archive_article")
    assert Article.objects.count() == 20_000


def plan_of(queryset) -> str:
    return queryset.explain()


def test_search_uses_the_gin_index(twenty_thousand_articles):
    plan = plan_of(selectors.article_search(text="word42"))
    assert "article_search_vector_gin" in plan, plan
    assert "Seq Scan on archive_article" not in plan, plan


def test_phrase_search_uses_the_gin_index(twenty_thousand_articles):
    plan = plan_of(selectors.article_search(text='"word42 word43"'))
    assert "article_search_vector_gin" in plan, plan


def test_counting_a_search_uses_the_gin_index(twenty_thousand_articles):
    plan = plan_of(selectors.article_search(text="word7 OR word8").order_by())
    assert "article_search_vector_gin" in plan, plan


# Places in a three-level tree (2 regions → 10 countries → 100 towns); article g is placed in town g % 100.
GENERATE_PLACES = """
INSERT INTO archive_place (name, slug, kind, aliases, alias_keys, parent_id)
SELECT 'Region ' || r, 'region-' || r, 'region', '{}', '{}', NULL FROM generate_series(0, 1) r;
INSERT INTO archive_place (name, slug, kind, aliases, alias_keys, parent_id)
SELECT 'Country ' || c, 'country-' || c, 'country', '{}', '{}',
       (SELECT id FROM archive_place WHERE slug = 'region-' || (c % 2))
FROM generate_series(0, 9) c;
INSERT INTO archive_place (name, slug, kind, aliases, alias_keys, parent_id)
SELECT 'Town ' || t, 'town-' || t, 'city', '{}', '{}',
       (SELECT id FROM archive_place WHERE slug = 'country-' || (t % 10))
FROM generate_series(0, 99) t;
INSERT INTO archive_article_places (article_id, place_id)
SELECT a.id, p.id FROM archive_article a JOIN archive_place p ON p.slug = 'town-' || (a.id % 100);
ANALYZE archive_place; ANALYZE archive_article_places; ANALYZE archive_placeclosure;
ANALYZE archive_article;  -- the rolled-up place ids the links just filled (an import analyzes too)
"""


@pytest.fixture
def placed_articles(twenty_thousand_articles):
    with connection.cursor() as cursor:
        cursor.execute(GENERATE_PLACES)


def page_and_count_plans(params: dict) -> list[str]:
    """The plans of what a search page runs: the ordered first page and the exact count."""
    found = search.run(QueryDict(urlencode(params)), counted=False)
    assert not found.errors, found.errors
    return [found.ordered[:20].explain(), found.matches.order_by().values("pk").explain()]


@pytest.mark.parametrize(
    "params",
    [
        {"place": "town-7"},
        {"place": "country-3"},
        {"from": "1987-03", "to": "1987-03"},
        {"place": "town-7", "from": "1987-02", "to": "1987-04"},
    ],
    ids=["town", "country-rollup", "one-month", "town-and-months"],
)
def test_filters_without_words_never_scan_the_articles_table(placed_articles, params):
    for plan in page_and_count_plans(params):
        assert "Seq Scan on archive_article " not in plan + " ", plan


def test_words_with_a_place_filter_use_the_gin_index(placed_articles):
    for plan in page_and_count_plans({"q": "word42", "place": "country-2"}):
        assert "article_search_vector_gin" in plan, plan
        assert "Seq Scan on archive_article " not in plan + " ", plan


def test_an_import_batch_finds_its_existing_keys_through_the_unique_indexes(twenty_thousand_articles):
    """A batch of 1,000 records looks up its external ids and URLs through the partial unique indexes:
    with the sequential scan priced out, a lookup the indexes cannot serve still scans the table."""
    source = Source.objects.create(name="Wire", slug="wire")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE archive_article SET source_id = %s, external_id = 'w-' || id, "
            "url = 'https://e.test/' || id",
            [source.pk],
        )
        cursor.execute("ANALYZE archive_article")
    ids = {source.pk: [f"w-{pk}" for pk in Article.objects.values_list("pk", flat=True)[:1000]]}
    urls = [f"https://e.test/elsewhere/{n}" for n in range(300)]  # none held
    lookup = upsert.existing_keys(urls, ids, ["0" * 64])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = lookup.explain()
    assert "Seq Scan" not in plan, plan
    assert "article_unique_external_id_per_source" in plan and "article_unique_url" in plan, plan
    assert lookup.count() == 1000


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keeps the migrated rows for later tests
@pytest.mark.parametrize("collapse", ["", "story"])
def test_a_filtered_date_page_finds_its_ids_in_the_listing_index_alone(collapse):
    """A country's page (a tenth of the articles) newest first tests the place on the listing index's
    own tuples (an index-only scan): it does not fetch each skipped row from the table."""
    with connection.cursor() as cursor:
        cursor.execute(GENERATE_ROWS)
        cursor.execute(GENERATE_PLACES)
        cursor.execute("VACUUM ANALYZE archive_article")  # the visibility map an index-only scan reads
    params = {"place": "country-3", "sort": "newest", **({"collapse": collapse} if collapse else {})}
    found = search.run(QueryDict(urlencode(params)), counted=False)
    plan = found.ordered.values_list("pk", flat=True)[:20].explain()
    assert "Index Only Scan Backward using article_listing_date" in plan, plan


def test_an_editors_articles_are_found_by_the_partial_index_that_imported_rows_never_enter(
    twenty_thousand_articles, django_user_model
):
    editor = django_user_model.objects.create_user("desk-editor")
    Article.objects.filter(pk__in=Article.objects.order_by("pk").values("pk")[:5]).update(updated_by=editor)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE archive_article")
        cursor.execute(
            "SELECT pg_relation_size('article_updated_by'), pg_relation_size('article_content_hash')"
        )
        editor_index, hash_index = cursor.fetchone()
    assert editor_index < hash_index / 10  # five entries against twenty thousand
    plan = plan_of(Article.objects.filter(updated_by=editor))
    assert "article_updated_by" in plan, plan
