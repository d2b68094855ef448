"""A test-only URLconf: the site, and views under the timed prefixes that sleep, report their limits, or fail.

The site's own error handlers answer, as in config.urls.
"""

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.urls import include, path

from config.urls import handler404, handler500  # noqa: F401  (Django reads them from the URLconf)

SEEN_LIMITS: list[tuple[str, str, str]] = []  # (method, statement_timeout, lock_timeout) per request


def sleep(request):
    """A statement slower than the tests' timeout."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(0.5)")
    return JsonResponse({"slept": True})


def limits(request):
    """Records the limits this request's statements run under (a HEAD answer has no body to carry them)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('statement_timeout'), current_setting('lock_timeout')")
        SEEN_LIMITS.append((request.method, *cursor.fetchone()))
    return HttpResponse("ok")


def broken(request):
    """A query with a bug: PostgreSQL raises ProgrammingError."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM archive_no_such_table")
    return HttpResponse("unreachable")


urlpatterns = [
    path("api/sleep/", sleep),
    path("search/sleep/", sleep),
    path("search/limits/", limits),
    path("api/broken/", broken),
    path("search/broken/", broken),
    path("i18n/", include("django.conf.urls.i18n")),  # the header's language switcher
    path("", include("archive.urls")),  # the pages' templates link to the site
]
