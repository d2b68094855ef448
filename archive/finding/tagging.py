"""The finder built from the gazetteer, and found places written as `found` links (tag_origins)."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models.functions import Left

from archive import tag_origins
from archive.derived import refresh
from archive.finding import entities, recurring
from archive.finding.names import TEXT_CHARS, NameFinder
from archive.finding.places import OPENING_CHARS, Candidate, Found, HomeCountries, PlaceFinder
from archive.finding.recurring import TopicNames
from archive.models import Article, Place, PlaceClosure, Topic, TopicClosure

FINDABLE_KINDS = (Place.Kind.COUNTRY, Place.Kind.REGION, Place.Kind.CITY, Place.Kind.SITE)


def gazetteer_finder() -> PlaceFinder:
    """Every country, region, city and site of the gazetteer with its aliases; continents are neither
    found nor count as support (a continent says too little of where)."""
    continents = set(Place.objects.filter(kind=Place.Kind.CONTINENT).values_list("id", flat=True))
    lineages: dict[int, set[int]] = {}
    for descendant, ancestor in PlaceClosure.objects.values_list("descendant_id", "ancestor_id"):
        if ancestor not in continents:
            lineages.setdefault(descendant, set()).add(ancestor)
    divided = set(Place.objects.filter(kind=Place.Kind.REGION).values_list("parent_id", flat=True))
    divided &= set(Place.objects.filter(kind=Place.Kind.COUNTRY).values_list("id", flat=True))
    rows = Place.objects.filter(kind__in=FINDABLE_KINDS).values_list(
        "id", "name", "kind", "population", "aliases"
    )
    candidates, names = [], {}
    for pk, name, kind, population, aliases in rows:
        lineage = frozenset(lineages.get(pk, {pk}))
        candidates.append(Candidate(pk, name, kind, population, lineage, lineage - divided))
        names[pk] = aliases
    return PlaceFinder(candidates, names)


def name_finder() -> NameFinder:
    """The archive's people and organisations, by name and alias (`names`)."""
    kinds = (Topic.Kind.PERSON, Topic.Kind.ORGANISATION)
    return NameFinder(Topic.objects.filter(kind__in=kinds).values_list("id", "name", "kind", "aliases"))


def country_ids() -> set[int]:
    return set(Place.objects.filter(kind=Place.Kind.COUNTRY).values_list("id", flat=True))


def archive_homes() -> HomeCountries:
    """Each source's home country as the archive's articles say (`HomeCountries`)."""
    homes = HomeCountries(country_ids())
    with connection.cursor() as cursor:
        cursor.execute(  # each article once, with the countries it lies in
            "SELECT source_id, countries, count(*) FROM ("
            "  SELECT source_id, ARRAY(SELECT unnest(rollup_place_ids) INTERSECT SELECT unnest(%s::int[]))"
            "  AS countries FROM archive_article WHERE rollup_place_ids && %s::int[]"
            ") placed GROUP BY source_id, countries",
            [sorted(homes.countries), sorted(homes.countries)],
        )
        for source, countries, articles in cursor.fetchall():
            homes.observe(source, countries, weight=articles)
    return homes


def lineage_of(place_ids: list[int]) -> set[int]:
    """The places and every place they lie in (continents included; they never support a candidate)."""
    return set(PlaceClosure.objects.filter(descendant_id__in=place_ids).values_list("ancestor_id", flat=True))


__all__ = ["Found", "find_all", "gazetteer_finder", "lineage_of", "name_finder"]


CHUNK = 2000  # articles read and tagged per transaction


def find_all(*, progress=None, chunk: int = CHUNK, finder: PlaceFinder | None = None) -> int:
    """Look for places (in every article's dateline, headline and opening) and for people and
    organisations (the archive's own by name in its headline and text, and in French what the model
    finds: `entities`, `recurring`); returns the links added.

    Each chunk of articles is one transaction, so a run killed half-way keeps what it finished and a
    second run adds only what is missing (a link there already, or one an editor rejected, is left
    alone: `tag_origins.add_found`). The derived counts are refreshed at the end.
    """
    finder, homes = finder or gazetteer_finder(), archive_homes()
    readers = {"names": name_finder(), "topics": TopicNames()}
    ancestors = {"places": _ancestors(PlaceClosure), "topics": _ancestors(TopicClosure)}
    total, done, added, last = Article.objects.count(), 0, 0, 0
    text_chars = max(OPENING_CHARS, TEXT_CHARS, entities.TEXT_CHARS)
    columns = ("pk", "source_id", "language", "dateline", "headline", "summary", Left("body", text_chars))
    while True:
        with transaction.atomic():
            rows = list(Article.objects.filter(pk__gt=last).order_by("pk").values_list(*columns)[:chunk])
            if not rows:
                break
            last = rows[-1][0]
            pks = [row[0] for row in rows]
            # The chunk's articles first, in id order, as an import's writers and an editor lock them.
            list(Article.objects.select_for_update().filter(pk__in=pks).order_by("pk").values_list("pk"))
            links = {name: _links_of(name, pks) for name in ("places", "topics")}
            found = {"places": [], "topics": []}
            unknown = []
            for pk, source, language, dateline, headline, summary, body in rows:
                known = _known(ancestors["places"], links["places"].get(pk, ()))
                text = {"dateline": dateline, "headline": headline, "opening": summary or body}
                hits = finder.find(**text, known=known, home=homes.home(source))
                found["places"] += [(pk, h.place_id, h.evidence) for h in hits if h.place_id not in known]
                has = _known(ancestors["topics"], links["topics"].get(pk, ()))
                named = _names(readers, headline, summary, body, language)
                found["topics"] += [(pk, topic, ev) for topic, ev in named["known"] if topic not in has]
                unknown += [(pk, name, kind) for name, kind in named["unknown"]]
            promoted = recurring.remember(unknown)
            added += sum(tag_origins.add_found(name, links) for name, links in found.items())
        if promoted:  # names that became topics: articles of other chunks too, locked on their own
            with transaction.atomic():
                added += tag_origins.add_found("topics", promoted)
        done += len(rows)
        if progress:
            progress(done, total, added)
    if added:
        refresh.refresh_after_write(changed=True)
    return added


def _names(readers: dict, headline: str, summary: str, body: str, language: str) -> dict[str, list]:
    """The topics an article names (by the dictionary, and by its language's model) and the model's
    names no topic has."""
    text = f"{summary}\n{body}" if summary else body
    known = [(n.topic_id, n.evidence) for n in readers["names"].find(headline=headline, text=text)]
    unknown = []
    for name, kind in entities.entities(f"{headline}\n{text}", language):
        topic = readers["topics"].topic_for(name)
        if topic is None:
            unknown.append((name, kind))
        else:
            known.append((topic, recurring.evidence(name)))
    return {"known": known, "unknown": unknown}


def _known(ancestors: dict[int, set[int]], nodes) -> set[int]:
    return set().union(*(ancestors.get(node, {node}) for node in nodes))


def _ancestors(closure) -> dict[int, set[int]]:
    ancestors: dict[int, set[int]] = {}
    for descendant, ancestor in closure.objects.values_list("descendant_id", "ancestor_id"):
        ancestors.setdefault(descendant, set()).add(ancestor)
    return ancestors


def _links_of(name: str, pks: list[int]) -> dict[int, list[int]]:
    table, column = tag_origins.LINK_TABLES[name]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT article_id, {column} FROM {table} WHERE article_id = ANY(%s)", [pks])
        links: dict[int, list[int]] = {}
        for pk, node in cursor.fetchall():
            links.setdefault(pk, []).append(node)
    return links
