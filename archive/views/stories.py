"""A story's page and its JSON: every copy of one agency story, by date and outlet, compared."""

from __future__ import annotations

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from archive import api_items
from archive.derived.stories import reading
from archive.views.api import copy_items, error_json
from archive.views.sites import site_of


def _story_or_404(pk: int) -> reading.Story:
    story = reading.story(pk)
    if story is None:
        raise Http404(_("No such story."))
    return story


def story_page(request, pk: int):
    """/stories/<id>/: the first appearance, every copy, how long it travelled, one copy beside the first."""
    story = _story_or_404(pk)
    copies = reading.with_overlaps(story.first, story.copies[1:])
    chosen = request.GET.get("compare", "")
    compared = next((copy for copy, _ in copies if str(copy.pk) == chosen), copies[0][0])
    context = {
        "story": story,
        "copies": copies,
        "compared": compared,
        "comparison": reading.compare(story.first, compared),
    }
    return render(request, "archive/story.html", context)


def story_api(request, pk: int):
    """/api/stories/<id>/: the story, and every copy with its overlap with the first appearance."""
    story = reading.story(pk)
    if story is None:
        return error_json(_("no such story"), status=404)
    first = story.first
    first = {
        "id": first.pk,
        "url": api_items.permalink(site_of(request), first.pk, first.slug),
        "source": first.source.slug if first.source else None,
        "published": first.published_on.isoformat(),
    }
    return JsonResponse(
        {
            **story.as_json(),
            "first": first,
            "copies": copy_items(request, story.first, story.copies[1:]),
        }
    )
