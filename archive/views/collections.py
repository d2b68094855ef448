"""/me/collections/ and /collections/<slug>/: gathering articles, with notes, in one's own order."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archive.desk import collection_import as csv_import
from archive.desk import collections as desk
from archive.middleware import error_response
from archive.models import Article, Collection, CollectionItem
from archive.views.paging import paginate
from archive.views.search import EXPORT_LINKS
from archive.views.sites import safe_next

MAX_UPLOAD = csv_import.MAX_BYTES
ITEMS_PER_PAGE = 100


@login_required
def my_collections(request):
    """The researcher's collections; POST makes a new one."""
    if request.method == "POST":
        try:
            collection = desk.collection_create(owner=request.user, name=request.POST.get("name", ""))
        except desk.CollectionError as error:
            return error_response(request, str(error), 400)
        return redirect(collection)
    collections = Collection.objects.filter(owner=request.user).order_by("name", "pk")
    return render(request, "desk/collections.html", {"collections": collections})


def _own(request, slug: str) -> Collection:
    return get_object_or_404(Collection, slug=slug, owner=request.user)


@login_required
@require_POST
def collection_add(request):
    """Add an article (published) to one of the researcher's collections, or to a new one named here."""
    article = Article.objects.published().filter(pk=_number(request.POST.get("article"))).first()
    if article is None:
        raise Http404(_("No such article."))
    try:
        if request.POST.get("collection"):
            collection = _own(request, request.POST["collection"])
        else:
            collection = desk.collection_create(owner=request.user, name=request.POST.get("new_name", ""))
        desk.collection_add(collection=collection, article=article, note=request.POST.get("note", ""))
    except desk.CollectionError as error:
        return error_response(request, str(error), 400)
    messages.success(
        request,
        _("Added “%(headline)s” to “%(name)s”.") % {"headline": article.headline, "name": collection.name},
    )
    return redirect(safe_next(request, collection.get_absolute_url()))


def _number(value) -> int:
    text = str(value or "").strip()
    return int(text) if text.isdecimal() and len(text) <= 18 else 0


COLLECTION_ACTIONS = {"rename", "visibility", "delete"}


@login_required
@require_POST
def collection_change(request, slug: str):
    """Rename, change who may see it, or delete."""
    collection = _own(request, slug)
    action = request.POST.get("action", "")
    try:
        if action == "rename":
            desk.collection_rename(collection=collection, name=request.POST.get("name", ""))
        elif action == "visibility":
            desk.collection_set_visibility(
                collection=collection, visibility=request.POST.get("visibility", "")
            )
        elif action == "delete":
            collection.delete()
            messages.success(request, _("Deleted “%(name)s”.") % {"name": collection.name})
            return redirect("archive:my-collections")
        else:
            return error_response(request, _("Unknown action."), 400)
    except desk.CollectionError as error:
        return error_response(request, str(error), 400)
    return redirect(collection)


@login_required
@require_POST
def item_change(request, slug: str, pk: int):
    """An item's note, its place (up or down), or its removal."""
    collection = _own(request, slug)
    item = get_object_or_404(CollectionItem, pk=pk, collection=collection)
    action = request.POST.get("action", "")
    if action == "note":
        desk.item_note(item=item, note=request.POST.get("note", ""))
    elif action in ("up", "down"):
        desk.item_move(item=item, direction=action)
    elif action == "remove":
        desk.item_remove(item=item)
    else:
        return error_response(request, _("Unknown action."), 400)
    return redirect(f"{collection.get_absolute_url()}#items")


@login_required
@require_POST
def collection_import(request, slug: str):
    """A CSV of article ids or addresses, added in order; the lines that match nothing are listed."""
    collection = _own(request, slug)
    upload = request.FILES.get("file")
    if upload is None:
        return error_response(request, _("Choose a CSV file to import."), 400)
    if upload.size > MAX_UPLOAD:
        return error_response(request, _("The file is larger than 2 MB."), 400)
    try:
        report = csv_import.collection_import_csv(collection=collection, data=upload.read())
    except (ValueError, desk.CollectionError) as error:
        return error_response(request, _("The file could not be imported: %(why)s") % {"why": error}, 400)
    return render(request, "desk/collection_import.html", {"collection": collection, "report": report})


def collection_page(request, slug: str):
    """A collection its viewer may see (its owner's private one is a 404 to everyone else)."""
    collection = get_object_or_404(
        Collection.objects.visible_to(request.user).select_related("owner"), slug=slug
    )
    items = (
        collection.items.filter(article__status=Article.Status.PUBLISHED)
        .select_related("article", "article__source")
        .order_by("position", "pk")
    )
    query = urlencode({"collection": collection.slug})
    context = {
        "collection": collection,
        "page": paginate(request, items, per_page=ITEMS_PER_PAGE),
        "mine": collection.owner_id == request.user.pk,
        "query": query,
        "search_url": f"{reverse('archive:search')}?{query}",
        "export_formats": EXPORT_LINKS,
        "visibilities": Collection.Visibility.choices,
    }
    return render(request, "desk/collection.html", context)
