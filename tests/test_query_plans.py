"""Query plans on a realistic number of rows: search must use the GIN index, not scan the table."""

import pytest
from django.db import connection

from archive import selectors
from archive.models import Article

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
