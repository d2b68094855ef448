"""Coverage over time: matches per period beside what the archive holds for the same filters.

`count` = matches of the search in the period; `total` = articles in the period matching every filter
except `q` (the share's denominator); `held` = published articles of any kind in the period (0 marks a
hole in the archive, drawn differently from a period with no matches).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.formats import get_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from archive.dates import ARCHIVE_FIRST_DATE, ARCHIVE_LAST_DATE, clamped
from archive.search import match_summary

INTERVALS = ("decade", "year", "month", "week", "day")
# How a sentence names each interval ("per month"); the parameter's values stay as they are.
INTERVAL_NAMES = {
    "decade": gettext_lazy("decade"),
    "year": gettext_lazy("year"),
    "month": gettext_lazy("month"),
    "week": gettext_lazy("week"),
    "day": gettext_lazy("day"),
}
MAX_PERIODS = 1200  # days over ~3 years would overflow a chart; such a span is drawn by week or coarser


class IntervalError(ValueError):
    """An interval this timeline cannot draw."""


def percent_format() -> Callable[[float], str]:
    """How a share is written in the active language, 66.7% (English) or 66,7 % (French), looked up
    once for the hundreds of shares of a chart."""
    decimal, pattern = get_format("DECIMAL_SEPARATOR"), _("%(percent)s%%")
    # f"{share:.1%}" is f"{share * 100:.1f}%": rounded, where number_format would cut the digits off.
    return lambda share: pattern % {"percent": f"{share * 100:.1f}".replace(".", decimal)}


def percent_text(share: float) -> str:
    return percent_format()(share)


def whole_number_format() -> Callable[[int], str]:
    """number_format(n, force_grouping=True) for whole numbers, with the active language's format
    looked up once: a chart's table formats thousands of them, and number_format costs ~6 µs each."""
    separator, grouping = get_format("THOUSAND_SEPARATOR"), get_format("NUMBER_GROUPING")
    if grouping == 3:
        return lambda n: f"{n:,}".replace(",", separator)
    return lambda n: number_format(n, force_grouping=True)


def _interval_error() -> IntervalError:
    return IntervalError(_("interval must be one of: %(choices)s") % {"choices": ", ".join(INTERVALS)})


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
        return "–" if self.share is None else percent_text(self.share)

    def as_dict(self) -> dict:
        return {
            "period": self.label,
            "count": self.count,
            "total": self.total,
            "share": self.share,
            "held": self.held,
        }


