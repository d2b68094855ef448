"""The search page: results, exact counts, drill-down facets, removable filter chips, notes on the query."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.http import QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from archive import search
from archive.search import PageSlice, highlight, suggest, timeline
from archive.search.params import FILTERS, filters_where
from archive.views import timeline_chart
from archive.views.paging import PAGE_SIZE, page_number, paginate
from archive.views.querystrings import with_params

# The year and month facets narrow `from`/`to`; the others are filters of their own (filters.FILTERS).
FACET_TITLES = [
    ("year", gettext_lazy("Year")),
    ("month", gettext_lazy("Month")),
    *((spec.name, spec.facet) for spec in FILTERS if spec.facet),
]
CHIP_PARAMS = filters_where(chip=True)
# What a chip calls its filter (`name` stays the parameter, for the hidden fields and links).
CHIP_LABELS = {spec.name: spec.chip_label for spec in FILTERS if spec.chip}
PAGING = ("page", "cursor")


def _query(params: QueryDict, *, drop: tuple[str, ...] = (), add: tuple[tuple[str, str], ...] = ()) -> str:
    """The search's query string with parameters dropped and values added; paging always restarts."""
    return with_params(params, drop=(*drop, *PAGING), add=add)


def _without_value(params: QueryDict, name: str, value: str) -> str:
    return with_params(params, drop=PAGING, set={name: [v for v in params.getlist(name) if v != value]})


MAX_MONTHS_LISTED = 24  # beyond two years of months, the page lists years; a year's click lists its months


def _facet_links(params: QueryDict, facets: dict) -> list[dict]:
    """Each facet value with the query string its click opens: exactly the filter its count counts."""
    groups = []
    # Hundreds of links: the unchanged part of the query is encoded once.
    base, undated = _query(params), _query(params, drop=("from", "to"))
    number = timeline.whole_number_format()  # "1,234" or "1 234", looked up once for every count
    for name, title in FACET_TITLES:
        if name == "month" and len(facets.get("month", [])) > MAX_MONTHS_LISTED:
            groups.append(
                {"name": name, "title": title, "values": [], "hint": _("Choose a year to see its months.")}
            )
            continue
        values = []
        for entry in facets.get(name, []):
            if name in ("year", "month"):
                added = urlencode([("from", entry["value"]), ("to", entry["value"])])
                query = f"{undated}&{added}" if undated else added
            else:
                added = urlencode([(name, entry["value"])])
                query = f"{base}&{added}" if base else added
            values.append({**entry, "query": query, "count_text": number(entry["count"])})
        if values:
            groups.append({"name": name, "title": title, "values": values})
    return groups


def _suggestion_links(params: QueryDict, pairs: list[tuple[str, str]]) -> list[dict]:
    """The query with each doubtful word replaced by the archive's nearest word."""
    links = []
    for typed, suggested in pairs:
        text = re.sub(rf"(?i)\b{re.escape(typed)}\b", suggested, params.get("q", ""))
        links.append({"text": text, "query": with_params(params, drop=PAGING, set={"q": text})})
    return links


def _chips(params: QueryDict) -> list[dict]:
    return [
        {
            "name": name,
            "label": CHIP_LABELS.get(name, name),
            "value": value,
            "query": _without_value(params, name, value),
        }
        for name in CHIP_PARAMS
        for value in params.getlist(name)
        if value.strip()
    ]


EXPORT_LINKS = [
    ("csv", "CSV"),
    ("jsonl", "JSON Lines"),
    ("ris", "RIS"),
    ("bibtex", "BibTeX"),
    ("csl-json", "CSL-JSON"),
]


def _mark_other_copies(params: QueryDict, outcome, rows) -> None:
    """Under collapse=story, each row standing for several matching copies links to all of them."""
    copies = outcome.other_copies(list(rows))
    for row in rows:
        if copies.get(row.pk, (None, 0))[1]:
            story, row.other_copies = copies[row.pk]
            row.copies_query = with_params(
                params, drop=("collapse", "page", "cursor"), set={"story": str(story)}
            )


def search_page(request):
    """Full-text search with every filter; invalid parameters are shown, never silently dropped."""
    params = request.GET
    active = any(value.strip() for key in params if key not in PAGING for value in params.getlist(key))
    page = PageSlice((page_number(request) - 1) * PAGE_SIZE, PAGE_SIZE) if active else None
    outcome = search.run(params, page=page, counted=active, viewer=request.user)
    context = {
        "search": outcome,
        "errors": list(outcome.errors),
        "q": params.get("q", ""),
        "chips": _chips(params),
        "active": active,
    }
    if outcome.errors:
        return render(request, "archive/search.html", context, status=400)
    if not active:
        return render(request, "archive/search.html", context)
    try:
        chart = timeline_chart.timeline_context(params, outcome)
    except (timeline_chart.AnalysisError, timeline.IntervalError) as error:
        context["errors"].append(str(error))
        return render(request, "archive/search.html", context, status=400)
    page = paginate(request, outcome.ordered, count=outcome.total, ids=outcome.page_ids, ids_first=True)
    highlight.with_highlights(page.object_list, outcome.compiled)
    _mark_other_copies(params, outcome, page.object_list)
    context.update(
        page=page,
        facets=_facet_links(params, outcome.facets()),
        suggestions=_suggestion_links(params, suggest.suggestions(outcome.compiled, page.paginator.count)),
        page_query=_query(params),
        back=params.urlencode(),
        export_formats=EXPORT_LINKS,
        timeline=chart,
    )
    return render(request, "archive/search.html", context)
