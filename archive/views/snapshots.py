"""/snapshots/<uuid>/: frozen result sets — their citable page, their data package, what changed since."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archive.desk import datapackage, snapshots
from archive.middleware import error_response
from archive.models import Article, Snapshot
from archive.views.sites import site_of

LISTED = 500  # articles listed on a snapshot's page and in each list of changes; the package has all


def _visible(request, pk) -> Snapshot:
    """A public snapshot not hidden, or the viewer's own; anything else is a 404."""
    shown = Q(public=True, hidden=False)
    if request.user.is_authenticated:
        shown |= Q(owner=request.user)
    return get_object_or_404(Snapshot.objects.filter(shown), pk=pk)


@login_required
@require_POST
def snapshot_create(request):
    """Freeze the results of the search in `query` (a collection's: `query=collection=<slug>`)."""
    try:
        snapshot = snapshots.snapshot_freeze(
            owner=request.user,
            query_string=request.POST.get("query", ""),
            title=request.POST.get("title", ""),
        )
    except snapshots.SnapshotError as error:
        return error_response(request, _("These results cannot be frozen: %(why)s") % {"why": error}, 400)
    return redirect(snapshot)


@login_required
def my_snapshots(request):
    return render(request, "desk/snapshots.html", {"snapshots": Snapshot.objects.filter(owner=request.user)})


def _address(request, snapshot: Snapshot) -> str:
    return f"{site_of(request)}{snapshot.get_absolute_url()}"


def snapshot_page(request, pk):
    """The record, a suggested citation, the first articles, and the links to the package and changes."""
    snapshot = _visible(request, pk)
    rows = []
    for item, fields in snapshots.snapshot_rows(snapshot):
        rows.append(
            {
                "item": item,
                "headline": fields.get("headline", ""),
                "published_on": fields.get("published_on"),
                "withheld": fields.get("withheld", False),
            }
        )
        if len(rows) == LISTED:
            break
    context = {
        "snapshot": snapshot,
        "rows": rows,
        "address": _address(request, snapshot),
        "mine": request.user.is_authenticated and snapshot.owner_id == request.user.pk,
    }
    return render(request, "desk/snapshot.html", context)


def snapshot_download(request, pk):
    """The Frictionless Data Package: datapackage.json and articles.csv in one zip."""
    snapshot = _visible(request, pk)
    response = HttpResponse(
        datapackage.package_zip(snapshot, _address(request, snapshot)), content_type="application/zip"
    )
    response["Content-Disposition"] = f'attachment; filename="snapshot-{snapshot.pk}.zip"'
    return response


def _headlines(ids, snapshot: Snapshot | None = None) -> list[dict]:
    """Headlines of the first LISTED ids: as they are now, or as frozen (for removed articles)."""
    ids = list(ids)[:LISTED]
    if snapshot is None:
        found = dict(Article.objects.filter(pk__in=ids).values_list("pk", "headline"))
    else:
        wanted = set(ids)
        found = {
            item.article_id: fields.get("headline", "")
            for item, fields in snapshots.snapshot_rows(snapshot)
            if item.article_id in wanted
        }
    return [{"id": pk, "headline": found.get(pk, "")} for pk in ids]


def snapshot_changes(request, pk):
    """The search rerun now: articles added, removed, and edited since the snapshot."""
    snapshot = _visible(request, pk)
    changes = snapshots.changes_since(snapshot, viewer=request.user)
    context = {"snapshot": snapshot, "changes": changes, "now": timezone.now()}
    if not changes.errors:
        context.update(
            added=_headlines(changes.added),
            removed=_headlines(changes.removed, snapshot),
            edited=_headlines(changes.edited),
        )
    return render(request, "desk/snapshot_changes.html", context, status=400 if changes.errors else 200)


@login_required
@require_POST
def snapshot_change(request, pk):
    """Share (public, for good), hide or show again, or delete one never shared."""
    snapshot = get_object_or_404(Snapshot, pk=pk, owner=request.user)
    action = request.POST.get("action", "")
    if action == "share":
        snapshot.public, snapshot.hidden = True, False
        snapshot.shared_at = snapshot.shared_at or timezone.now()
        snapshot.save(update_fields=["public", "hidden", "shared_at"])
    elif action in ("hide", "show"):
        snapshot.hidden = action == "hide"
        snapshot.save(update_fields=["hidden"])
    elif action == "delete":
        # The condition is in the statement: a "share" committed meanwhile in another tab wins.
        deleted, _rows = Snapshot.objects.filter(pk=snapshot.pk, shared_at__isnull=True).delete()
        if not deleted:
            return error_response(request, _("A shared snapshot is never deleted: hide it instead."), 400)
        messages.success(request, _("Deleted the snapshot."))
        return redirect("archive:my-snapshots")
    else:
        return error_response(request, _("Unknown action."), 400)
    return redirect(snapshot)
