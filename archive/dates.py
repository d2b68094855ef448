"""The archive's date range: every article is dated within it, and every period computed stays inside it.

Python's dates end on 9999-12-31, so the last year is 9998: a period of 9998 always has a next start
to compare with. Checked on import and in the admin (`article_date_problem`), with a warning for dates
that are possible but unlikely (`article_date_warning`).
"""

from __future__ import annotations

import datetime as dt

ARCHIVE_FIRST_DATE = dt.date(1, 1, 1)
ARCHIVE_LAST_DATE = dt.date(9998, 12, 31)
EARLIEST_PLAUSIBLE_YEAR = 1600  # before printed newspapers: most likely a typo (0198 for 1987)
PLAUSIBLE_DAYS_AHEAD = 365
# For `published_on__range`: lists of periods leave out an article dated outside the range (an old
# import's typo) rather than link to a period that cannot be shown.
ARCHIVE_DATE_RANGE = (ARCHIVE_FIRST_DATE, ARCHIVE_LAST_DATE)


def within_range(day: dt.date) -> bool:
    """Whether an article may be dated `day`."""
    return ARCHIVE_FIRST_DATE <= day <= ARCHIVE_LAST_DATE


def clamped(day: dt.date) -> dt.date:
    """`day`, or the nearer end of the archive's range when it lies outside it."""
    return min(max(day, ARCHIVE_FIRST_DATE), ARCHIVE_LAST_DATE)


def article_date_problem(day: dt.date) -> str | None:
    """Why an article cannot be dated `day`, or None when it can."""
    if within_range(day):
        return None
    return (
        f"{day.isoformat()} is outside the archive's dates: "
        f"articles are dated from {ARCHIVE_FIRST_DATE.isoformat()} to {ARCHIVE_LAST_DATE.isoformat()}."
    )


def article_date_warning(day: dt.date, today: dt.date) -> str | None:
    """A reason to double-check a possible but unlikely date (None when plausible or impossible)."""
    if not within_range(day):
        return None
    if day.year < EARLIEST_PLAUSIBLE_YEAR:
        return f"{day.isoformat()} is before {EARLIEST_PLAUSIBLE_YEAR}: is the year right?"
    if (day - today).days > PLAUSIBLE_DAYS_AHEAD:
        return f"{day.isoformat()} is more than a year in the future: is the year right?"
    return None
