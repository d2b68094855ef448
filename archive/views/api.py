"""The read-only JSON API: the same parameters and FilterSet as the search page."""

from __future__ import annotations

from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from archive import api_items, openapi, search, tag_origins
from archive.derived.stories import reading
from archive.models import Article
from archive.search import highlight, ordering
from archive.search.result import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from archive.views.querystrings import with_params
from archive.views.sites import site_of

MAX_PAGE_NUMBER = 10**12  # far beyond any archive; keeps the offset inside bigint


def error_json(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _page_size(params) -> int:
    raw = params.get("page_size") or str(DEFAULT_PAGE_SIZE)
    if not raw.isdecimal() or not 1 <= int(raw) <= MAX_PAGE_SIZE:
        raise ValueError(_("page_size must be a whole number from 1 to %(max)s") % {"max": MAX_PAGE_SIZE})
    return int(raw)


def article_item(request, article: Article) -> dict:
    """One result of the API (the item feeds and exports write too: api_items)."""
    snippet = str(getattr(article, "snippet_html", "") or highlight.plain_snippet(article))
    return api_items.article_item(article, site=site_of(request), snippet=snippet)


def _link(request, **changes) -> str:
    query = with_params(request.GET, drop=("page", "cursor"), set=changes)
    return request.build_absolute_uri(f"{request.path}?{query}")


def _page_number(params) -> int | None:
    """The numbered page asked for, or None when the client pages by cursor."""
    if not params.get("page"):
        return None
    if not params["page"].isdecimal() or int(params["page"]) < 1:
        raise ValueError(_("page must be a whole number from 1"))
    number = int(params["page"])
    if number > MAX_PAGE_NUMBER:
        raise ValueError(_("page %(number)s is past the last page") % {"number": number})
    return number


def _numbered_rows(request, outcome, number: int, size: int):
    """A numbered page (one row more than shown, to know whether another follows) and its links."""
    rows = outcome.page_rows()
    if number > 1 and not rows:
        raise ValueError(_("page %(number)s is past the last page") % {"number": number})
    after = ordering.encode(outcome.sort, rows[size - 1], "after") if len(rows) > size else None
    before = _link(request, page=number - 1) if number > 1 else None
    return rows[:size], (_link(request, cursor=after) if after else None), before


def _cursor_rows(request, outcome, size: int):
    """A page after or before a cursor (the first page without one) and its neighbours' links."""
    cursor = request.GET.get("cursor")
    if cursor:
        rows, more_after, more_before = ordering.page_after(outcome.matches, outcome.sort, cursor, size)
    else:
        rows = outcome.page_rows()
        rows, more_after, more_before = rows[:size], len(rows) > size, False
    next_link = (
        _link(request, cursor=ordering.encode(outcome.sort, rows[-1], "after"))
        if rows and more_after
        else None
    )
    previous = (
        _link(request, cursor=ordering.encode(outcome.sort, rows[0], "before"))
        if rows and more_before
        else None
    )
    return rows, next_link, previous


def search_api(request):
    """/api/search/: matches, exact count, facets and how the query was read.

    A numbered page, or the first page of cursor paging, is picked by the counting statement when
    the list is sorted by relevance (one pass over the matches); a cursor page is one keyset query.
    """
    params = request.GET
    try:
        size, number = _page_size(params), _page_number(params)
        page_problem = None
    except ValueError as error:
        number, size, page_problem = None, DEFAULT_PAGE_SIZE, str(error)
    first = (number or 1) - 1
    outcome = search.run(params, page=search.PageSlice(first * size, size + 1), viewer=request.user)
    if outcome.errors:
        return error_json("; ".join(outcome.errors))
    if page_problem:
        return error_json(page_problem)
    try:
        if number is not None:
            rows, next_link, previous = _numbered_rows(request, outcome, number, size)
        else:
            rows, next_link, previous = _cursor_rows(request, outcome, size)
    except (ValueError, ordering.BadCursor) as error:
        return error_json(str(error))
    full = Article.objects.select_related("source").prefetch_related("places", "topics")
    rows = ordering.in_id_order(full.filter(pk__in=[r.pk for r in rows]), [r.pk for r in rows])
    highlight.with_highlights(rows, outcome.compiled)
    compiled = outcome.compiled
    return JsonResponse(
        {
            "count": outcome.total,
            "next": next_link,
            "previous": previous,
            "results": _results(request, outcome, rows),
            "facets": outcome.facets(),
            "query": {
                "understood": compiled.understood if compiled else "",
                "dropped": compiled.dropped if compiled else [],
                "languages": compiled.languages if compiled else [],
            },
        }
    )


def _results(request, outcome, rows: list[Article]) -> list[dict]:
    """The page's items; under collapse=story each also says its story and how many other of its
    copies match (`story`: null for an article with no copy)."""
    items = [article_item(request, article) for article in rows]
    if outcome.collapsed:
        copies = outcome.other_copies(rows)
        for item in items:
            story, others = copies.get(item["id"], (None, 0))
            item["story"], item["other_copies"] = story, others
    return items


def copy_items(request, reference: Article, copies: list[Article]) -> list[dict]:
    """Copies as the API lists them, each with its overlap with `reference` (0–1)."""
    return [
        {
            "id": copy.pk,
            "url": api_items.permalink(site_of(request), copy.pk, copy.slug),
            "source": copy.source.slug if copy.source else None,
            "published": copy.published_on.isoformat(),
            "overlap": share,
        }
        for copy, share in reading.with_overlaps(reference, copies)
    ]


def article_api(request, pk: int):
    """/api/articles/<id>/: one published article in full."""
    article = (
        Article.objects.published()
        .select_related("source")
        .prefetch_related("places", "topics")
        .filter(pk=pk)
        .first()
    )
    if article is None:
        return error_json(_("no such article"), status=404)
    return JsonResponse(
        {
            **article_item(request, article),
            "summary": article.summary,
            "body": article.body,
            "dateline": article.dateline,
            "rights": article.source.rights if article.source else "",
            "tags": _tags(article),
            **_story_fields(request, article),
        }
    )


def _tags(article: Article) -> list[dict]:
    """Every place and topic with how it came (editor, import, found; a found one with its evidence)."""
    return [
        {
            "slug": tag["slug"],
            "kind": tag["kind"],
            "provenance": tag["provenance"],
            **({"evidence": tag["evidence"]} if tag["provenance"] == tag_origins.FOUND else {}),
        }
        for tag in tag_origins.article_tags(article.pk)
    ]


def _story_fields(request, article: Article) -> dict:
    """`story` (null without a copy) and `copies`: the other articles of its story."""
    story = reading.story_of(article)
    if story is None:
        return {"story": None, "copies": []}
    others = [copy for copy in story.copies if copy.pk != article.pk]
    fields = {"story": story.as_json(), "copies": copy_items(request, article, others)}
    if not article.agency:
        fields["agency"] = story.agency  # a copy naming no agency is credited with its story's
    return fields


def openapi_json(request):
    """The API's OpenAPI 3.1 description."""
    return JsonResponse(openapi.document(server=request.build_absolute_uri(reverse("archive:home"))))
