"""The researcher's collections, for the "Add to a collection" forms (read once per request)."""

from __future__ import annotations

from django import template
from django.middleware.csrf import get_token

from archive.models import Collection

register = template.Library()


def own_collections_of(request) -> list[Collection]:
    """The logged-in researcher's collections (none for a visitor), cached on the request."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    if not hasattr(request, "_own_collections"):
        request._own_collections = list(Collection.objects.filter(owner=user).only("slug", "name"))
    return request._own_collections


@register.simple_tag(takes_context=True)
def own_collections(context) -> list[Collection]:
    return own_collections_of(context["request"])


@register.simple_tag(takes_context=True)
def collect_options(context) -> dict | None:
    """What each result's "Add to a collection" form needs, or None for a visitor."""
    request = context["request"]
    if not request.user.is_authenticated:
        return None
    return {
        "csrf": get_token(request),
        "collections": own_collections_of(request),
        "next": request.get_full_path(),
    }
