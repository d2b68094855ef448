"""Places and topics of imported records: matched on whole values through slugs and aliases, else created."""

from __future__ import annotations

from django.db import connection
from django.utils.text import slugify

from archive.models import Place, PlaceClosure, Topic, TopicClosure, lookup_key
from archive.pg_arrays import int_array

# Which kind of topic each list of a record names.
TOPIC_KINDS = {
    "topics": Topic.Kind.SUBJECT,
    "people": Topic.Kind.PERSON,
    "organisations": Topic.Kind.ORGANISATION,
    "exchanges": Topic.Kind.OTHER,
}


PLACE_RANK = {kind: rank for rank, kind in enumerate(["continent", "country", "region", "city", "site"])}


class TagResolver:
    """Turns names, slugs and aliases into place and topic ids, creating what is unknown."""

    def __init__(self):
        self.places = self._index(Place.objects.values_list("id", "alias_keys", "kind"))
        self.topics = self._index(Topic.objects.values_list("id", "alias_keys", "kind"))
        self.created: list[str] = []
        self.memo: dict[tuple, int | None] = {}
        self.groups: dict[tuple, int] = {}
        self.ancestors = {Place: self._ancestors(PlaceClosure), Topic: self._ancestors(TopicClosure)}

    @staticmethod
    def _ancestors(closure) -> dict[int, set[int]]:
        ancestors: dict[int, set[int]] = {}
        for descendant, ancestor in closure.objects.values_list("descendant_id", "ancestor_id"):
            ancestors.setdefault(descendant, set()).add(ancestor)
        return ancestors

    def rollup(self, model, ids: list[int]) -> list[int]:
        """The nodes and all their ancestors, as the database's rolled-up ids (migration 0014) hold them.

        Written with a new article so that the link triggers find nothing to change; the triggers stay
        the authority (a node an editor moves meanwhile is corrected by them).
        """
        known = self.ancestors[model]
        return sorted(set().union(*(known.get(pk, {pk}) for pk in ids)))

    def facet_groups(self, keys: list[tuple[int | None, list[int], list[int]]]) -> list[int]:
        """The facet group (migration 0017) of each (source, rolled-up places, rolled-up topics).

        Written with new articles (the insert trigger only fills a missing group); the
        combinations not seen yet in this import are looked up (or created) in one statement.
        """
        wanted = {(source, tuple(places), tuple(topics)) for source, places, topics in keys}
        missing = [key for key in wanted if key not in self.groups]
        if missing:
            with connection.cursor() as cursor:
                cursor.execute(
                    """SELECT archive_facet_group_id(source, places, topics)
                       FROM unnest(%s::bigint[], %s::text[], %s::text[]) WITH ORDINALITY
                            AS k(source, place_text, topic_text, n),
                            CAST(place_text AS integer[]) AS places, CAST(topic_text AS integer[]) AS topics
                       ORDER BY n""",
                    [
                        [source for source, _, _ in missing],
                        [int_array(places) for _, places, _ in missing],
                        [int_array(topics) for _, _, topics in missing],
                    ],
                )
                self.groups.update(zip(missing, (row[0] for row in cursor.fetchall()), strict=True))
        return [self.groups[(source, tuple(places), tuple(topics))] for source, places, topics in keys]

    @staticmethod
    def _index(rows) -> dict[str, list[tuple[int, str]]]:
        index: dict[str, list[tuple[int, str]]] = {}
        for pk, keys, kind in rows:
            for key in keys:
                index.setdefault(key, []).append((pk, kind))
        return index

    def place_ids(self, names: list[str]) -> list[int]:
        return sorted({self._resolve(Place, self.places, name, Place.Kind.OTHER) for name in names} - {None})

    def topic_ids(self, tags: dict[str, list[str]]) -> list[int]:
        ids = {
            self._resolve(Topic, self.topics, name, kind)
            for list_name, kind in TOPIC_KINDS.items()
            for name in tags.get(list_name, [])
        }
        return sorted(ids - {None})

    def _resolve(self, model, index, name: str, kind: str) -> int | None:
        memo_key = (model, name, kind)
        if memo_key not in self.memo:
            self.memo[memo_key] = self._lookup_or_create(model, index, name, kind)
        return self.memo[memo_key]

    def _lookup_or_create(self, model, index, name: str, kind: str) -> int | None:
        key = lookup_key(name)
        if not key:
            return None
        matches = index.get(key)
        if matches:
            same_kind = [pk for pk, k in matches if k == kind]
            # A name shared by a country and a city (an alias of either) is the larger place.
            return same_kind[0] if same_kind else min(matches, key=lambda m: PLACE_RANK.get(m[1], 9))[0]
        node = model.objects.create(name=name, slug=self._free_slug(model, key), kind=kind, aliases=[name])
        self.created.append(f"{model._meta.verbose_name} “{name}”")
        for node_key in node.alias_keys:
            index.setdefault(node_key, []).append((node.pk, kind))
        return node.pk

    @staticmethod
    def _free_slug(model, key: str) -> str:
        slug, n = slugify(key)[:190], 2
        while model.objects.filter(slug=slug).exists():
            slug, n = f"{slugify(key)[:185]}-{n}", n + 1
        return slug
