"""Friendly error pages; under the machine endpoints (/api/ …), JSON errors."""

from django.http import JsonResponse
from django.shortcuts import render

from archive.middleware import wants_json


def page_not_found(request, exception=None):
    """404 page in the site's layout."""
    if wants_json(request):
        return JsonResponse({"error": "There is nothing at this address."}, status=404)
    return render(request, "404.html", status=404)


def server_error(request):
    """500 page that needs no database."""
    if wants_json(request):
        return JsonResponse(
            {"error": "The archive failed to answer this request; it has been logged."}, status=500
        )
    return render(request, "500.html", status=500)
