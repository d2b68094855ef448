"""What the archive holds: per source, the span of dates, articles per month, and the months with none."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from archive.dates import ARCHIVE_DATE_RANGE
from archive.models import Article, Source
from archive.search.match_summary import effective_agency

# A run of more empty months than this is named by its first and last month (an outlier date would
# otherwise list thousands).
FOLDED_AFTER_MONTHS = 12
MONTH_NAMES = [
    pgettext_lazy("month abbreviation", "Jan"),
    pgettext_lazy("month abbreviation", "Feb"),
    pgettext_lazy("month abbreviation", "Mar"),
    pgettext_lazy("month abbreviation", "Apr"),
    pgettext_lazy("month abbreviation", "May"),
    pgettext_lazy("month abbreviation", "Jun"),
    pgettext_lazy("month abbreviation", "Jul"),
    pgettext_lazy("month abbreviation", "Aug"),
    pgettext_lazy("month abbreviation", "Sep"),
    pgettext_lazy("month abbreviation", "Oct"),
    pgettext_lazy("month abbreviation", "Nov"),
    pgettext_lazy("month abbreviation", "Dec"),
]


@dataclass
class SourceHoldings:
    source: Source | None
    per_month: dict[dt.date, int]
    total: int = 0
    first: dt.date | None = None
    last: dt.date | None = None
    gaps: list[dict] = field(default_factory=list)
    years: list[dict] = field(default_factory=list)
    agency_copies: int = 0  # its articles crediting an agency (their own, or their story's)

    @property
    def agency_percent(self) -> int:
        """The share of its articles that are agency copy, in whole per cent."""
        return round(100 * self.agency_copies / self.total) if self.total else 0

    @property
    def name(self) -> str:
        return self.source.name if self.source else _("No source recorded")


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _month_start(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


def _gap_runs(held: list[dt.date]) -> list[dict]:
    """The empty months between held ones: each month of a short run, a long run as first and last."""
    runs = []
    for before, after in zip(held, held[1:], strict=False):
        first, last = _month_index(before) + 1, _month_index(after) - 1
        if last - first + 1 > FOLDED_AFTER_MONTHS:
            runs.append(
                {"first": _month_start(first), "last": _month_start(last), "months": last - first + 1}
            )
        else:
            runs.extend({"first": _month_start(m), "last": None, "months": 1} for m in range(first, last + 1))
    return runs


def _year_row(holding: SourceHoldings, year: int, first_month: dt.date, last_month: dt.date) -> dict:
    cells = []
    for month in range(1, 13):
        start = dt.date(year, month, 1)
        inside = first_month <= start <= last_month
        count = holding.per_month.get(start, 0)
        cells.append(
            {"month": MONTH_NAMES[month - 1], "count": count, "inside": inside, "gap": inside and not count}
        )
    return {"year": year, "cells": cells, "total": sum(c["count"] for c in cells)}


def _fill(holding: SourceHoldings, first_day: dt.date, last_day: dt.date) -> SourceHoldings:
    """Totals, gaps and one row per year that holds something; a run of empty years is one row."""
    held = sorted(holding.per_month)
    holding.first, holding.last = first_day, last_day
    holding.total = sum(holding.per_month.values())
    holding.gaps = _gap_runs(held)
    held_years = sorted({month.year for month in held})
    for previous, year in zip([None, *held_years], held_years, strict=False):
        if previous is not None and year - previous > 1:
            holding.years.append({"empty_years": (previous + 1, year - 1)})
        holding.years.append(_year_row(holding, year, held[0], held[-1]))
    return holding


def source_holdings() -> list[SourceHoldings]:
    """One entry per source that holds published articles, largest first (dated within the range)."""
    published = Article.objects.published().filter(published_on__range=ARCHIVE_DATE_RANGE).order_by()
    rows = (
        published.annotate(month=TruncMonth("published_on"))
        .values("source_id", "month")
        .annotate(n=Count("id"))
    )
    per_source: dict[int | None, dict[dt.date, int]] = {}
    for row in rows:
        per_source.setdefault(row["source_id"], {})[row["month"]] = row["n"]
    spans = {
        row["source_id"]: (row["first"], row["last"], row["agency_copies"])
        for row in published.alias(credited=effective_agency())
        .values("source_id")
        .annotate(
            first=Min("published_on"),
            last=Max("published_on"),
            agency_copies=Count("id", filter=~Q(credited="")),
        )
    }
    sources = Source.objects.in_bulk([pk for pk in per_source if pk is not None])
    holdings = [
        _fill(SourceHoldings(sources.get(pk), months, agency_copies=spans[pk][2]), *spans[pk][:2])
        for pk, months in per_source.items()
    ]
    return sorted(holdings, key=lambda h: (-h.total, h.name))
