"""An Atom feed for any search: the 50 newest matches, with every element RFC 4287 requires."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.syndication.views import Feed
from django.http import JsonResponse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from archive import api_items, search
from archive.models import Article
from archive.search import highlight
from archive.search.ordering import order
from archive.views.sites import site_of

FEED_SIZE = 50
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Without the characters XML 1.0 cannot carry (control characters, lone surrogates)."""
    return NOT_IN_XML.sub("", text)


ARCHIVE_NAME = gettext_lazy("News archive")


class SearchFeed(Feed):
    """/search/feed/?<search parameters>: newest first, whatever `sort` says."""

    feed_type = Atom1Feed

    def __call__(self, request, *args, params=None, viewer=None, **kwargs):
        """`params`/`viewer`: the search to run (default: the request's, as its user)."""
        self.params = request.GET if params is None else params
        outcome = search.run(self.params, counted=False, viewer=viewer or request.user)
        if outcome.errors:
            return JsonResponse({"error": "; ".join(outcome.errors)}, status=400)
        self.request, self.outcome = request, outcome
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        return request

    def author_name(self) -> str:
        """Atom requires an author; Django's Atom1Feed omits it unless set."""
        return str(ARCHIVE_NAME)

    def title(self, request) -> str:
        q = self.params.get("q", "").strip()
        if q:
            return xml_safe(_("%(archive)s: %(query)s") % {"archive": ARCHIVE_NAME, "query": q})
        return _("%(archive)s: latest articles") % {"archive": ARCHIVE_NAME}

    def subtitle(self, request) -> str:
        filters = [f"{k}={v}" for k, v in self.params.items() if k not in ("q", "page", "cursor", "sort")]
        if not filters:
            return _("The %(count)s newest articles matching this search") % {"count": FEED_SIZE}
        return xml_safe(
            _("The %(count)s newest articles matching this search (%(filters)s)")
            % {"count": FEED_SIZE, "filters": ", ".join(filters)}
        )

    def link(self, request) -> str:
        return f"/search/?{self.params.urlencode()}" if self.params else "/search/"

    def feed_url(self, request) -> str:
        return request.get_full_path()

    def feed_guid(self, request) -> str:
        return request.build_absolute_uri(request.get_full_path())

    def items(self, request) -> list[Article]:
        """The newest matches, each carrying the API's item (`entry`): its link, title and snippet."""
        newest = order(self.outcome.matches, "newest").prefetch_related("places", "topics")[:FEED_SIZE]
        site = site_of(request)
        rows = list(newest)
        for article in rows:
            snippet = highlight.plain_snippet(article)
            article.entry = api_items.article_item(article, site=site, snippet=snippet)
        return rows

    def item_title(self, item: Article) -> str:
        return xml_safe(item.entry["headline"])

    def item_description(self, item: Article) -> str:
        return xml_safe(item.entry["snippet"])

    def item_link(self, item: Article) -> str:
        return item.entry["url"]

    def item_author_name(self, item: Article) -> str | None:
        return xml_safe(item.byline or (item.source.name if item.source else "")) or None

    def item_pubdate(self, item: Article):
        return item.published_at or dt.datetime.combine(item.published_on, dt.time(), tzinfo=dt.UTC)

    def item_updateddate(self, item: Article):
        return item.updated or timezone.now()

    def item_guid(self, item: Article) -> str:
        return item.entry["url"]

    item_guid_is_permalink = True


def search_feed(request):
    """/search/feed/: a new feed object per request (it keeps the request's search on itself, so one
    shared between a worker's threads would mix two requests up)."""
    return SearchFeed()(request)
