"""Analysis pages: coverage over time (search page and JSON), comparison, keyword in context, holdings."""

from __future__ import annotations

import itertools

from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import pgettext_lazy

from archive import search
from archive.analysis import charts, comparison, holdings
from archive.analysis import kwic as kwic_lines
from archive.csv_cells import SafeCsvWriter, csv_text
from archive.replicas import one_snapshot
from archive.search import baseline, timeline
from archive.views.paging import paginate
from archive.views.querystrings import with_params
from archive.views.sites import site_of
from archive.views.timeline_chart import MEASURES, AnalysisError, interval_options, measure_of, switched

# The words shown for the KWIC orders (`sort` keeps its values: date, left, right).
KWIC_SORT_LABELS = {
    "date": pgettext_lazy("order of the lines", "date"),
    "left": pgettext_lazy("order of the lines", "left"),
    "right": pgettext_lazy("order of the lines", "right"),
}


def timeline_api(request):
    """/api/timeline/?<search parameters>&interval=…: contiguous periods, zeros included."""
    outcome = search.run(request.GET, viewer=request.user)
    if outcome.errors:
        return JsonResponse({"error": "; ".join(outcome.errors)}, status=400)
    try:
        _, periods = baseline.search_timeline(request.GET, outcome)
    except timeline.IntervalError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse([p.as_dict() for p in periods], safe=False)


def coverage(request):
    """/coverage/: the archive's holdings per source, gaps marked."""
    return render(request, "archive/coverage.html", {"holdings": holdings.source_holdings()})


def compare(request):
    """/compare/?q=…&q=…: 2–4 queries with the shared filters, in counts or shares; &format=csv."""
    params = request.GET
    context = {
        "queries": comparison.queries_of(params),
        "slots": range(comparison.MAX_QUERIES),
        "params": params,
    }
    if not context["queries"] and "q" not in params:
        return render(request, "archive/compare.html", context)
    try:
        measure = measure_of(params)
        interval, series = comparison.compare(params, viewer=request.user)
    except (comparison.ComparisonError, timeline.IntervalError, AnalysisError) as error:
        context["error"] = str(error)
        return render(request, "archive/compare.html", context, status=400)
    if params.get("format") == "csv":
        return _comparison_csv(series)
    periods = series[0].periods if series else []
    context.update(
        series=series,
        interval=interval,
        interval_label=timeline.INTERVAL_NAMES[interval],
        measure=measure,
        chart=charts.line_chart([(s.query, s.periods) for s in series], measure) if periods else None,
        rows=[{"period": p, "cells": [s.periods[i] for s in series]} for i, p in enumerate(periods)],
        intervals=interval_options(params, interval),
        measures=[
            {"label": label, "current": name == measure, "query": switched(params, "measure", name)}
            for name, label in MEASURES.items()
        ],
        csv_query=switched(params, "format", "csv"),
    )
    return render(request, "archive/compare.html", context)


def _comparison_csv(series) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="comparison.csv"'
    writer = SafeCsvWriter(response)
    writer.writerow(["period", "query", "count", "total", "share"])
    for item in series:
        for period in item.periods:
            writer.writerow(
                [
                    period.label,
                    item.query,
                    period.count,
                    period.total,
                    "" if period.share is None else f"{period.share:.6f}",
                ]
            )
    return response


KWIC_PAGE_SIZE = 50
KWIC_BROWSER_ARTICLES = 2000  # beyond this the page asks to narrow the search; the CSV has no limit
KWIC_BROWSER_LINES = 20_000  # the page sorts its lines in memory: beyond this it offers the CSV


def _page_lines(outcome, pats, width: int) -> list:
    """The lines for the page, KWIC_BROWSER_LINES + 1 at most (one more says there are too many)."""
    every = (line for batch in kwic_lines.all_lines(outcome.matches, pats, width) for line in batch)
    return list(itertools.islice(every, KWIC_BROWSER_LINES + 1))


def kwic(request):
    """/kwic/?q=…: every occurrence of the query's terms, in context; paged here, complete as CSV."""
    params = request.GET
    search_params = params.copy()
    search_params.pop("sort", None)  # here `sort` orders the lines (date|left|right), not the articles
    outcome = search.run(search_params, counted=False, viewer=request.user)
    context = {"search": outcome, "errors": list(outcome.errors), "q": params.get("q", ""), "params": params}
    if outcome.errors:
        return render(request, "archive/kwic.html", context, status=400)
    try:
        width, sort = kwic_lines.width_and_sort(params)
    except kwic_lines.KwicError as error:
        context["errors"].append(str(error))
        return render(request, "archive/kwic.html", context, status=400)
    context.update(width=width, sort=sort, max_width=kwic_lines.MAX_WIDTH)
    if not context["q"].strip():
        return render(request, "archive/kwic.html", context)
    exact = bool(outcome.cleaned.get("exact"))
    languages = outcome.compiled.languages if outcome.compiled else ["en"]
    pats = kwic_lines.patterns(context["q"], exact_mode=exact, languages=languages)
    if params.get("format") == "csv":
        return _kwic_csv(request, outcome, pats, width, sort)
    return _kwic_page(request, context, outcome, pats, width)


def _kwic_page(request, context: dict, outcome, pats, width: int):
    """The page of lines, or the reason there is none (too many articles or lines: the CSV has them)."""
    params, sort = request.GET, context["sort"]
    articles = outcome.matches.count()
    context.update(
        article_count=articles, csv_query=switched(params, "format", "csv"), link_query=_hit_query(params)
    )
    if articles > KWIC_BROWSER_ARTICLES:
        context["too_many"] = KWIC_BROWSER_ARTICLES
        return render(request, "archive/kwic.html", context)
    lines = _page_lines(outcome, pats, width)
    if len(lines) > KWIC_BROWSER_LINES:
        context["too_many_lines"] = KWIC_BROWSER_LINES
        return render(request, "archive/kwic.html", context)
    lines.sort(key=kwic_lines.sort_key(sort))
    context.update(page_query=with_params(params, drop=("page",)))
    context.update(
        page=paginate(request, lines, per_page=KWIC_PAGE_SIZE),
        line_count=len(lines),
        sorts=[
            {
                "name": name,
                "label": KWIC_SORT_LABELS[name],
                "current": name == sort,
                "query": switched(params, "sort", name),
            }
            for name in kwic_lines.SORTS
        ],
    )
    return render(request, "archive/kwic.html", context)


def _hit_query(params) -> str:
    return with_params(params, only=("q", "exact"))


KWIC_CSV_HEADER = ["article_id", "date", "left", "hit", "right", "url"]


def _kwic_csv(request, outcome, pats, width: int, sort: str) -> StreamingHttpResponse:
    site, link_query = site_of(request), _hit_query(request.GET)
    batches = kwic_lines.all_lines(outcome.matches, pats, width)

    def encode(line: kwic_lines.Line) -> str:
        return csv_text([line.as_row(site, link_query)])

    def rows():
        yield csv_text([KWIC_CSV_HEADER])  # at once: the answer starts before any sorting
        if sort == "date":
            for batch in batches:
                yield "".join(encode(line) for line in sorted(batch, key=kwic_lines.sort_key(sort)))
        else:
            for lines in kwic_lines.sorted_by_context(batches, sort, encode):
                yield "".join(lines)

    response = StreamingHttpResponse(one_snapshot(rows()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="keyword-in-context.csv"'
    return response
