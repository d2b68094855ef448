"""Browse by date: years, months, a calendar of days, and the articles of one day."""

import calendar
import datetime as dt

from django.http import Http404
from django.shortcuts import render
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _

from archive import selectors
from archive.dates import ARCHIVE_FIRST_DATE, ARCHIVE_LAST_DATE
from archive.views.paging import paginate

# The years /browse/ lists: the archive's range (date(9999, 12, 31) + 1 day would overflow).
MIN_YEAR, MAX_YEAR = ARCHIVE_FIRST_DATE.year, ARCHIVE_LAST_DATE.year


def _valid_date(year: int, month: int = 1, day: int = 1) -> dt.date:
    """The date, or a 404 for an impossible or out-of-range one (no 500 on /browse/1987/02/30/)."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404(_("Year out of range."))
    try:
        return dt.date(year, month, day)
    except ValueError as error:
        raise Http404(_("No such date.")) from error


def _nearest(start: dt.date, end: dt.date) -> dict:
    """Context for an empty period: the nearest dates that have articles."""
    before, after = selectors.nearest_dates(start, end)
    return {"nearest_before": before, "nearest_after": after}


def years(request):
    """Years with counts."""
    return render(request, "archive/browse_years.html", {"years": selectors.year_counts()})


def year(request, year: int):
    """The twelve months of a year with counts; months without articles are shown as gaps."""
    start = _valid_date(year)
    counts = selectors.month_counts(year)
    months = [{"date": dt.date(year, m, 1), "count": counts.get(m, 0)} for m in range(1, 13)]
    context = {"year": year, "start": start, "months": months, "total": sum(counts.values())}
    if not context["total"]:
        context.update(_nearest(start, dt.date(year, 12, 31)))
    return render(request, "archive/browse_year.html", context)


def month(request, year: int, month: int):
    """A calendar of the month's days with counts."""
    start = _valid_date(year, month)
    end = dt.date(year, month, calendar.monthrange(year, month)[1])
    counts = selectors.day_counts(year, month)
    weeks = [
        [
            {
                "date": d,
                "in_month": d.month == month,
                "count": counts.get(d.day, 0) if d.month == month else 0,
            }
            for d in week
        ]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]
    context = {
        "start": start,
        "weeks": weeks,
        "total": sum(counts.values()),
        "weekdays": [WEEKDAYS_ABBR[day] for day in range(7)],  # Monday first, in the active language
    }
    if not context["total"]:
        context.update(_nearest(start, end))
    return render(request, "archive/browse_month.html", context)


def day(request, year: int, month: int, day: int):
    """The articles published on one day."""
    date = _valid_date(year, month, day)
    page = paginate(request, selectors.public_articles().on_date(date).newest_first())
    context = {"date": date, "page": page}
    if not page.paginator.count:
        context.update(_nearest(date, date))
    return render(request, "archive/browse_day.html", context)
