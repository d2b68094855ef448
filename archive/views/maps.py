"""/map/?<search parameters>: the search's places on a world map, with the same numbers as a table."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse

from archive.analysis import world_map, world_outlines
from archive.search import timeline
from archive.views.querystrings import with_params
from archive.views.search import PAGING


def _linked(places, click, number) -> list[dict]:
    """Each place with the search its click opens and its count as the page writes numbers."""
    return [{"place": place, "url": click(place.slug), "count_text": number(place.count)} for place in places]


def map_page(request):
    """Countries shaded by their matches, places with coordinates as dots; each links to its click."""
    params = request.GET
    context = {"params": params, "q": params.get("q", "")}
    drawn = world_map.world_map(params, viewer=request.user)
    if drawn.errors:
        return render(request, "archive/map.html", {**context, "errors": list(drawn.errors)}, status=400)
    base = with_params(params, drop=PAGING)
    search_url = reverse("archive:search")
    number = timeline.whole_number_format()

    def click(slug: str) -> str:
        added = urlencode([("place", slug)])
        return f"{search_url}?{base}&{added}" if base else f"{search_url}?{added}"

    shaded = {row["place"].slug: row for row in _linked(drawn.countries, click, number)}
    context.update(
        map=drawn,
        total_text=number(drawn.total),
        shapes=[
            (shape.outline, shaded.get(shape.place.slug) if shape.place else None) for shape in drawn.shapes
        ],
        countries=list(shaded.values()),
        dots=_linked(drawn.dots, click, number),
        unmapped={place.slug for place in drawn.unmapped},
        width=world_outlines.WIDTH,
        height=world_outlines.HEIGHT,
        search_query=base,
    )
    return render(request, "archive/map.html", context)
