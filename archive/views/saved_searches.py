"""/me/searches/: a researcher's saved searches, their new matches and private feeds."""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from archive.desk import saved_searches
from archive.desk.text import typed
from archive.middleware import error_response
from archive.models import SavedSearch
from archive.views.feeds import SearchFeed, xml_safe

COUNTING_BUDGET_S = 8  # the whole list's counting; searches beyond it say "open it to see them"


@login_required
def my_searches(request):
    """The list, each with its new matches since last opened; POST saves the search in `query`."""
    if request.method == "POST":
        return _save(request)
    searches = list(SavedSearch.objects.filter(owner=request.user))
    deadline = time.monotonic() + COUNTING_BUDGET_S
    for saved in searches:
        saved.new_query = saved_searches.new_matches_params(saved).urlencode()
        saved.new_count, saved.too_slow = None, time.monotonic() > deadline
        if saved.too_slow:
            continue
        try:
            saved.new_count = saved_searches.new_match_count(saved)
        except saved_searches.CountTooSlow:
            saved.too_slow = True
    return render(request, "desk/searches.html", {"searches": searches})


def _save(request):
    try:
        saved = saved_searches.saved_search_create(
            owner=request.user,
            query_string=request.POST.get("query", ""),
            name=request.POST.get("name", ""),
            alerts=request.POST.get("alerts") == "on",
        )
    except saved_searches.SavedSearchError as error:
        return error_response(request, _("This search cannot be saved: %(why)s") % {"why": error}, 400)
    messages.success(request, _("Saved “%(name)s”.") % {"name": saved.name})
    return redirect("archive:my-searches")


def _own(request, pk: int) -> SavedSearch:
    """The researcher's own saved search; anyone else's is a 404, as one that does not exist."""
    return get_object_or_404(SavedSearch, pk=pk, owner=request.user)


@login_required
@require_GET
def saved_search_open(request, pk: int):
    """Open the search: its matches from now on count as seen."""
    saved = _own(request, pk)
    saved_searches.saved_search_open(saved)
    return redirect(f"{reverse('archive:search')}?{saved.query}")


ACTIONS = {"rename", "alerts-on", "alerts-off", "new-feed", "delete"}


@login_required
@require_POST
def saved_search_change(request, pk: int):
    """Rename, alerts on or off, a new feed address (the old one stops working), delete."""
    saved = _own(request, pk)
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        return error_response(request, _("Unknown action."), 400)
    if action == "rename":
        name = typed(request.POST.get("name"), 200)
        if not name:
            return error_response(request, _("A saved search needs a name."), 400)
        saved.name = name
        saved.save(update_fields=["name"])
    elif action in ("alerts-on", "alerts-off"):
        saved.alerts = action == "alerts-on"
        saved.save(update_fields=["alerts"])
    elif action == "new-feed":
        saved_searches.saved_search_new_token(saved)
        messages.success(request, _("The feed has a new address; the old one no longer works."))
    else:
        saved.delete()
        messages.success(request, _("Deleted “%(name)s”.") % {"name": saved.name})
    return redirect("archive:my-searches")


class SavedSearchFeed(SearchFeed):
    """/me/searches/feed/<token>/: the saved search's newest additions; the token is the key."""

    def __call__(self, request, token: str):
        saved = (
            SavedSearch.objects.filter(feed_token=token, owner__is_active=True)
            .select_related("owner")
            .first()
        )
        if saved is None or not token:
            raise Http404(_("No such feed."))
        self.saved = saved
        return super().__call__(request, params=QueryDict(saved.query), viewer=saved.owner)

    def title(self, request) -> str:
        return xml_safe(_("%(archive)s: %(name)s") % {"archive": _("News archive"), "name": self.saved.name})

    def feed_url(self, request) -> str:
        return request.path

    def feed_guid(self, request) -> str:
        return request.build_absolute_uri(request.path)


def saved_search_feed(request, token: str):
    """A new feed object per request (see feeds.search_feed)."""
    return SavedSearchFeed()(request, token)
