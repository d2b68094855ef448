"""Public pages of the archive."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, register_converter

from archive.sitemaps import SITEMAPS
from archive.views import (
    accounts,
    analysis,
    api,
    browse,
    catalogue,
    citing,
    collections,
    export,
    feeds,
    maps,
    pages,
    saved_searches,
    search,
    snapshots,
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
    path("search/feed/", feeds.search_feed, name="search-feed"),
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
    # Researchers' accounts and desk
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/login/", accounts.login_view, name="login"),
    path("accounts/logout/", accounts.logout_view, name="logout"),
    path("accounts/password-reset/", accounts.password_reset, name="password-reset"),
    path("accounts/password-reset/sent/", accounts.password_reset_done, name="password-reset-done"),
    path("accounts/reset/<uidb64>/<token>/", accounts.password_reset_confirm, name="password-reset-confirm"),
    path("accounts/reset/done/", accounts.password_reset_complete, name="password-reset-complete"),
    path("me/searches/", saved_searches.my_searches, name="my-searches"),
    path("me/searches/<int:pk>/", saved_searches.saved_search_change, name="saved-search"),
    path("me/searches/<int:pk>/open/", saved_searches.saved_search_open, name="saved-search-open"),
    path("me/searches/feed/<str:token>/", saved_searches.saved_search_feed, name="saved-search-feed"),
    path("me/collections/", collections.my_collections, name="my-collections"),
    path("me/collections/add/", collections.collection_add, name="collection-add"),
    path("me/collections/<str:slug>/", collections.collection_change, name="collection-change"),
    path("me/collections/<str:slug>/import/", collections.collection_import, name="collection-import"),
    path("me/collections/<str:slug>/items/<int:pk>/", collections.item_change, name="collection-item"),
    path("collections/<str:slug>/", collections.collection_page, name="collection"),
    path("me/snapshots/", snapshots.my_snapshots, name="my-snapshots"),
    path("snapshots/", snapshots.snapshot_create, name="snapshot-create"),
    path("snapshots/<uuid:pk>/", snapshots.snapshot_page, name="snapshot"),
    path("snapshots/<uuid:pk>/changes/", snapshots.snapshot_changes, name="snapshot-changes"),
    path("snapshots/<uuid:pk>/datapackage.zip", snapshots.snapshot_download, name="snapshot-download"),
    path("snapshots/<uuid:pk>/manage/", snapshots.snapshot_change, name="snapshot-change"),
]
