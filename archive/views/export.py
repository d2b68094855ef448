"""/export/: every match of a search as a downloadable file, streamed."""

from __future__ import annotations

from django.http import JsonResponse, StreamingHttpResponse
from django.utils import timezone

from archive import exports, search_selectors


def export_search(request):
    """The same parameters as the search; `format` and `fields` choose the file. 400 on any bad value."""
    outcome = search_selectors.article_search(params=request.GET)
    if outcome.errors:
        return JsonResponse({"error": "; ".join(outcome.errors)}, status=400)
    try:
        export = exports.export_request(
            request.GET,
            site=f"{request.scheme}://{request.get_host()}",
            accessed=timezone.now().date(),
        )
    except exports.ExportError as error:
        return JsonResponse({"error": str(error)}, status=400)
    content_type, extension = exports.FORMATS[export.format]
    response = StreamingHttpResponse(
        exports.stream(outcome.matches, outcome.sort, export), content_type=content_type
    )
    response["Content-Disposition"] = (
        f'attachment; filename="archive-export-{export.accessed:%Y%m%d}.{extension}"'
    )
    response["X-Total-Count"] = str(outcome.matches.count())
    return response
