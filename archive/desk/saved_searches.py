"""Saved searches: what a researcher reruns, and which of its matches are new since they last looked."""

from __future__ import annotations

from django.db import IntegrityError, OperationalError, connection, transaction
from django.http import QueryDict
from django.utils import timezone

from archive import search
from archive.desk.text import typed
from archive.desk_models import new_token
from archive.models import SavedSearch

# Never part of what is saved: where the researcher was in the list, and the "new since" window.
NOT_SAVED = ("page", "cursor", "added_after", "size")
MAX_SAVED_SEARCHES = 200  # per researcher
MAX_QUERY = 2000  # characters of a saved (or frozen) search's query string


class SavedSearchError(ValueError):
    """A search that cannot be saved; the message says why."""


def saved_query(query_string: str) -> QueryDict:
    """The parameters worth saving of a search's query string (in their order, empty ones dropped);
    SavedSearchError when it is longer than anyone types."""
    if len(query_string) > MAX_QUERY:
        raise SavedSearchError(f"The search is longer than {MAX_QUERY:,} characters.")
    params = QueryDict(query_string, mutable=True)
    for name in NOT_SAVED:
        params.pop(name, None)
    for name in list(params):
        values = [value for value in params.getlist(name) if value.strip()]
        if values:
            params.setlist(name, values)
        else:
            params.pop(name)
    return params


def default_name(params: QueryDict) -> str:
    """A name for a search nobody named: its words, else its filters."""
    words = params.get("q", "").strip()
    filters = ", ".join(f"{name}={value}" for name, value in params.items() if name != "q")
    return typed(words or filters or "Every article", 200)


def saved_search_create(*, owner, query_string: str, name: str = "", alerts: bool = False) -> SavedSearch:
    """Save a valid search (saving the same search twice keeps the first, renamed when named)."""
    params = saved_query(query_string)
    outcome = search.run(params, counted=False, viewer=owner)
    if outcome.errors:
        raise SavedSearchError("; ".join(outcome.errors))
    query = params.urlencode()
    with transaction.atomic():
        existing = SavedSearch.objects.select_for_update().filter(owner=owner, query=query).first()
        if existing:
            if typed(name, 200):
                existing.name = typed(name, 200)
                existing.save(update_fields=["name"])
            return existing
        if SavedSearch.objects.filter(owner=owner).count() >= MAX_SAVED_SEARCHES:
            raise SavedSearchError(f"At most {MAX_SAVED_SEARCHES} saved searches: delete one first.")
        try:
            with transaction.atomic():
                return SavedSearch.objects.create(
                    owner=owner,
                    query=query,
                    name=typed(name, 200) or default_name(params),
                    alerts=alerts,
                    last_opened_at=timezone.now(),
                )
        except IntegrityError:  # the same search saved at the same moment from another tab
            return SavedSearch.objects.get(owner=owner, query=query)


def new_matches_params(saved: SavedSearch, since=None) -> QueryDict:
    """The saved search narrowed to the articles added after `since` (default: its last opening)."""
    params = QueryDict(saved.query, mutable=True)
    params["added_after"] = (since or saved.last_opened_at).isoformat()
    return params


COUNT_TIMEOUT = "2s"  # each saved search's count on the list; a slower one says so instead


class CountTooSlow(Exception):
    """The count did not finish within COUNT_TIMEOUT."""


def new_match_count(saved: SavedSearch) -> int | None:
    """How many matches were added since the search was last opened (None when it no longer runs,
    e.g. a collection it names was made private); CountTooSlow past COUNT_TIMEOUT."""
    outcome = search.run(new_matches_params(saved), counted=False, viewer=saved.owner)
    if outcome.errors:
        return None
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL statement_timeout = '{COUNT_TIMEOUT}'")
            return outcome.matches.order_by().count()
    except OperationalError as error:
        raise CountTooSlow from error


def saved_search_open(saved: SavedSearch) -> None:
    """The researcher opened it: from now on, only later additions are new."""
    saved.last_opened_at = timezone.now()
    saved.save(update_fields=["last_opened_at"])


def saved_search_new_token(saved: SavedSearch) -> None:
    """Revoke the feed's address: a new secret token replaces it."""
    saved.feed_token = new_token()
    saved.save(update_fields=["feed_token"])
