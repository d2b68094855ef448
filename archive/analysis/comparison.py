"""Compare 2–4 queries under the same filters, on one time axis."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import ngettext

from archive import search
from archive.search import baseline, timeline

MIN_QUERIES, MAX_QUERIES = 2, 4


class ComparisonError(ValueError):
    """Not a comparison this page can draw; the message says why."""


@dataclass
class Series:
    query: str
    total: int
    periods: list[timeline.Period]


def queries_of(params) -> list[str]:
    return [q.strip() for q in params.getlist("q") if q.strip()]


def compare(params, *, viewer=None) -> tuple[str, list[Series]]:
    """(interval, one series per query); ComparisonError for a wrong number of queries or bad filters.
    `viewer`: who compares (search.run)."""
    queries = queries_of(params)
    if not MIN_QUERIES <= len(queries) <= MAX_QUERIES:
        raise ComparisonError(
            ngettext(
                "compare %(min)s to %(max)s queries (q=…&q=…); %(count)s given",
                "compare %(min)s to %(max)s queries (q=…&q=…); %(count)s given",
                len(queries),
            )
            % {"min": MIN_QUERIES, "max": MAX_QUERIES, "count": len(queries)}
        )
    outcomes = []
    for query in queries:
        single = params.copy()
        single.setlist("q", [query])
        outcome = search.run(single, viewer=viewer)
        if outcome.errors:
            raise ComparisonError("; ".join(outcome.errors))
        outcomes.append((query, outcome))
    cleaned = outcomes[0][1].cleaned
    bounds = _common_bounds([o for _, o in outcomes], cleaned.get("from"), cleaned.get("to"))
    requested = timeline.requested_interval(params)
    interval = requested or (timeline.automatic_interval(*bounds) if bounds else "month")
    totals = baseline.totals_per_day(params, cleaned, {}, interval, viewer=viewer)  # every query has words
    series = [
        Series(
            query,
            outcome.summary.count,
            timeline.timeline(outcome.summary.days, totals, bounds=bounds, interval=interval),
        )
        for query, outcome in outcomes
    ]
    return interval, series


def _common_bounds(outcomes, start, end):
    spans = [timeline.span(o.summary.days, start, end) for o in outcomes]
    spans = [s for s in spans if s]
    if not spans:
        return None
    return min(s[0] for s in spans), max(s[1] for s in spans)
