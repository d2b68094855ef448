"""Write a batch of clean records: match each to an article, create or update, protect editors' changes."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

import reversion
from django.db.models import Q
from django.utils import timezone

from archive.importers.copying import copy_objects, copy_rows, reserve_ids
from archive.importers.normalise import ArticleValues
from archive.importers.records import ParsedRecord
from archive.importers.tags import TagResolver
from archive.models import Article, ImportChange, ImportRun

TRACKED_FIELDS = (
    "headline",
    "summary",
    "body",
    "byline",
    "dateline",
    "agency",
    "url",
    "language",
    "published_on",
    "published_at",
    "places",
    "topics",
)
SCALAR_FIELDS = TRACKED_FIELDS[:-2]


def digest(value) -> str:
    """A short fingerprint of a field's value, to tell later whether someone changed it."""
    if isinstance(value, (dt.date, dt.datetime)):
        value = value.isoformat()
    return hashlib.md5(repr(value if value is not None else "").encode()).hexdigest()[:16]


@dataclass
class Item:
    """One record on its way into the database."""

    record: ParsedRecord
    values: ArticleValues
    source_id: int | None
    place_ids: list[int]
    topic_ids: list[int]

    def wanted(self) -> dict:
        v = self.values
        return {
            "headline": v.headline,
            "summary": v.summary,
            "body": v.body,
            "byline": v.byline,
            "dateline": v.dateline,
            "agency": v.agency,
            "url": v.url,
            "language": v.language,
            "published_on": v.published_on,
            "published_at": v.published_at,
            "places": self.place_ids,
            "topics": self.topic_ids,
        }

    def keys(self) -> list[tuple]:
        """Upsert keys, strongest first: (source, external_id), the canonical url, the content hash."""
        v = self.values
        keys = [("ext", self.source_id, v.external_id)] if v.external_id else []
        if v.url:
            keys.append(("url", v.url))
        keys.append(("hash", self.source_id, v.content_hash()))
        return keys


@dataclass
class Tally:
    """Counts and report lines of one run."""

    counts: dict = field(
        default_factory=lambda: dict.fromkeys(
            ["read", "created", "updated", "unchanged", "skipped", "warned", "duplicates", "conflicts"], 0
        )
    )
    lines: list[str] = field(default_factory=list)

    def note(self, record: ParsedRecord, message: str) -> None:
        self.lines.append(f"{record.where}: {message}")


