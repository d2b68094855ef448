"""Sitemaps (django.contrib.sitemaps) of the public archive: published articles and the catalogue."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from archive.models import Article, Place, Source, Topic


class ArticleSitemap(Sitemap):
    """Published articles only; drafts are never listed."""

    limit = 10_000
    changefreq = "yearly"

    def items(self):
        return Article.objects.published().only("id", "slug", "updated").order_by("id")

    def lastmod(self, article: Article):
        return article.updated


class CatalogueSitemap(Sitemap):
    """Places, topics or sources: one sitemap each."""

    changefreq = "weekly"
    model = None

    def items(self):
        return self.model.objects.only("id", "slug").order_by("id")


class PlaceSitemap(CatalogueSitemap):
    model = Place

    def items(self):
        """The gazetteer down to regions; a city (34,000 of them) once an article is tagged with it."""
        tagged = Article.places.through.objects.filter(
            place_id=OuterRef("pk"), article__status=Article.Status.PUBLISHED
        )
        return super().items().filter(~Q(kind=Place.Kind.CITY) | Exists(tagged))


class TopicSitemap(CatalogueSitemap):
    model = Topic


class SourceSitemap(CatalogueSitemap):
    model = Source


class PageSitemap(Sitemap):
    """The ways in: home, search, browse and the catalogue lists."""

    changefreq = "daily"

    def items(self) -> list[str]:
        return [
            "archive:home",
            "archive:search",
            "archive:browse",
            "archive:places",
            "archive:topics",
            "archive:sources",
        ]

    def location(self, name: str) -> str:
        return reverse(name)


SITEMAPS = {
    "pages": PageSitemap,
    "articles": ArticleSitemap,
    "places": PlaceSitemap,
    "topics": TopicSitemap,
    "sources": SourceSitemap,
}
