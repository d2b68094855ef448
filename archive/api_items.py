"""The API's item: one article as a result of the JSON API, an entry of a feed, a record of an export.

All of them build it here from the same fields, and every absolute link to an article (the item's
`url`, a KWIC line's link, a feed entry's id) is `permalink`, so they can never drift apart. The
API and the feeds read model instances (`article_item`), the exports light value rows (`api_item`).
"""

from __future__ import annotations

import datetime as dt

from archive.models import Article, article_path


def api_item(
    *,
    pk: int,
    url: str,
    source_url: str,
    headline: str,
    published_on: dt.date,
    published_at: dt.datetime | None,
    source: str | None,
    agency: str,
    language: str,
    byline: str,
    places: list[str],
    topics: list[str],
    snippet: str,
) -> dict:
    """The item's keys, in the order the OpenAPI document lists them."""
    return {
        "id": pk,
        "url": url,
        "source_url": source_url or None,
        "headline": headline,
        "published": published_on.isoformat(),
        "published_at": published_at.isoformat() if published_at else None,
        "source": source,
        "agency": agency,
        "language": language,
        "byline": byline,
        "places": places,
        "topics": topics,
        "snippet": snippet,
    }


def permalink(site: str, pk: int, slug: str) -> str:
    """The article's page on `site` (scheme and host; "" for a path)."""
    return site + article_path(pk, slug)


def article_item(article: Article, *, site: str, snippet: str) -> dict:
    """The item of a model instance (its source selected, its places and topics prefetched)."""
    return api_item(
        pk=article.pk,
        url=permalink(site, article.pk, article.slug),
        source_url=article.url,
        headline=article.headline,
        published_on=article.published_on,
        published_at=article.published_at,
        source=article.source.slug if article.source else None,
        agency=article.agency,
        language=article.language,
        byline=article.byline,
        places=[p.slug for p in article.places.all()],
        topics=[t.slug for t in article.topics.all()],
        snippet=snippet,
    )
