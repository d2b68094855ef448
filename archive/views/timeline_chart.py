"""The coverage chart of a search (the search page draws it; the analysis pages share its switches)."""

from __future__ import annotations

from archive.analysis import charts
from archive.search import baseline, timeline
from archive.views.querystrings import with_params

MEASURES = {"count": "counts", "share": "shares"}


class AnalysisError(ValueError):
    """A chart parameter (interval, measure) that cannot be honoured."""


def measure_of(params) -> str:
    measure = params.get("measure", "") or "count"
    if measure not in MEASURES:
        raise AnalysisError(f"measure must be one of: {', '.join(MEASURES)}")
    return measure


def switched(params, name: str, value: str) -> str:
    return with_params(params, drop=("page", "cursor"), set={name: value})


def timeline_context(params, outcome) -> dict | None:
    """What the search page's chart needs; AnalysisError/IntervalError on bad chart parameters."""
    measure = measure_of(params)
    interval, periods = baseline.search_timeline(params, outcome)
    if not periods:
        return None
    what = f"“{params.get('q')}”" if params.get("q") else "articles"
    unit = "share of the articles with the same filters" if measure == "share" else "number of matches"
    peak = max(periods, key=lambda p: charts.value_of(p, measure))
    gaps = sum(1 for p in periods if not p.held)
    return {
        "periods": periods,
        "chart": charts.bar_chart(periods, measure),
        "rows": charts.table_rows(periods),
        "title": f"{what}: {unit} per {interval}, {periods[0].label} to {periods[-1].label}",
        "description": (
            f"{len(periods)} periods; highest in {peak.label} "
            f"({charts.format_value(charts.value_of(peak, measure), measure)})"
            + (f"; the archive holds nothing for {gaps} of them" if gaps else "")
            + ". The table below gives every value."
        ),
        "intervals": [
            {"name": name, "current": name == interval, "query": switched(params, "interval", name)}
            for name in timeline.INTERVALS
        ],
        "measures": [
            {"label": label, "current": name == measure, "query": switched(params, "measure", name)}
            for name, label in MEASURES.items()
        ],
        "api_query": switched(params, "interval", interval),
    }
