"""The share's denominator: the articles a search's filters select without its words, per period.

A search's timeline divides its matches by this baseline; it is the search run again without `q`,
read from the counts the archive keeps whenever they can answer it.
"""

from __future__ import annotations

import datetime as dt

from django.http import QueryDict

from archive.search import browse_counts, match_summary, timeline
from archive.search.params import FILTERS, filters_where
from archive.search.result import SearchResult, run


def without_words(params) -> QueryDict:
    """The same search with `q` (and its switches) removed: the share's denominator."""
    copy = params.copy()
    for name in (*filters_where(baseline=False), "sort", "page", "cursor"):
        copy.pop(name, None)
    return copy


# Filters that narrow the baseline beyond its dates (the words, their switch and the order do not;
# collapse changes what is counted, not which articles; tagged, which tags count, not which articles).
FILTERS_BESIDE_DATES = tuple(
    spec.name
    for spec in FILTERS
    if spec.baseline and spec.browse not in ("dates", "ignore") and spec.name not in ("collapse", "tagged")
)


def totals_per_day(
    params, cleaned: dict, days: dict[dt.date, int], interval: str = "day", viewer=None
) -> dict[dt.date, int]:
    """Articles per day (or per period) under the search's filters without `q`: the share's denominator.

    Without `q` that is the matches themselves; with dates as the only filters, the day counts the
    archive keeps; with one place, topic or source, the fresh browse counts; otherwise one count of
    the filtered articles. Under collapse=story, stories: each on its first day.
    """
    if not params.get("q", "").strip():
        return days
    collapsed = cleaned.get("collapse") == "story"
    if not any(cleaned.get(name) for name in FILTERS_BESIDE_DATES):
        first, last = cleaned.get("from"), cleaned.get("to")
        return match_summary.held_per_day(first, last, interval=interval, collapsed=collapsed)
    filtered = run(without_words(params), counted=False, viewer=viewer)
    if collapsed:
        browsed = browse_counts.story_days_for(filtered.cleaned)
        return browsed if browsed is not None else match_summary.story_day_counts(filtered.every_copy)
    browsing = browse_counts.summary_for(filtered.cleaned)
    return browsing.days if browsing is not None else match_summary.day_counts(filtered.matches)


def search_timeline(params, outcome: SearchResult) -> tuple[str, list[timeline.Period]]:
    """(interval, periods) of a valid search; IntervalError on a bad `interval`."""
    cleaned = outcome.cleaned
    days = outcome.summary.days
    bounds = timeline.span(days, cleaned.get("from"), cleaned.get("to"))
    requested = timeline.requested_interval(params)
    if bounds is None:
        return requested or "month", []
    interval = requested or timeline.automatic_interval(*bounds)
    totals = totals_per_day(params, cleaned, days, interval, viewer=outcome.viewer)
    return interval, timeline.timeline(days, totals, bounds=bounds, interval=interval)
