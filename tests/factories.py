"""Small factories for tests: real rows in the real database."""

from __future__ import annotations

import datetime as dt
import itertools

from archive.models import Article, Place, Source, Topic

_counter = itertools.count(1)


def make_source(**fields) -> Source:
    n = next(_counter)
    defaults = {"name": f"Source {n}", "slug": f"source-{n}", "rights": "Test text."}
    return Source.objects.create(**{**defaults, **fields})


def make_place(name: str, *, parent: Place | None = None, kind: str = Place.Kind.CITY, **fields) -> Place:
    return Place.objects.create(name=name, parent=parent, kind=kind, **fields)


def make_topic(name: str, *, parent: Topic | None = None, kind: str = Topic.Kind.SUBJECT, **fields) -> Topic:
    return Topic.objects.create(name=name, parent=parent, kind=kind, **fields)


def make_article(
    headline: str = "A headline",
    *,
    body: str = "Some body text.",
    published_on: dt.date | str = dt.date(2022, 7, 22),
    status: str = Article.Status.PUBLISHED,
    places=(),
    topics=(),
    **fields,
) -> Article:
    if isinstance(published_on, str):
        published_on = dt.date.fromisoformat(published_on)
    article = Article.objects.create(
        headline=headline, body=body, published_on=published_on, status=status, **fields
    )
    if places:
        article.places.set(places)
    if topics:
        article.topics.set(topics)
    return article
