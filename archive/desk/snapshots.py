"""Snapshots: a result set frozen with every article's revision, and what changed since.

The text of each article is the django-reversion version recorded for it at the moment of freezing
(one is recorded then when its latest version does not hold its current text). The checksum is a
SHA-256 over the ordered lines "<id>\\t<revision>\\t<text sha256>\\n"; an article's text checksum is
the SHA-256 of its headline, summary and body joined by newlines (UTF-8).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import reversion
from django.db import transaction
from django.db.models import Prefetch
from django.http import QueryDict
from reversion.models import Version

from archive import search
from archive.desk.saved_searches import SavedSearchError, default_name, saved_query
from archive.desk.text import typed
from archive.models import Article, Place, Snapshot, SnapshotItem, Topic
from config.version import app_version

MAX_SNAPSHOT = 10_000  # articles in one snapshot
MAX_SNAPSHOTS = 200  # snapshots per researcher
CHUNK = 1000
TEXT_FIELDS = ("headline", "summary", "body")
TAGS = (("places", Place), ("topics", Topic))


class SnapshotError(ValueError):
    """A result set that cannot be frozen; the message says why."""


def text_sha256(fields: dict) -> str:
    """The checksum of an article's text: headline, summary and body joined by newlines."""
    text = "\n".join(str(fields.get(name) or "") for name in TEXT_FIELDS)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def current_text_sha256(ids: list[int]) -> dict[int, str]:
    """Each existing article's text checksum as its row holds the text now."""
    rows = Article.objects.filter(pk__in=ids).values("pk", *TEXT_FIELDS)
    return {row["pk"]: text_sha256(row) for row in rows}


def list_checksum(rows) -> str:
    """SHA-256 over the ordered (id, revision, text sha256) rows, one "id\\trevision\\tsha\\n" each."""
    digest = hashlib.sha256()
    for article_id, revision, sha in rows:
        digest.update(f"{article_id}\t{revision}\t{sha}\n".encode("ascii"))
    return digest.hexdigest()


def version_fields(version: Version) -> dict:
    """The article's fields as the version holds them (reversion's JSON, read without the models)."""
    return json.loads(version.serialized_data)[0]["fields"]


def _latest_versions(ids: list[int]) -> dict[int, Version]:
    versions = (
        Version.objects.get_for_model(Article)
        .filter(object_id__in=[str(pk) for pk in ids])
        .order_by("object_id", "-pk")
        .distinct("object_id")
    )
    return {int(version.object_id): version for version in versions}


def _versions_of(ids: list[int], owner) -> dict[int, Version]:
    """Each article's version holding its current text, recording one where none does; a deleted
    article is left out."""
    current = current_text_sha256(ids)
    latest = _latest_versions(list(current))
    stale = [
        pk
        for pk, sha in current.items()
        if pk not in latest or text_sha256(version_fields(latest[pk])) != sha
    ]
    if stale:
        with reversion.create_revision():
            # Each article's tags prefetched: the serializer would otherwise ask twice per article.
            only_ids = [Prefetch(name, queryset=model.objects.only("pk")) for name, model in TAGS]
            for article in Article.objects.filter(pk__in=stale).prefetch_related(*only_ids):
                reversion.add_to_revision(article)
            reversion.set_user(owner if owner is not None and owner.is_authenticated else None)
            reversion.set_comment("Text recorded for a snapshot.")
        latest.update(_latest_versions(stale))
    return latest


@dataclass(frozen=True)
class Frozen:
    article_id: int
    version: Version
    sha: str


def _freeze_rows(ids: list[int], owner) -> list[Frozen]:
    rows = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        versions = _versions_of(chunk, owner)
        rows.extend(
            Frozen(pk, versions[pk], text_sha256(version_fields(versions[pk])))
            for pk in chunk
            if pk in versions
        )
    return rows


def snapshot_freeze(*, owner, query_string: str, title: str = "") -> Snapshot:
    """Freeze the search's matches, in its order (at most MAX_SNAPSHOT)."""
    try:
        params = saved_query(query_string)
    except SavedSearchError as error:
        raise SnapshotError(str(error)) from error
    if Snapshot.objects.filter(owner=owner).count() >= MAX_SNAPSHOTS:
        raise SnapshotError(f"At most {MAX_SNAPSHOTS} snapshots: delete one never shared first.")
    outcome = search.run(params, counted=False, viewer=owner)
    if outcome.errors:
        raise SnapshotError("; ".join(outcome.errors))
    ids = list(outcome.ordered.values_list("pk", flat=True)[: MAX_SNAPSHOT + 1])
    if len(ids) > MAX_SNAPSHOT:
        raise SnapshotError(f"More than {MAX_SNAPSHOT:,} results: narrow the search to freeze it.")
    rows = _freeze_rows(ids, owner)
    with transaction.atomic():
        snapshot = Snapshot.objects.create(
            owner=owner,
            title=typed(title, 300) or default_name(params),
            query=params.urlencode(),
            app_version=app_version(),
            count=len(rows),
            checksum=list_checksum((row.article_id, row.version.revision_id, row.sha) for row in rows),
        )
        SnapshotItem.objects.bulk_create(
            SnapshotItem(
                snapshot=snapshot,
                position=n,
                article_id=row.article_id,
                version=row.version,
                text_sha256=row.sha,
            )
            for n, row in enumerate(rows, start=1)
        )
    return snapshot


WITHHELD_FIELDS = ("headline", "summary", "body", "byline", "dateline", "url")


def snapshot_rows(snapshot: Snapshot):
    """(item, the article's fields as frozen), in order, a chunk at a time. An article that exists
    but is no longer published (an editor withdrew it) is withheld: its text fields come back empty
    and `fields["withheld"]` is true; its text checksum, and so the snapshot's, stay as frozen."""
    after = 0
    while True:
        items = list(
            snapshot.items.select_related("version").filter(position__gt=after).order_by("position")[:CHUNK]
        )
        if not items:
            return
        ids = [item.article_id for item in items]
        withheld = set(
            Article.objects.filter(pk__in=ids)
            .exclude(status=Article.Status.PUBLISHED)
            .values_list("pk", flat=True)
        )
        for item in items:
            fields = version_fields(item.version)
            if item.article_id in withheld:
                fields.update(dict.fromkeys(WITHHELD_FIELDS, ""), withheld=True)
            yield item, fields
        after = items[-1].position


@dataclass(frozen=True)
class Changes:
    errors: tuple[str, ...] = ()
    added: tuple[int, ...] = ()
    removed: tuple[int, ...] = ()
    edited: tuple[int, ...] = ()
    too_many: bool = False  # the search now has more than MAX_SNAPSHOT matches: added is partial


def changes_since(snapshot: Snapshot, *, viewer) -> Changes:
    """The search rerun now against the snapshot: articles added, removed, and edited (text changed)."""
    outcome = search.run(QueryDict(snapshot.query), counted=False, viewer=viewer)
    if outcome.errors:
        return Changes(errors=outcome.errors)
    now = list(outcome.ordered.values_list("pk", flat=True)[: MAX_SNAPSHOT + 1])
    then = dict(snapshot.items.values_list("article_id", "text_sha256"))
    kept = [pk for pk in now if pk in then]
    current = {}
    for start in range(0, len(kept), CHUNK):
        current.update(current_text_sha256(kept[start : start + CHUNK]))
    now_set = set(now)
    return Changes(
        added=tuple(pk for pk in now if pk not in then),
        removed=tuple(pk for pk in then if pk not in now_set),
        edited=tuple(pk for pk in kept if current.get(pk) != then[pk]),
        too_many=len(now) > MAX_SNAPSHOT,
    )
