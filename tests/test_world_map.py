"""The map (/map/): real country outlines in Equal Earth; every country's and place's count is what its
click returns, in every mode of the search; bad parameters answer 400, a missing atlas leaves the tables."""

from __future__ import annotations

import re

import pytest
from django.http import QueryDict

from archive import search
from archive.analysis import world_map, world_outlines
from archive.models import Place
from tests.factories import make_article, make_place

pytestmark = pytest.mark.django_db

BRAZIL, MALI, USA = "076", "466", "840"


def points(path: str) -> list[tuple[float, float]]:
    """The absolute points of a path of `M x,y` and relative `l dx,dy` steps."""
    found, x, y = [], 0.0, 0.0
    for command, a, b in re.findall(r"([Ml])(-?[\d.]+),(-?[\d.]+)", path):
        x, y = (float(a), float(b)) if command == "M" else (x + float(a), y + float(b))
        found.append((x, y))
    return found


def box(path: str) -> tuple[float, float, float, float]:
    xs, ys = zip(*points(path), strict=True)
    return min(xs), min(ys), max(xs), max(ys)


def params(**values) -> QueryDict:
    query = QueryDict(mutable=True)
    for name, value in values.items():
        query.setlist(name, value if isinstance(value, list) else [value])
    return query


def clicked(base: QueryDict, slug: str) -> int:
    query = base.copy()
    query.appendlist("place", slug)
    return search.run(query).total


def test_the_outlines_are_every_country_of_the_atlas_in_equal_earth():
    shapes = {shape.code: shape for shape in world_outlines.outlines()}
    assert len(world_outlines.outlines()) == 241
    assert {BRAZIL, MALI, USA} <= set(shapes)
    assert all(shape.path.startswith("M") and shape.path.endswith("Z") for shape in shapes.values())
    width, height = world_outlines.WIDTH, world_outlines.HEIGHT
    assert world_outlines.project(-180, 0) == pytest.approx((0, height / 2), abs=0.01)
    assert world_outlines.project(180, 0) == pytest.approx((width, height / 2), abs=0.01)
    assert world_outlines.project(0, 90)[1] == pytest.approx(0, abs=0.2)
    # Bamako lies in Mali's outline's box, Brasília in Brazil's; Mali is north of Brazil and east of it.
    for code, (longitude, latitude) in ((MALI, (-8.0, 12.65)), (BRAZIL, (-47.93, -15.78))):
        left, top, right, bottom = box(shapes[code].path)
        x, y = world_outlines.project(longitude, latitude)
        assert left < x < right and top < y < bottom, code
    assert box(shapes[MALI].path)[3] < box(shapes[BRAZIL].path)[1]
    assert box(shapes[MALI].path)[0] > box(shapes[BRAZIL].path)[0]


def test_no_ring_is_drawn_across_the_map_but_the_one_around_the_pole():
    """Fiji's and Chukotka's rings cross the 180th meridian: drawn as they are, each would be a band
    across the whole map."""
    wide = {
        shape.name
        for shape in world_outlines.outlines()
        for ring in re.findall(r"M[^MZ]*Z", shape.path)
        if box(ring)[2] - box(ring)[0] > world_outlines.WIDTH / 2
    }
    assert wide == {"Antarctica"}
    fiji = next(shape for shape in world_outlines.outlines() if shape.name == "Fiji")
    assert box(fiji.path)[2] > world_outlines.WIDTH - 20  # still there, at the map's eastern edge


@pytest.mark.parametrize("mode", [{}, {"collapse": "story"}, {"language": "en"}])
def test_each_country_and_place_counts_what_its_click_returns(reprinted, mode):
    checked = 0
    for q in ("oil", "coffee", ""):
        base = params(q=q, **mode)
        drawn = world_map.world_map(base)
        assert drawn.countries, q
        counted = drawn.countries[:12] + drawn.countries[-3:] + drawn.dots[:5]
        for place in counted:
            assert clicked(base, place.slug) == place.count, (q, mode, place)
            checked += 1
        assert drawn.total == search.run(base).total
    assert checked >= 30


def test_the_map_page_shades_brazil_with_the_count_of_its_click(client, reprinted):
    body = client.get("/map/?q=coffee").content.decode()
    brazil = next(p for p in world_map.world_map(params(q="coffee")).countries if p.slug == "brazil")
    assert brazil.count == clicked(params(q="coffee"), "brazil") > 0
    link = f'<a href="/search/?q=coffee&amp;place=brazil" aria-label="Brazil: {brazil.count}">'
    assert link in body
    outline = next(shape for shape in world_outlines.outlines() if shape.code == BRAZIL)
    assert f'{link}<path class="shade-{brazil.shade}" d="{outline.path}">' in body
    assert body.count('href="/search/?q=coffee&amp;place=brazil"') == 2  # the shape and the table
    assert "These results on a map" in client.get("/search/?q=coffee").content.decode()


def test_places_with_coordinates_are_dots_and_countries_without_a_code_are_listed(client, mali_chain):
    kati = mali_chain["kati"]
    kati.latitude, kati.longitude = 12.744, -8.072
    kati.save()
    nowhere = make_place("Freedonia", kind=Place.Kind.COUNTRY)  # no ISO alias: no shape to shade
    make_article("Kati garrison attacked", places=[kati])
    make_article("Freedonia votes", places=[nowhere])
    drawn = world_map.world_map(params())
    dot = next(d for d in drawn.dots if d.slug == kati.slug)
    assert (dot.x, dot.y) == pytest.approx(world_outlines.project(-8.072, 12.744), abs=0.1)
    assert dot.count == 1 and dot.radius > 0
    assert [p.slug for p in drawn.unmapped] == [nowhere.slug]
    mali = next(s for s in drawn.shapes if s.outline.code == MALI)
    assert mali.place.slug == "mali" and mali.place.count == 1
    body = client.get("/map/").content.decode()
    assert "not on the map" in body and 'aria-label="Kati: 1"' in body


def test_bad_parameters_answer_400_with_the_reason(client):
    response = client.get("/map/?q=Kati&from=2022-13-45")
    assert response.status_code == 400
    assert "could not be drawn" in response.content.decode()
    assert client.get("/map/?q=%22&place=").status_code in (200, 400)


def test_without_the_atlas_the_page_keeps_its_tables(client, mali_chain, settings, tmp_path):
    make_article("Kati garrison attacked", places=[mali_chain["kati"]])
    world_outlines.outlines.cache_clear()
    settings.BASE_DIR = tmp_path
    try:
        response = client.get("/map/")
    finally:
        world_outlines.outlines.cache_clear()
    body = response.content.decode()
    assert response.status_code == 200
    assert "<svg" not in body and "Matches per country" in body and 'href="/search/?place=mali"' in body