class BatchWriter:
    """Writes batches for one import run; remembers keys across batches to collapse duplicates."""

    def __init__(self, *, run: ImportRun, tally: Tally):
        self.run, self.tally = run, tally
        self.resolver = TagResolver()
        self.seen: dict[tuple, str] = {}

    def item(self, record: ParsedRecord, values: ArticleValues, source_id: int | None) -> Item:
        return Item(
            record,
            values,
            source_id,
            self.resolver.place_ids(values.tags["places"]),
            self.resolver.topic_ids(values.tags),
        )

    def write(self, items: list[Item]) -> None:
        """Create or update every item of the batch (the caller holds the transaction)."""
        items = self._collapse_duplicates(items)
        existing = self._existing(items)
        new, changes = [], []
        for item in items:
            article = next((existing[k] for k in item.keys() if k in existing), None)
            if article is None:
                new.append(item)
            else:
                change = self._update(article, item)
                if change:
                    changes.append(change)
        changes += self._create(new)
        ImportChange.objects.bulk_create(changes)

    def _collapse_duplicates(self, items: list[Item]) -> list[Item]:
        kept = []
        for item in items:
            first = next((self.seen[k] for k in item.keys() if k in self.seen), None)
            if first:
                self.tally.counts["duplicates"] += 1
                self.tally.note(
                    item.record, f"duplicate of the record at {first}; collapsed into one article"
                )
                continue
            for key in item.keys():
                self.seen[key] = item.record.where
            kept.append(item)
        return kept

    def _existing(self, items: list[Item]) -> dict[tuple, Article]:
        """Articles already in the archive under any key of the batch, by key."""
        ids_by_source: dict[int | None, list[str]] = {}
        for item in items:
            if item.values.external_id:
                ids_by_source.setdefault(item.source_id, []).append(item.values.external_id)
        wanted = Q(url__in=[item.values.url for item in items if item.values.url])
        for source_id, external_ids in ids_by_source.items():
            wanted |= Q(source_id=source_id, external_id__in=external_ids)
        hashes = [item.values.content_hash() for item in items]
        articles = list(Article.objects.filter(wanted | Q(content_hash__in=hashes)).defer("search_vector"))
        tags = self._current_tags([a.pk for a in articles])
        found = {}
        for article in articles:
            article.current_places, article.current_topics = tags.get(article.pk, ([], []))
            found[("hash", article.source_id, article.content_hash)] = article
            if article.url:
                found[("url", article.url)] = article
            if article.external_id:
                found[("ext", article.source_id, article.external_id)] = article
        return found

    @staticmethod
    def _current_tags(pks: list[int]) -> dict[int, tuple[list[int], list[int]]]:
        tags: dict[int, tuple[list[int], list[int]]] = {pk: ([], []) for pk in pks}
        for pk, place_id in Article.places.through.objects.filter(article_id__in=pks).values_list(
            "article_id", "place_id"
        ):
            tags[pk][0].append(place_id)
        for pk, topic_id in Article.topics.through.objects.filter(article_id__in=pks).values_list(
            "article_id", "topic_id"
        ):
            tags[pk][1].append(topic_id)
        return {pk: (sorted(p), sorted(t)) for pk, (p, t) in tags.items()}

    def _create(self, items: list[Item]) -> list[ImportChange]:
        now = timezone.now()
        articles = []
        for item in items:
            wanted = item.wanted()
            article = Article(
                **{name: wanted[name] for name in SCALAR_FIELDS},
                external_id=item.values.external_id,
                source_id=item.source_id,
                status=Article.Status.PUBLISHED,
                made_public_at=now,
                content_hash=item.values.content_hash(),
                import_digest={name: digest(value) for name, value in wanted.items()},
            )
            article.slug = article.make_slug()
            article.created = article.updated = now
            articles.append(article)
        for article, pk in zip(articles, reserve_ids(Article, len(articles)), strict=True):
            article.pk = pk
        copy_objects(articles)
        self._add_tags(articles, items)
        for item in items:
            if item.record.warnings:
                self.tally.counts["warned"] += 1
        self.tally.counts["created"] += len(articles)
        return [
            ImportChange(run=self.run, article_pk=a.pk, action=ImportChange.Action.CREATED, version_after=1)
            for a in articles
        ]

    @staticmethod
    def _add_tags(articles: list[Article], items: list[Item]) -> None:
        pairs = list(zip(articles, items, strict=True))
        for field_name, attribute in (("places", "place_ids"), ("topics", "topic_ids")):
            through = Article._meta.get_field(field_name).remote_field.through._meta
            target = through.get_field(field_name.rstrip("s")).column
            rows = ((a.pk, tag) for a, i in pairs for tag in getattr(i, attribute))
            copy_rows(through.db_table, ["article_id", target], rows)

    def _update(self, article: Article, item: Item) -> ImportChange | None:
        """Apply the fields the import changed and no editor touched; report editors' conflicts."""
        current = {name: getattr(article, name) for name in SCALAR_FIELDS}
        current["places"], current["topics"] = article.current_places, article.current_topics
        wanted, last_import = item.wanted(), article.import_digest or {}
        to_write, new_digest = {}, dict(last_import)
        for name, value in wanted.items():
            new, now, before = digest(value), digest(current[name]), last_import.get(name)
            if new == now:
                new_digest[name] = new
            elif before is not None and now == before:
                to_write[name] = value
                new_digest[name] = new
            elif new != before:
                self.tally.counts["conflicts"] += 1
                self.tally.note(item.record, f"kept an editor's change to {name} of article {article.pk}")
        if item.record.warnings:
            self.tally.counts["warned"] += 1
        if not to_write:
            self.tally.counts["unchanged"] += 1
            if new_digest != last_import:
                Article.objects.filter(pk=article.pk).update(import_digest=new_digest)
            return None
        return self._apply(article, to_write, new_digest, {name: current[name] for name in to_write})

    def _apply(self, article: Article, to_write: dict, new_digest: dict, previous: dict) -> ImportChange:
        for name, value in to_write.items():
            if name == "places":
                article.places.set(value)
            elif name == "topics":
                article.topics.set(value)
            else:
                setattr(article, name, value)
        article.import_digest = new_digest
        article.version += 1
        with reversion.create_revision():
            article.save()
            reversion.set_comment(f"Updated by import #{self.run.pk}: {', '.join(to_write)}.")
        self.tally.counts["updated"] += 1
        encoded = {
            k: (v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v) for k, v in previous.items()
        }
        return ImportChange(
            run=self.run,
            article_pk=article.pk,
            action=ImportChange.Action.UPDATED,
            version_after=article.version,
            previous=encoded,
        )
