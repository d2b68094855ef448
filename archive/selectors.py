"""Read-side functions: what the public pages show."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Max, Min, Q, QuerySet
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.http import QueryDict

from archive import search
from archive.dates import ARCHIVE_DATE_RANGE
from archive.models import Article, Source


def public_articles() -> QuerySet[Article]:
    """The starting point of every public list."""
    return Article.objects.published().for_listing()


def article_for_viewer(*, pk: int, user) -> Article | None:
    """An article as the viewer may see it: staff with view rights also see drafts."""
    queryset = Article.objects.select_related("source").prefetch_related("places", "topics")
    if not (user.is_active and user.is_staff and user.has_perm("archive.view_article")):
        queryset = queryset.published()
    return queryset.filter(pk=pk).first()


def article_search(*, text: str) -> QuerySet[Article]:
    """Published articles matching `text` in the query language, most relevant first."""
    params = QueryDict(mutable=True)
    params["q"] = text
    return search.run(params, counted=False).ordered


def year_counts() -> list[dict]:
    """Years with published articles, and how many each (the years of the archive's range only)."""
    return list(
        Article.objects.published()
        .filter(published_on__range=ARCHIVE_DATE_RANGE)
        .annotate(year=ExtractYear("published_on"))
        .values("year")
        .annotate(count=Count("id"))
        .order_by("year")
    )


def month_counts(year: int) -> dict[int, int]:
    """Articles per month of one year (months without any are absent)."""
    rows = (
        Article.objects.published()
        .filter(published_on__year=year)
        .annotate(month=ExtractMonth("published_on"))
        .values("month")
        .annotate(count=Count("id"))
    )
    return {row["month"]: row["count"] for row in rows}


def day_counts(year: int, month: int) -> dict[int, int]:
    """Articles per day of one month (days without any are absent)."""
    rows = (
        Article.objects.published()
        .filter(published_on__year=year, published_on__month=month)
        .annotate(day=ExtractDay("published_on"))
        .values("day")
        .annotate(count=Count("id"))
    )
    return {row["day"]: row["count"] for row in rows}


def nearest_dates(start: dt.date, end: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """The latest publication date before `start` and the earliest after `end`, inside the archive's range."""
    published = Article.objects.published().filter(published_on__range=ARCHIVE_DATE_RANGE)
    before = published.filter(published_on__lt=start).aggregate(d=Max("published_on"))["d"]
    after = published.filter(published_on__gt=end).aggregate(d=Min("published_on"))["d"]
    return before, after


def sources_with_spans() -> QuerySet[Source]:
    """Sources with their published article count and first and last dates."""
    published = Q(articles__status=Article.Status.PUBLISHED)
    return Source.objects.annotate(
        article_count=Count("articles", filter=published),
        first_date=Min("articles__published_on", filter=published),
        last_date=Max("articles__published_on", filter=published),
    ).order_by("name")
