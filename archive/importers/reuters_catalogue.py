"""Reuters-21578's category codes as places and topics: attached to the gazetteer, codes kept as aliases."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from archive.importers.reuters import reuters_vocabulary
from archive.models import Place, Topic

# Codes whose gazetteer country has another name.
PLACE_CODES = {
    "uk": "united-kingdom",
    "uae": "united-arab-emirates",
    "antigua": "antigua-and-barbuda",
    "congo": "republic-of-the-congo",
    "zaire": "democratic-republic-of-the-congo",
    "kampuchea": "cambodia",
    "trinidad-tobago": "trinidad-and-tobago",
    "western-samoa": "samoa",
}
# Countries of 1987 that no longer exist: created as historical places under their continent.
HISTORICAL_PLACES = {
    "ussr": ("Soviet Union", "europe"),
    "west-germany": ("West Germany", "europe"),
    "east-germany": ("East Germany", "europe"),
    "czechoslovakia": ("Czechoslovakia", "europe"),
    "yugoslavia": ("Yugoslavia", "europe"),
    "netherlands-antilles": ("Netherlands Antilles", "north-america"),
    "yemen-arab-republic": ("Yemen Arab Republic (North Yemen)", "asia"),
    "yemen-demo-republic": ("People's Democratic Republic of Yemen (South Yemen)", "asia"),
}
KINDS = {
    "topics": Topic.Kind.SUBJECT,
    "people": Topic.Kind.PERSON,
    "organisations": Topic.Kind.ORGANISATION,
    "exchanges": Topic.Kind.OTHER,
}


class _Catalogue:
    """All places or topics in memory, by lookup key and slug; new and changed nodes saved in bulk."""

    def __init__(self, model):
        self.model, self.nodes = model, list(model.objects.all())
        self.by_key: dict[str, list] = {}
        for node in self.nodes:
            self._index(node)
        self.slugs = {node.slug for node in self.nodes}
        self.new, self.changed = [], set()

    def _index(self, node) -> None:
        for key in node.alias_keys:
            self.by_key.setdefault(key, []).append(node)

    def find(self, code: str, kind: str | None = None):
        matches = self.by_key.get(slugify(code), [])
        return next((n for n in matches if kind is None or n.kind == kind), None)

    def add_alias(self, node, code: str) -> None:
        if slugify(code) not in node.alias_keys:
            node.aliases = [*node.aliases, code]
            node.refresh_alias_keys()
            self._index(node)
            if node.pk:
                self.changed.add(node)

    def create(self, **fields):
        slug = fields.pop("slug")
        while slug in self.slugs:
            slug = f"{slug}-{len(self.slugs)}"
        node = self.model(slug=slug, **fields)
        node.refresh_alias_keys()
        self.slugs.add(slug)
        self._index(node)
        self.new.append(node)
        return node

    def save(self) -> None:
        self.model.objects.bulk_create(self.new)
        self.model.objects.bulk_update(list(self.changed), ["aliases", "alias_keys"])


def _ensure_places(codes) -> None:
    places = _Catalogue(Place)
    for code in codes:
        known = places.find(PLACE_CODES[code]) if code in PLACE_CODES else places.find(code)
        if known:
            places.add_alias(known, code)
            continue
        name, continent = HISTORICAL_PLACES.get(code, (code.replace("-", " ").title(), None))
        places.create(
            name=name,
            slug=slugify(code),
            kind=Place.Kind.COUNTRY,
            parent=places.find(continent or ""),
            aliases=[code],
        )
    places.save()


def _ensure_topics(vocabulary: dict) -> None:
    topics = _Catalogue(Topic)
    groups = {}
    for list_name in KINDS:
        for entry in vocabulary.get(list_name, {}).values():
            group = entry.get("group")
            if group and group not in groups:
                groups[group] = topics.find(group, Topic.Kind.SUBJECT) or topics.create(
                    name=group, slug=slugify(group), kind=Topic.Kind.SUBJECT, aliases=[]
                )
    Topic.objects.bulk_create(topics.new)  # parents first
    topics.new = []
    for list_name, kind in KINDS.items():
        for code, entry in vocabulary.get(list_name, {}).items():
            known = topics.find(code, kind)
            if known:
                topics.add_alias(known, code)
                continue
            name = entry.get("name") or code
            topics.create(
                name=name,
                slug=slugify(name)[:190] or slugify(code),
                kind=kind,
                parent=groups.get(entry.get("group")),
                description=entry.get("role", ""),
                aliases=[code, *([entry["short"]] if entry.get("short") else [])],
            )
    topics.save()


def ensure(data_dir: Path) -> None:
    """Create or link every place and topic code of the collection; a no-op once done."""
    if not (data_dir / "cat-descriptions_120396.txt").exists() or _already_done():
        return
    vocabulary = reuters_vocabulary(data_dir)
    with transaction.atomic():
        _ensure_places(vocabulary.get("places", {}))
        _ensure_topics(vocabulary)


def _already_done() -> bool:
    # The last codes created; if they exist, an earlier run did all of it in one transaction.
    return (
        Place.objects.filter(alias_keys__contains=["west-germany"]).exists()
        and Topic.objects.filter(kind=Topic.Kind.OTHER, alias_keys__contains=["nasdaq"]).exists()
    )
