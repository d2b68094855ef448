"""What the archive holds: per source, the span of dates, articles per month, and the months with none."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min
from django.db.models.functions import TruncMonth

from archive.models import Article, Source

MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass
class SourceHoldings:
    source: Source | None
    per_month: dict[dt.date, int]
    total: int = 0
    first: dt.date | None = None
    last: dt.date | None = None
    gaps: list[dt.date] = field(default_factory=list)
    years: list[dict] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.source.name if self.source else "No source recorded"


def _months(first: dt.date, last: dt.date):
    current = first
    while current <= last:
        yield current
        current = (current.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _fill(holding: SourceHoldings, first_day: dt.date, last_day: dt.date) -> SourceHoldings:
    first_month, last_month = min(holding.per_month), max(holding.per_month)
    holding.first, holding.last = first_day, last_day
    holding.total = sum(holding.per_month.values())
    holding.gaps = [m for m in _months(first_month, last_month) if m not in holding.per_month]
    for year in range(first_month.year, last_month.year + 1):
        cells = []
        for month in range(1, 13):
            start = dt.date(year, month, 1)
            inside = first_month <= start <= last_month
            count = holding.per_month.get(start, 0)
            cells.append(
                {
                    "month": MONTH_NAMES[month - 1],
                    "count": count,
                    "inside": inside,
                    "gap": inside and not count,
                }
            )
        holding.years.append({"year": year, "cells": cells, "total": sum(c["count"] for c in cells)})
    return holding


def source_holdings() -> list[SourceHoldings]:
    """One entry per source that holds published articles, largest first."""
    published = Article.objects.published().order_by()
    rows = (
        published.annotate(month=TruncMonth("published_on"))
        .values("source_id", "month")
        .annotate(n=Count("id"))
    )
    per_source: dict[int | None, dict[dt.date, int]] = {}
    for row in rows:
        per_source.setdefault(row["source_id"], {})[row["month"]] = row["n"]
    spans = {
        row["source_id"]: (row["first"], row["last"])
        for row in published.values("source_id").annotate(first=Min("published_on"), last=Max("published_on"))
    }
    sources = Source.objects.in_bulk([pk for pk in per_source if pk is not None])
    holdings = [
        _fill(SourceHoldings(sources.get(pk), months), *spans[pk]) for pk, months in per_source.items()
    ]
    return sorted(holdings, key=lambda h: (-h.total, h.name))