def decade_start(year: int) -> dt.date:
    """The first day of the decade of `year` (the 0s begin on 0001-01-01: there is no year 0)."""
    return dt.date(max(year // 10 * 10, 1), 1, 1)


def period_start(day: dt.date, interval: str) -> dt.date:
    if interval == "decade":
        return decade_start(day.year)
    if interval == "year":
        return day.replace(month=1, day=1)
    if interval == "month":
        return day.replace(day=1)
    if interval == "week":
        return day - dt.timedelta(days=day.weekday())  # ISO weeks start on Monday
    return day


def next_start(start: dt.date, interval: str) -> dt.date:
    """The first day of the following period (inside the archive's range, every interval has one)."""
    if interval == "decade":
        year = start.year // 10 * 10 + 10
        return decade_start(year) if year <= dt.MAXYEAR else dt.date.max  # the 9990s are the last
    if interval == "year":
        return start.replace(year=start.year + 1)
    if interval == "month":
        return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return start + dt.timedelta(days=7 if interval == "week" else 1)


def label(start: dt.date, interval: str) -> str:
    """1980s, 1987, 1987-03, 1987-W10 (ISO week), 1987-03-02."""
    if interval == "decade":
        return f"{start.year // 10 * 10:04d}s"
    if interval == "year":
        return f"{start.year}"
    if interval == "month":
        return f"{start:%Y-%m}"
    if interval == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    return start.isoformat()


def automatic_interval(first: dt.date, last: dt.date) -> str:
    """Days up to 45 days, weeks up to 6 months, months up to 20 years, years up to MAX_PERIODS years,
    decades beyond (the archive's whole range is 1,000 decades): the default never refuses a span."""
    days = (last - first).days
    if days <= 45:
        return "day"
    if days <= 183:
        return "week"
    if days <= 366 * 20:
        return "month"
    if last.year - first.year < MAX_PERIODS:
        return "year"
    return "decade"


# Per interval, a cheap key of a day and the period start it stands for (see per_period).
CHEAP_KEYS = {
    "decade": (lambda day: day.year // 10, lambda key: decade_start(key * 10)),
    "year": (lambda day: day.year, lambda key: dt.date(key, 1, 1)),
    "month": (lambda day: day.year * 12 + day.month - 1, lambda key: dt.date(key // 12, key % 12 + 1, 1)),
}


def per_period(days: dict[dt.date, int], interval: str) -> dict[dt.date, int]:
    """Counts per day summed per period, keyed by the period's first day.

    Thousands of days per search page: summed on a cheap key (the decade, year, or year and month)
    first, and only the few periods turned into dates.
    """
    if interval == "day":
        return dict(days)
    if interval not in CHEAP_KEYS:
        periods: dict[dt.date, int] = {}
        for day, n in days.items():
            start = period_start(day, interval)
            periods[start] = periods.get(start, 0) + n
        return periods
    key_of, start_of = CHEAP_KEYS[interval]
    sums: dict[int, int] = {}
    for day, n in days.items():
        key = key_of(day)
        sums[key] = sums.get(key, 0) + n
    return {start_of(key): n for key, n in sums.items()}


def span(days: dict[dt.date, int], start: dt.date | None, end: dt.date | None):
    """From the `from` date (or the first match) to the `to` date (or the last match); None: no match.

    A match dated outside the archive's range (an old import's typo) stretches it to the range's end
    at most: every period computed from the bounds stays a valid date.
    """
    if start and end:
        return start, end
    if not days:
        return None
    return clamped(start or min(days)), clamped(end or max(days))


def timeline(
    days: dict[dt.date, int],
    totals: dict[dt.date, int],
    *,
    bounds: tuple[dt.date, dt.date] | None,
    interval: str,
) -> list[Period]:
    """Contiguous periods over the bounds, zeros included; the counts add up to the matches' total.

    `days` are the matches per day, `totals` the articles per day under the same filters without `q`.
    """
    if bounds is None:
        return []
    first, last = bounds
    if interval not in INTERVALS:
        raise _interval_error()
    starts = _starts(first, last, interval)
    same = totals is days
    days = _inside_range(days)
    totals = days if same else _inside_range(totals)
    counts = per_period(days, interval)
    total = counts if same else per_period(totals, interval)  # without q, the same days
    held = match_summary.held_per_day(first, last, interval=interval)
    return [Period(s, label(s, interval), counts.get(s, 0), total.get(s, 0), held.get(s, 0)) for s in starts]


def _inside_range(days: dict[dt.date, int]) -> dict[dt.date, int]:
    """Days outside the archive's range (an old import's typo) counted on its nearer end, so that
    the periods' counts still add up to the total."""
    if not days or (ARCHIVE_FIRST_DATE <= min(days) and max(days) <= ARCHIVE_LAST_DATE):
        return days
    inside: dict[dt.date, int] = {}
    for day, n in days.items():
        inside[clamped(day)] = inside.get(clamped(day), 0) + n
    return inside


def _starts(first: dt.date, last: dt.date, interval: str) -> list[dt.date]:
    starts, current = [], period_start(first, interval)
    while current <= last:
        starts.append(current)
        if len(starts) > MAX_PERIODS:
            raise IntervalError(
                _("%(interval)s would give more than %(count)s periods for this span; choose a longer one")
                % {"interval": interval, "count": number_format(MAX_PERIODS, force_grouping=True)}
            )
        current = next_start(current, interval)
    return starts


def requested_interval(params) -> str:
    """The `interval` parameter ("" when absent); IntervalError for one this timeline cannot draw."""
    requested = params.get("interval", "")
    if requested and requested not in INTERVALS:
        raise _interval_error()
    return requested
