"""The coverage chart of a search (the search page draws it; the analysis pages share its switches)."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from archive.analysis import charts
from archive.search import baseline, timeline
from archive.views.querystrings import with_params

MEASURES = {"count": gettext_lazy("counts"), "share": gettext_lazy("shares")}


class AnalysisError(ValueError):
    """A chart parameter (interval, measure) that cannot be honoured."""


def measure_of(params) -> str:
    measure = params.get("measure", "") or "count"
    if measure not in MEASURES:
        raise AnalysisError(_("measure must be one of: %(choices)s") % {"choices": ", ".join(MEASURES)})
    return measure


def switched(params, name: str, value: str) -> str:
    return with_params(params, drop=("page", "cursor"), set={name: value})


def interval_options(params, interval: str) -> list[dict]:
    """The interval switches: `name` is the parameter's value, `label` the word shown for it."""
    return [
        {
            "name": name,
            "label": timeline.INTERVAL_NAMES[name],
            "current": name == interval,
            "query": switched(params, "interval", name),
        }
        for name in timeline.INTERVALS
    ]


def _description(periods, peak, measure: str, gaps: int) -> str:
    """The chart's text alternative: how many periods, the highest, the holes, where the values are."""
    values = {
        "periods": ngettext("%(count)s period", "%(count)s periods", len(periods))
        % {"count": number_format(len(periods), force_grouping=True)},
        "peak": peak.label,
        "value": charts.format_value(charts.value_of(peak, measure), measure),
        "gaps": number_format(gaps, force_grouping=True),
    }
    if gaps:
        return (
            _(
                "%(periods)s; highest in %(peak)s (%(value)s); the archive holds nothing for %(gaps)s "
                "of them. The table below gives every value."
            )
            % values
        )
    return _("%(periods)s; highest in %(peak)s (%(value)s). The table below gives every value.") % values


def timeline_context(params, outcome) -> dict | None:
    """What the search page's chart needs; AnalysisError/IntervalError on bad chart parameters."""
    measure = measure_of(params)
    interval, periods = baseline.search_timeline(params, outcome)
    if not periods:
        return None
    what = _("“%(query)s”") % {"query": params.get("q")} if params.get("q") else _("articles")
    unit = _("share of the articles with the same filters") if measure == "share" else _("number of matches")
    peak = max(periods, key=lambda p: charts.value_of(p, measure))
    gaps = sum(1 for p in periods if not p.held)
    return {
        "periods": periods,
        "chart": charts.bar_chart(periods, measure),
        "rows": charts.table_rows(periods),
        "title": _("%(what)s: %(unit)s per %(interval)s, %(first)s to %(last)s")
        % {
            "what": what,
            "unit": unit,
            "interval": timeline.INTERVAL_NAMES[interval],
            "first": periods[0].label,
            "last": periods[-1].label,
        },
        "description": _description(periods, peak, measure, gaps),
        "intervals": interval_options(params, interval),
        "measures": [
            {"label": label, "current": name == measure, "query": switched(params, "measure", name)}
            for name, label in MEASURES.items()
        ],
        "api_query": switched(params, "interval", interval),
    }
