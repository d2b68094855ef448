"""Coverage over time: matches per period beside what the archive holds for the same filters.

`count` = matches of the search in the period; `total` = articles in the period matching every filter
except `q` (the share's denominator); `held` = published articles of any kind in the period (0 marks a
hole in the archive, drawn differently from a period with no matches).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, QuerySet
from django.db.models.functions import Trunc
from django.http import QueryDict

from archive.models import Article

INTERVALS = ("year", "month", "week", "day")
MAX_PERIODS = 1200  # days over ~3 years would overflow a chart; such a span is drawn by week or coarser


class IntervalError(ValueError):
    """An interval this timeline cannot draw."""


@dataclass
class Period:
    start: dt.date
    label: str
    count: int
    total: int
    held: int

    @property
    def share(self) -> float | None:
        return self.count / self.total if self.total else None

    @property
    def share_text(self) -> str:
        return "–" if self.share is None else f"{self.share:.1%}"

    def as_dict(self) -> dict:
        return {
            "period": self.label,
            "count": self.count,
            "total": self.total,
            "share": self.share,
            "held": self.held,
        }


def period_start(day: dt.date, interval: str) -> dt.date:
    if interval == "year":
        return day.replace(month=1, day=1)
    if interval == "month":
        return day.replace(day=1)
    if interval == "week":
        return day - dt.timedelta(days=day.weekday())  # ISO weeks start on Monday
    return day


def next_start(start: dt.date, interval: str) -> dt.date:
    if interval == "year":
        return start.replace(year=start.year + 1)
    if interval == "month":
        return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return start + dt.timedelta(days=7 if interval == "week" else 1)


def label(start: dt.date, interval: str) -> str:
    """1987, 1987-03, 1987-W10 (ISO week), 1987-03-02."""
    if interval == "year":
        return f"{start.year}"
    if interval == "month":
        return f"{start:%Y-%m}"
    if interval == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    return start.isoformat()


def automatic_interval(first: dt.date, last: dt.date) -> str:
    """Days up to 45 days, weeks up to 6 months, months up to 20 years, years beyond."""
    days = (last - first).days
    if days <= 45:
        return "day"
    if days <= 183:
        return "week"
    if days <= 366 * 20:
        return "month"
    return "year"


def _per_period(queryset: QuerySet, interval: str) -> dict[dt.date, int]:
    rows = (
        queryset.order_by()
        .annotate(period=Trunc("published_on", interval))
        .values("period")
        .annotate(n=Count("id"))
    )
    return {row["period"]: row["n"] for row in rows}


def span(matches: QuerySet, start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """From the `from` date (or the first match) to the `to` date (or the last match)."""
    if start and end:
        return start, end
    first, last = _first_and_last(matches)
    if first is None:
        return None
    return start or first, end or last


def _first_and_last(matches: QuerySet):
    """The first and last publication dates of the matches, from the matches computed once.

    Not ORDER BY … LIMIT 1: for a rare word the planner walks the date index testing every article
    (13 s at a million articles); a materialized set of the matches' dates costs what the search does.
    """
    if matches.query.is_empty():  # nothing searchable (e.g. q=OR): no SQL to run
        return None, None
    sql, params = matches.order_by().values("published_on").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH matched AS MATERIALIZED ({sql}) SELECT min(published_on), max(published_on) FROM matched",
            params,
        )
        return cursor.fetchone()


def timeline(
    matches: QuerySet, unfiltered_by_words: QuerySet, *, bounds: tuple[dt.date, dt.date] | None, interval: str
) -> list[Period]:
    """Contiguous periods over the bounds, zeros included; the counts add up to the matches' total."""
    if bounds is None:
        return []
    first, last = bounds
    if interval not in INTERVALS:
        raise IntervalError(f"interval must be one of: {', '.join(INTERVALS)}")
    starts = _starts(first, last, interval)
    counts = _per_period(matches, interval)
    totals = _per_period(unfiltered_by_words, interval)
    held = _per_period(Article.objects.published().filter(published_on__range=bounds), interval)
    return [Period(s, label(s, interval), counts.get(s, 0), totals.get(s, 0), held.get(s, 0)) for s in starts]


def _starts(first: dt.date, last: dt.date, interval: str) -> list[dt.date]:
    starts, current = [], period_start(first, interval)
    while current <= last:
        starts.append(current)
        if len(starts) > MAX_PERIODS:
            raise IntervalError(
                f"{interval} would give more than {MAX_PERIODS:,} periods for this span; choose a longer one"
            )
        current = next_start(current, interval)
    return starts


def without_words(params) -> QueryDict:
    """The same search with `q` (and its switches) removed: the share's denominator."""
    copy = params.copy()
    for name in ("q", "exact", "sort", "page", "cursor"):
        copy.pop(name, None)
    return copy


def requested_interval(params) -> str:
    """The `interval` parameter ("" when absent); IntervalError for one this timeline cannot draw."""
    requested = params.get("interval", "")
    if requested and requested not in INTERVALS:
        raise IntervalError(f"interval must be one of: {', '.join(INTERVALS)}")
    return requested


def search_timeline(params, outcome) -> tuple[str, list[Period]]:
    """(interval, periods) of a valid search; IntervalError on a bad `interval`."""
    from archive.search_selectors import article_search

    cleaned = outcome.filterset.form.cleaned_data
    bounds = span(outcome.matches, cleaned.get("from"), cleaned.get("to"))
    requested = requested_interval(params)
    if bounds is None:
        return requested or "month", []
    interval = requested or automatic_interval(*bounds)
    base = article_search(params=without_words(params)).matches
    return interval, timeline(outcome.matches, base, bounds=bounds, interval=interval)
