"""Public pages of the archive."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, register_converter

from archive.sitemaps import SITEMAPS
from archive.views import (
    analysis,
    api,
    browse,
    catalogue,
    citing,
    export,
    feeds,
    maps,
    pages,
    search,
    stories,
)


class FixedDigits:
    """A zero-padded number of a fixed width (2022, 07, 22)."""

    width = 2

    @property
    def regex(self) -> str:
        return f"[0-9]{{{self.width}}}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{int(value):0{self.width}d}"


class Year(FixedDigits):
    width = 4


class ArticleId:
    """A row id: at most 18 digits, so that it always fits PostgreSQL's bigint (longer is a 404)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(ArticleId, "id")
register_converter(Year, "yyyy")
register_converter(FixedDigits, "nn")

app_name = "archive"
urlpatterns = [
    path("", pages.home, name="home"),
    path("search/", search.search_page, name="search"),
    path("search/feed/", feeds.SearchFeed(), name="search-feed"),
    path("export/", export.export_search, name="export"),
    path("opensearch.xml", pages.opensearch, name="opensearch"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "archive:sitemap-section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap-section"),
    path("articles/<id:pk>/", pages.article_detail, name="article-short"),
    path("articles/<id:pk>/<str:slug>/", pages.article_detail, name="article"),
    path("stories/<id:pk>/", stories.story_page, name="story"),
    path("browse/", browse.years, name="browse"),
    path("browse/<yyyy:year>/", browse.year, name="browse-year"),
    path("browse/<yyyy:year>/<nn:month>/", browse.month, name="browse-month"),
    path("browse/<yyyy:year>/<nn:month>/<nn:day>/", browse.day, name="browse-day"),
    path("places/", catalogue.place_list, name="places"),
    path("places/<str:slug>/", catalogue.place_detail, name="place"),
    path("topics/", catalogue.topic_list, name="topics"),
    path("topics/<str:slug>/", catalogue.topic_detail, name="topic"),
    path("sources/", catalogue.source_list, name="sources"),
    path("sources/<str:slug>/", catalogue.source_detail, name="source"),
    path("coverage/", analysis.coverage, name="coverage"),
    path("compare/", analysis.compare, name="compare"),
    path("kwic/", analysis.kwic, name="kwic"),
    path("map/", maps.map_page, name="map"),
    path("healthz", pages.healthz, name="healthz"),
    path("api/search/", api.search_api, name="api-search"),
    path("api/articles/<id:pk>/", api.article_api, name="api-article"),
    path("api/articles/<id:pk>/cite/", citing.article_citation, name="api-article-cite"),
    path("api/stories/<id:pk>/", stories.story_api, name="api-story"),
    path("api/timeline/", analysis.timeline_api, name="api-timeline"),
    path("api/openapi.json", api.openapi_json, name="api-openapi"),
]
