"""The text-search configurations and the stored vectors built on them (read by models.py).

Every SearchVector, SearchQuery and SearchHeadline passes a configuration explicitly: without it
PostgreSQL silently falls back to its default configuration.
"""

from django.contrib.postgres.search import SearchVector
from django.db.models.functions import Left

# A copy of PostgreSQL's `english` with `unaccent` before the stemmer (migration 0001).
SEARCH_CONFIG = "archive_english"
# The exact mode's: `simple` with `unaccent`, so no stemming and no stop words (migration 0007).
EXACT_CONFIG = "archive_simple"
# A tsvector over 1 MB makes the INSERT fail, so only the start of a long body is indexed.
BODY_INDEX_CHARS = 500_000


def article_vector(config: str = SEARCH_CONFIG) -> SearchVector:
    """A stored vector: headline A, summary B, body C (its start), byline and dateline D."""
    return (
        SearchVector("headline", config=config, weight="A")
        + SearchVector("summary", config=config, weight="B")
        + SearchVector(Left("body", BODY_INDEX_CHARS), config=config, weight="C")
        + SearchVector("byline", "dateline", config=config, weight="D")
    )
