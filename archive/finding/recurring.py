"""Names a model finds (`entities`): linked to the archive's person and organisation topics by name or
alias, else remembered with their articles (`NameCandidate`) until they recur — in RECUR articles —
when they become a topic of their kind and every article they were found in is tagged with it.

Decided: three articles. One is an accident of the model, two can be one story and its copy; a name
in three articles is one a researcher would look for. The candidates are upserted in one statement
in key order (two import writers lock them in the same order), and a promotion reuses a topic that
another writer created meanwhile.
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.utils.text import slugify

from archive.models import Article, Topic, lookup_key
from archive.pg_arrays import int_array

RECUR = 3
TEXT = "text"


class TopicNames:
    """The archive's person and organisation topics by the lookup key of each name and alias."""

    def __init__(self):
        kinds = (Topic.Kind.PERSON, Topic.Kind.ORGANISATION)
        self.by_key: dict[str, int] = {}
        for pk, keys in Topic.objects.filter(kind__in=kinds).order_by("pk").values_list("pk", "alias_keys"):
            for key in keys:
                self.by_key.setdefault(key, pk)

    def topic_for(self, name: str) -> int | None:
        return self.by_key.get(lookup_key(name))


def evidence(name: str) -> dict:
    return {"words": name, "where": TEXT}


UPSERT = """
INSERT INTO archive_namecandidate (key, name, kind, article_ids, created)
SELECT key, name, kind, CAST(ids AS bigint[]), now()
FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[]) AS found(key, name, kind, ids)
ORDER BY key
ON CONFLICT (key) DO UPDATE SET article_ids = ARRAY(
    SELECT DISTINCT unnest(archive_namecandidate.article_ids || EXCLUDED.article_ids) ORDER BY 1
)
RETURNING id, key, name, kind, article_ids
"""


def remember(rows: list[tuple[int, str, str]]) -> list[tuple[int, int, dict]]:
    """Remember (article id, name, kind) for names no topic has; returns the found links — (article,
    topic, evidence) — of the names that now recur, whose topics it creates. The caller holds the
    transaction and adds the links (`tag_origins.add_found`)."""
    # A name in a draft never becomes a topic, whose name every visitor sees: published articles only.
    published = set(_published({row[0] for row in rows}))
    by_key: dict[str, tuple[str, str, set[int]]] = {}
    for article, name, kind in rows:
        name = name[:200]  # the key of the name a topic would have (its alias keys are its name's)
        key = lookup_key(name)[:200]
        if article in published and key:
            by_key.setdefault(key, (name, kind, set()))[2].add(article)
    links = []
    for key, topic in _topics_now(list(by_key)).items():  # made since the caller read the topics
        name, _, articles = by_key.pop(key)
        links += [(article, topic, evidence(name)) for article in sorted(articles)]
    if not by_key:
        return links
    keys = sorted(by_key)
    with connection.cursor() as cursor:
        cursor.execute(
            UPSERT,
            [
                keys,
                [by_key[k][0] for k in keys],
                [by_key[k][1] for k in keys],
                [int_array(sorted(by_key[k][2])) for k in keys],
            ],
        )
        candidates = cursor.fetchall()
        # A topic another writer made while this one waited for the row: its articles join it too.
        made = _topics_now([row[1] for row in candidates])
        for pk, key, name, kind, article_ids in candidates:
            if key not in made and len(article_ids) < RECUR:
                continue
            still = _published(article_ids)  # unpublished, undone or deleted since: they no longer count
            if key not in made and len(still) < RECUR:
                cursor.execute("UPDATE archive_namecandidate SET article_ids = %s WHERE id = %s", [still, pk])
                continue
            topic = made.get(key) or _topic(key, name, kind)
            links += [(article, topic, evidence(name)) for article in still]
            cursor.execute("DELETE FROM archive_namecandidate WHERE id = %s", [pk])
    return links


def _published(article_ids) -> list[int]:
    published = Article.objects.filter(pk__in=article_ids, status=Article.Status.PUBLISHED)
    return sorted(published.values_list("pk", flat=True))


def _topics_now(keys: list[str]) -> dict[str, int]:
    kinds = (Topic.Kind.PERSON, Topic.Kind.ORGANISATION)
    found: dict[str, int] = {}
    for pk, alias_keys in (
        Topic.objects.filter(kind__in=kinds, alias_keys__overlap=keys)
        .order_by("pk")
        .values_list("pk", "alias_keys")
    ):
        for key in set(alias_keys) & set(keys):
            found.setdefault(key, pk)
    return found


def _topic(key: str, name: str, kind: str) -> int:
    """The topic of that name (made by another writer meanwhile), or a new one of its kind."""
    existing = Topic.objects.filter(alias_keys__contains=[key]).order_by("pk").first()
    if existing is not None:
        return existing.pk
    base = slugify(name)[:185] or "topic"
    for n in range(1, 1000):
        slug = base if n == 1 else f"{base}-{n}"
        if Topic.objects.filter(slug=slug).exists():
            continue
        try:
            with transaction.atomic():  # an import's resolver may take the slug at the same moment
                return Topic.objects.create(name=name, slug=slug, kind=kind).pk
        except IntegrityError:
            continue
    raise RuntimeError(f"no free slug for the topic {name!r}")
