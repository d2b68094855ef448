"""The finder built from the gazetteer, and found places written as `found` links (tag_origins)."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models.functions import Left

from archive import tag_origins
from archive.derived import refresh
from archive.finding.places import OPENING_CHARS, Candidate, Found, HomeCountries, PlaceFinder
from archive.models import Article, Place, PlaceClosure

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


def country_ids() -> set[int]:
    return set(Place.objects.filter(kind=Place.Kind.COUNTRY).values_list("id", flat=True))


def archive_homes() -> HomeCountries:
    """Each source's home country as the archive's articles say (`HomeCountries`)."""
    homes = HomeCountries(country_ids())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT source_id, array_agg(country ORDER BY country), count(*) FROM ("
            "  SELECT source_id, ARRAY(SELECT unnest(rollup_place_ids) INTERSECT SELECT unnest(%s::int[]))"
            "  AS countries FROM archive_article WHERE rollup_place_ids && %s::int[]"
            ") placed, unnest(countries) country GROUP BY source_id, countries",
            [sorted(homes.countries), sorted(homes.countries)],
        )
        for source, countries, articles in cursor.fetchall():
            homes.observe(source, countries, weight=articles)
    return homes


def lineage_of(place_ids: list[int]) -> set[int]:
    """The places and every place they lie in (continents included; they never support a candidate)."""
    return set(PlaceClosure.objects.filter(descendant_id__in=place_ids).values_list("ancestor_id", flat=True))


__all__ = ["Found", "find_all", "gazetteer_finder", "lineage_of"]


CHUNK = 2000  # articles read and tagged per transaction


def find_all(*, progress=None, chunk: int = CHUNK, finder: PlaceFinder | None = None) -> int:
    """Look for places in every article's dateline, headline and opening; returns the links added.

    Each chunk of articles is one transaction, so a run killed half-way keeps what it finished and a
    second run adds only what is missing (a link there already, or one an editor rejected, is left
    alone: `tag_origins.add_found`). The derived counts are refreshed at the end.
    """
    finder, homes, ancestors = finder or gazetteer_finder(), archive_homes(), _ancestors()
    total, done, added, last = Article.objects.count(), 0, 0, 0
    while True:
        with transaction.atomic():
            rows = list(
                Article.objects.filter(pk__gt=last)
                .order_by("pk")
                .values_list(
                    "pk", "source_id", "dateline", "headline", "summary", Left("body", OPENING_CHARS)
                )[:chunk]
            )
            if not rows:
                break
            last = rows[-1][0]
            places = _places_of([row[0] for row in rows])
            found = []
            for pk, source, dateline, headline, summary, opening in rows:
                known = set().union(*(ancestors.get(p, {p}) for p in places.get(pk, ())))
                text = {"dateline": dateline, "headline": headline, "opening": summary or opening}
                hits = finder.find(**text, known=known, home=homes.home(source))
                found += [(pk, hit.place_id, hit.evidence) for hit in hits if hit.place_id not in known]
            added += tag_origins.add_found("places", found)
        done += len(rows)
        if progress:
            progress(done, total, added)
    if added:
        refresh.refresh_after_write(changed=True)
    return added


def _ancestors() -> dict[int, set[int]]:
    ancestors: dict[int, set[int]] = {}
    for descendant, ancestor in PlaceClosure.objects.values_list("descendant_id", "ancestor_id"):
        ancestors.setdefault(descendant, set()).add(ancestor)
    return ancestors


def _places_of(pks: list[int]) -> dict[int, list[int]]:
    table, column = tag_origins.LINK_TABLES["places"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT article_id, {column} FROM {table} WHERE article_id = ANY(%s)", [pks])
        places: dict[int, list[int]] = {}
        for pk, place in cursor.fetchall():
            places.setdefault(pk, []).append(place)
    return places
