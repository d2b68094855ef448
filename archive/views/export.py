"""/export/: every match of a search as a downloadable file, streamed."""

from __future__ import annotations

from django.http import JsonResponse, StreamingHttpResponse
from django.utils import timezone

from archive import search
from archive.exports import files
from archive.replicas import one_snapshot
from archive.views.sites import site_of


def export_search(request):
    """The same parameters as the search; `format` and `fields` choose the file. 400 on any bad value."""
    outcome = search.run(request.GET, counted=False, viewer=request.user)
    if outcome.errors:
        return JsonResponse({"error": "; ".join(outcome.errors)}, status=400)
    try:
        export = files.export_request(
            request.GET,
            site=site_of(request),
            accessed=timezone.now().date(),
        )
    except files.ExportError as error:
        return JsonResponse({"error": str(error)}, status=400)
    content_type, extension = files.FORMATS[export.format]
    response = StreamingHttpResponse(
        one_snapshot(files.stream(outcome.matches, outcome.sort, export)), content_type=content_type
    )
    response["Content-Disposition"] = (
        f'attachment; filename="archive-export-{export.accessed:%Y%m%d}.{extension}"'
    )
    response["X-Total-Count"] = str(outcome.matches.count())
    return response
