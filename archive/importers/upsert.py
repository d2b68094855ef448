"""Write a batch of clean records: match each to an article, create or update, protect editors' changes."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import threading
from dataclasses import dataclass, field

import reversion
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from psycopg.types.json import Jsonb

from archive import tag_origins
from archive.derived.stories import shingles
from archive.finding import entities, recurring
from archive.finding.places import HomeCountries
from archive.finding.recurring import TopicNames
from archive.finding.tagging import country_ids, gazetteer_finder, name_finder
from archive.importers.copying import copy_rows, reserve_ids
from archive.importers.normalise import ArticleValues
from archive.importers.records import ParsedRecord
from archive.importers.tags import TagResolver
from archive.models import Article, ImportChange, ImportRun, Place, Topic, article_slug
from archive.pg_arrays import int_array

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
WHOLE_RECORD = "*"  # the digest key of the whole record as last imported
NEW_ARTICLE_COLUMNS = [
    *SCALAR_FIELDS,
    "id",
    "slug",
    "external_id",
    "source_id",
    "status",
    "made_public_at",
    "content_hash",
    "import_digest",
    "created",
    "updated",
    "version",
    "rollup_place_ids",
    "rollup_topic_ids",
    "facet_group_id",
    "language_detected",
]


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
    rollup_place_ids: list[int] = field(default_factory=list)
    rollup_topic_ids: list[int] = field(default_factory=list)
    found_places: dict[int, dict] = field(default_factory=dict)  # found in the text: id → evidence
    found_topics: dict[int, dict] = field(default_factory=dict)  # people and organisations named
    unknown_names: list[tuple[str, str]] = field(default_factory=list)  # (name, kind) no topic has
    _digests: dict = field(default_factory=dict, repr=False)

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

    def digests(self) -> dict[str, str]:
        """Per-field digests, plus one of the whole record (computed once)."""
        if not self._digests:
            self._digests = {name: digest(value) for name, value in self.wanted().items()}
            self._digests[WHOLE_RECORD] = digest(sorted(self._digests.items()))
        return self._digests

    def key(self) -> tuple:
        """The upsert key: (source, external_id), else the canonical url, else the content hash."""
        v = self.values
        if v.external_id:
            return ("ext", self.source_id, v.external_id)
        if v.url:
            return ("url", v.url)
        return ("hash", self.source_id, v.content_hash())

    def match_keys(self) -> list[tuple]:
        """Keys to find an existing article by: the upsert key, then the url (unique across the archive)."""
        keys = [self.key()]
        if self.values.url and keys[0][0] != "url":
            keys.append(("url", self.values.url))
        return keys


class Tally:
    """Counts and report lines of one run, shared by the reading thread and the writer threads.

    Report lines come back in file and line order, whichever thread wrote them first.
    """

    COUNTS = ("read", "created", "updated", "unchanged", "skipped", "warned", "duplicates", "conflicts")

    def __init__(self, files: list[str] | None = None):
        self.counts = dict.fromkeys(self.COUNTS, 0)
        self._file_order = {path: index for index, path in enumerate(files or [])}
        self._notes: list[tuple] = []
        self._lock = threading.Lock()

    def add(self, name: str, amount: int = 1) -> None:
        with self._lock:
            self.counts[name] += amount

    def note(self, record: ParsedRecord, message: str) -> None:
        with self._lock:
            order = (self._file_order.get(record.path, len(self._file_order)), record.line, len(self._notes))
            self._notes.append((order, f"{record.where}: {message}"))

    @property
    def lines(self) -> list[str]:
        with self._lock:
            return [line for _, line in sorted(self._notes)]


def existing_keys(urls: list[str], ids_by_source: dict[int | None, list[str]], hashes: list[str]) -> QuerySet:
    """The articles holding any of these keys, served by the unique indexes. Those are partial (a key
    is unique when set), and PostgreSQL proves an `IN` list implies `> ''` only up to 100 values: a
    batch of 1,000 ids without the explicit condition was a full scan (781 ms at a million rows)."""
    wanted = Q(url__gt="", url__in=urls)
    for source_id, external_ids in ids_by_source.items():
        wanted |= Q(source_id=source_id, external_id__gt="", external_id__in=external_ids)
    wanted |= Q(content_hash__in=hashes)
    return Article.objects.filter(wanted)


def _existing(items: list[Item]) -> dict[tuple, dict]:
    """Articles already in the archive under a key of the batch (light rows: no text), by key."""
    ids_by_source: dict[int | None, list[str]] = {}
    for item in items:
        if item.values.external_id:
            ids_by_source.setdefault(item.source_id, []).append(item.values.external_id)
    urls = [item.values.url for item in items if item.values.url]
    hashes = [item.key()[2] for item in items if item.key()[0] == "hash"]
    found = {}
    for article in existing_keys(urls, ids_by_source, hashes).values(
        "id", "source_id", "external_id", "url", "content_hash", "import_digest"
    ):
        if article["content_hash"]:
            found[("hash", article["source_id"], article["content_hash"])] = article
        if article["url"]:
            found[("url", article["url"])] = article
        if article["external_id"]:
            found[("ext", article["source_id"], article["external_id"])] = article
    return found


def _lock_current_values(pks: list[int]) -> dict[int, dict]:
    """The tracked fields and import digest of these articles as they are now, rows locked.

    The lock (taken in id order, held to the batch's commit) closes the window between reading an
    article and writing it: an editor's save either lands before (and is kept as a conflict) or waits
    and is then refused by its version check, never overwritten.
    """
    locked = Article.objects.select_for_update(of=("self",)).filter(pk__in=pks).order_by("pk")
    rows = {
        row["id"]: {**row, "places": [], "topics": []}
        for row in locked.values("id", "import_digest", *SCALAR_FIELDS)
    }
    for name in ("places", "topics"):  # the tags people gave: found ones are no one's edit
        table, column = tag_origins.LINK_TABLES[name]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT article_id, {column} FROM {table} WHERE article_id = ANY(%s) "
                f"AND provenance <> %s ORDER BY {column}",
                [pks, tag_origins.FOUND],
            )
            for pk, tag in cursor.fetchall():
                rows[pk][name].append(tag)
    return rows


class BatchWriter:
    """Writes batches for one import run; remembers keys across batches to collapse duplicates."""

    def __init__(self, *, run: ImportRun, tally: Tally, find: bool = True):
        self.run, self.tally = run, tally
        self.resolver = TagResolver()
        self.finder = gazetteer_finder() if find else None
        self.names = name_finder() if find else None
        self.topic_names = TopicNames() if find else None
        self.promoted: list[tuple[int, int, dict]] = []
        self.promoted_lock = threading.Lock()
        self.homes = HomeCountries(country_ids()) if find else None
        # Every key and url of the run, by where its first record is (`_place`). Flat strings and
        # packed ints: a million-record run holds a million of each (270 → 133 bytes a record).
        self.seen: dict[str, int] = {}
        self.seen_urls: dict[str, int] = {}
        self.paths: dict[str, int] = {}

    def _place(self, record: ParsedRecord) -> int:
        """Where a record is, as one int: its file's number and its line."""
        return self.paths.setdefault(record.path, len(self.paths)) << 32 | record.line

    def _where(self, place: int) -> str:
        """`record.where` of the record at `place`."""
        return f"{list(self.paths)[place >> 32]}:{place & 0xFFFF_FFFF}"  # numbered in insertion order

    def item(self, record: ParsedRecord, values: ArticleValues, source_id: int | None) -> Item:
        """Resolve the record's places and topics (creating unknown ones) into an Item."""
        places = self.resolver.place_ids(values.tags["places"])
        topics = self.resolver.topic_ids(values.tags)
        rollups = self.resolver.rollup(Place, places), self.resolver.rollup(Topic, topics)
        return Item(record, values, source_id, places, topics, *rollups)

    def _find_in(self, item: Item) -> None:
        """The places, people and organisations the item's text names and its record did not give,
        its rolled-up ids with them — for the records that are new or changed (a re-import of an
        unchanged record reads nothing). Runs in the writer threads: the finders are only read."""
        values, source_id = item.values, item.source_id
        found = self._found_places(values, item.rollup_place_ids, source_id)
        if found:
            item.rollup_place_ids = self.resolver.rollup(Place, [*item.place_ids, *found])
        if self.homes is not None:
            self.homes.observe(source_id, item.rollup_place_ids)
        named = self._found_topics(values, item.rollup_topic_ids)
        item.found_places, item.found_topics = found, named
        self._model_names(item, set(item.rollup_topic_ids))
        if item.found_topics:
            item.rollup_topic_ids = self.resolver.rollup(Topic, [*item.topic_ids, *item.found_topics])

    def _model_names(self, item: Item, known: set[int]) -> None:
        """People and organisations the language's model finds (French): a topic's name or alias is
        found at once; another name is remembered (`recurring`) once the article has an id."""
        if self.topic_names is None:
            return
        values = item.values
        text = "\n".join(part for part in (values.headline, values.summary, values.body) if part)
        for name, kind in entities.entities(text, values.language):
            topic = self.topic_names.topic_for(name)
            if topic is None:
                item.unknown_names.append((name, kind))
            elif topic not in known:
                item.found_topics.setdefault(topic, recurring.evidence(name))

    def _found_topics(self, values: ArticleValues, known: list[int]) -> dict[int, dict]:
        """The archive's people and organisations the text names that the record did not give."""
        if self.names is None:
            return {}
        text = f"{values.summary}\n{values.body}" if values.summary else values.body
        return {
            n.topic_id: n.evidence
            for n in self.names.find(headline=values.headline, text=text)
            if n.topic_id not in known
        }

    def _found_places(
        self, values: ArticleValues, known: list[int], source_id: int | None
    ) -> dict[int, dict]:
        """The places the text names that the record did not give: id → evidence."""
        if self.finder is None:
            return {}
        found = self.finder.find(
            dateline=values.dateline,
            headline=values.headline,
            opening=values.summary or values.body,
            known=known,
            home=self.homes.home(source_id),
        )
        return {f.place_id: f.evidence for f in found if f.place_id not in known}

    def write(self, items: list[Item]) -> dict[int, str]:
        """Create or update every item of the batch (the caller holds the transaction); returns the
        text each new article is compared by for copies (stories.catch_up's `fresh`).

        Batches come through `collapse` first, so two batches never hold the same key and several
        writers can write them at once.
        """
        existing = _existing(items)
        new, matched = [], []
        for item in items:
            if item.record.warnings:
                self.tally.add("warned")
            article = next((existing[k] for k in item.match_keys() if k in existing), None)
            if article is None:
                new.append(item)
            elif (article["import_digest"] or {}).get(WHOLE_RECORD) == item.digests()[WHOLE_RECORD]:
                self.tally.add("unchanged")  # the source says what it said last time
            else:
                matched.append((article, item))
        # Tags are found in the records that become new articles. A changed record's article may hold
        # an editor's text that the record no longer matches: `find_tags` reads the article as stored.
        for item in new:
            self._find_in(item)
        # Updates first: their row locks come before the triggers' locks, the order an editor's save takes.
        self._update_all(matched)
        return self._create(new)

    def _remember_names(self, written: list[tuple[int, Item]]) -> None:
        """Names no topic has join their candidates; those that now recur become topics, whose links
        (to articles of other batches too) wait for `add_promoted`, after this batch commits."""
        rows = [(pk, name, kind) for pk, item in written for name, kind in item.unknown_names]
        if rows:
            links = recurring.remember(rows)
            with self.promoted_lock:
                self.promoted += links

    def add_promoted(self) -> None:
        """Tag the articles of the names that became topics, in a transaction of their own: it locks
        articles of several batches (in id order), which the batch's own transaction must not."""
        with self.promoted_lock:
            links, self.promoted = self.promoted, []
        if links:
            with transaction.atomic():
                tag_origins.add_found("topics", links)

    def collapse(self, items: list[Item]) -> list[Item]:
        """Records repeating an earlier record's key become one article; a reused url is left out."""
        kept = []
        for item in items:
            key = "\x1f".join(map(str, item.key()))  # only the last part is free text: no ambiguity
            first = self.seen.get(key)
            if first is not None:
                self.tally.add("duplicates")
                message = f"duplicate of the record at {self._where(first)}; collapsed into one article"
                self.tally.note(item.record, message)
                continue
            place = self.seen[key] = self._place(item.record)
            owner = self.seen_urls.setdefault(item.values.url, place) if item.values.url else None
            if owner is not None and owner != place:
                message = f"url already given by the record at {self._where(owner)}; left out"
                item.record.warnings.append(message)
                self.tally.note(item.record, f"warning: {message}")
                item.values.url = ""
            kept.append(item)
        return kept

    def _create(self, items: list[Item]) -> dict[int, str]:
        """New articles, their tags and their change records, written with COPY."""
        now = timezone.now()
        ids = reserve_ids(Article, len(items))
        rows = []
        groups = self.resolver.facet_groups(
            [(item.source_id, item.rollup_place_ids, item.rollup_topic_ids) for item in items]
        )
        for item, pk, group in zip(items, ids, groups, strict=True):
            wanted = item.wanted()
            slug = article_slug(item.values.headline)
            rows.append(
                [
                    *(wanted[name] for name in SCALAR_FIELDS),
                    pk,
                    slug,
                    item.values.external_id,
                    item.source_id,
                    Article.Status.PUBLISHED,
                    now,
                    item.values.content_hash(),
                    Jsonb(item.digests()),
                    now,
                    now,
                    1,
                    int_array(item.rollup_place_ids),  # a literal: psycopg dumps a list in Python
                    int_array(item.rollup_topic_ids),
                    group,
                    item.values.language_detected,
                ]
            )
        copy_rows(Article._meta.db_table, NEW_ARTICLE_COLUMNS, rows)
        for name, attribute in (("places", "place_ids"), ("topics", "topic_ids")):
            through = Article._meta.get_field(name).remote_field.through._meta
            tag_rows = (
                (pk, tag, tag_origins.IMPORT, None)
                for item, pk in zip(items, ids, strict=True)
                for tag in getattr(item, attribute)
            )
            found_rows = (
                (pk, node, tag_origins.FOUND, Jsonb(evidence))
                for item, pk in zip(items, ids, strict=True)
                for node, evidence in getattr(item, f"found_{name}").items()
            )
            tag_rows = itertools.chain(tag_rows, found_rows)
            copy_rows(through.db_table, ["article_id", f"{name[:-1]}_id", "provenance", "evidence"], tag_rows)
        self._remember_names(list(zip(ids, items, strict=True)))
        copy_rows(
            ImportChange._meta.db_table,
            ["run_id", "article_pk", "action", "version_after", "previous"],
            ((self.run.pk, pk, ImportChange.Action.CREATED, 1, Jsonb({})) for pk in ids),
        )
        self.tally.add("created", len(items))
        return {
            pk: shingles.article_text(item.values.body, item.values.summary)
            for item, pk in zip(items, ids, strict=True)
        }

    def _update_all(self, matched: list[tuple[dict, Item]]) -> None:
        current = _lock_current_values([article["id"] for article, _ in matched])
        changes = [
            self._update(item, current[article["id"]])
            for article, item in matched
            if article["id"] in current
        ]
        ImportChange.objects.bulk_create([change for change in changes if change])

    def _update(self, item: Item, current: dict) -> ImportChange | None:
        """Apply the fields the import changed and no editor touched; report editors' conflicts."""
        wanted, last_import, pk = item.wanted(), current["import_digest"] or {}, current["id"]
        to_write, new_digest = {}, item.digests()
        for name, value in wanted.items():
            new, now, before = new_digest[name], digest(current[name]), last_import.get(name)
            if new == now:
                continue
            if before is not None and now == before:
                to_write[name] = value
            else:
                # The editor's value stays: keep the last import's digest (none if it never imported it).
                if before is None:
                    new_digest.pop(name)
                else:
                    new_digest[name] = before
                if new != before:
                    self.tally.add("conflicts")
                    self.tally.note(item.record, f"kept an editor's change to {name} of article {pk}")
        if not to_write:
            self.tally.add("unchanged")
            Article.objects.filter(pk=pk).update(import_digest=new_digest)
            return None
        if "language" in to_write:
            to_write["language_detected"] = item.values.language_detected
        previous = {name: current[name] for name in to_write if name in wanted}
        return self._apply(pk, to_write, new_digest, previous)

    def _apply(self, pk: int, to_write: dict, new_digest: dict, previous: dict) -> ImportChange:
        article = Article.objects.get(pk=pk)
        for name, value in to_write.items():
            if name in ("places", "topics"):
                # The links this import added are its own; the found ones stay.
                tag_origins.replace_given_links(article, name, value, tag_origins.IMPORT)
            else:
                setattr(article, name, value)
        article.import_digest = new_digest
        article.version += 1
        with reversion.create_revision():
            article.save()
            fields = ", ".join(name for name in to_write if name in TRACKED_FIELDS)
            reversion.set_comment(f"Updated by import #{self.run.pk}: {fields}.")
        self.tally.add("updated")
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
