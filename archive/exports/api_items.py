"""The API's item: one article as a result of the JSON API, and as a record of an export.

Both build it here from the same fields, so the API and the exports can never drift apart; the
API reads model instances, the exports light value rows, and each passes its own snippet.
"""

from __future__ import annotations

import datetime as dt


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
        "byline": byline,
        "places": places,
        "topics": topics,
        "snippet": snippet,
    }
