"""Load the demo fixtures (fixtures/*.json): idempotent, and never overwrites an editor's change."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from archive.models import Article, Place, Source, Topic
from archive.services.gazetteer import gazetteer_load

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


@dataclass
class DemoLoadResult:
    places: int = 0
    topics: int = 0
    sources: int = 0
    articles: int = 0


def _read(name: str, directory: Path) -> list[dict]:
    return json.loads((directory / name).read_text(encoding="utf-8"))


def _create_missing_nodes(model, rows: list[dict], extra_fields: tuple[str, ...]) -> int:
    """Create nodes whose slug is unknown, parents first (rows list parents before children)."""
    created = 0
    for row in rows:
        if model.objects.filter(slug=row["slug"]).exists():
            continue
        parent = model.objects.get(slug=row["parent"]) if row.get("parent") else None
        fields = {name: row[name] for name in extra_fields if row.get(name) is not None}
        model.objects.create(
            name=row["name"],
            slug=row["slug"],
            kind=row["kind"],
            parent=parent,
            aliases=row.get("aliases", []),
            **fields,
        )
        created += 1
    return created


def _create_missing_sources(rows: list[dict]) -> int:
    created = 0
    for row in rows:
        _, was_created = Source.objects.get_or_create(slug=row["slug"], defaults=row)
        created += was_created
    return created


def _create_article(row: dict) -> None:
    fields = {k: v for k, v in row.items() if k not in {"source", "places", "topics"}}
    fields["url"] = row.get("url") or ""
    fields["published_on"] = dt.date.fromisoformat(row["published_on"])
    if row.get("published_at"):
        fields["published_at"] = dt.datetime.fromisoformat(row["published_at"].replace("Z", "+00:00"))
    article = Article.objects.create(source=Source.objects.get(slug=row["source"]), **fields)
    article.places.set(Place.objects.filter(slug__in=row.get("places", [])))
    article.topics.set(Topic.objects.filter(slug__in=row.get("topics", [])))


def _create_missing_articles(rows: list[dict]) -> int:
    created = 0
    for row in rows:
        exists = Article.objects.filter(source__slug=row["source"], external_id=row["external_id"]).exists()
        if not exists:
            _create_article(row)
            created += 1
    return created


@transaction.atomic
def demo_data_load(*, directory: Path = FIXTURES_DIR) -> DemoLoadResult:
    """Create whatever part of the gazetteer, topic tree, sources and demo articles is missing."""
    result = DemoLoadResult()
    result.places = gazetteer_load()
    result.places += _create_missing_nodes(Place, _read("places.json", directory), ("latitude", "longitude"))
    result.topics = _create_missing_nodes(Topic, _read("topics.json", directory), ("description",))
    result.sources = _create_missing_sources(_read("sources.json", directory))
    result.articles = _create_missing_articles(_read("articles.json", directory))
    return result
