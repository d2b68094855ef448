"""Friendly error pages; under the machine endpoints (/api/ …), JSON errors."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults

from archive.middleware import wants_json


def bad_request(request, exception=None):
    """400 for a request Django could not read (a disallowed host, too many fields …)."""
    message = _("The request could not be read: check the address and its parameters.")
    if wants_json(request):
        return JsonResponse({"error": message}, status=400)
    return render(request, "400.html", {"message": message}, status=400)


def permission_denied(request, exception=None):
    """403, as JSON under the machine endpoints."""
    if wants_json(request):
        return JsonResponse({"error": _("This request is not allowed.")}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    """404 page in the site's layout."""
    if wants_json(request):
        return JsonResponse({"error": _("There is nothing at this address.")}, status=404)
    return render(request, "404.html", status=404)


def server_error(request):
    """500 page that needs no database."""
    if wants_json(request):
        return JsonResponse(
            {"error": _("The archive failed to answer this request; it has been logged.")}, status=500
        )
    return render(request, "500.html", status=500)
