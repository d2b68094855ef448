"""Friendly error pages."""

from django.shortcuts import render


def page_not_found(request, exception=None):
    """404 page in the site's layout."""
    return render(request, "404.html", status=404)


def server_error(request):
    """500 page that needs no database."""
    return render(request, "500.html", status=500)
