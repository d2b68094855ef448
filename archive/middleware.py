"""Request guards shared by every public page: unreadable parameters, slow queries."""

from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError, InterfaceError, InternalError, OperationalError, connections
from django.http import JsonResponse
from django.shortcuts import render

from archive.replicas import PRIMARY, read_alias, read_from_primary_instead

JSON_PREFIXES = ("/api/", "/export/", "/search/feed/")
# Public read views run under a statement timeout; exports and KWIC/compare CSVs stream after the
# view returns, so their batches run after the timeout is reset.
TIMED_PREFIXES = (
    "/search/",
    "/api/",
    "/kwic/",
    "/compare/",
    "/browse/",
    "/places/",
    "/topics/",
    "/sources/",
    "/articles/",
    "/coverage/",
    "/sitemap",
    "/collections/",
    "/snapshots/",
    "/me/",
)
QUERY_CANCELED = "57014"  # statement_timeout
LOCK_NOT_AVAILABLE = "55P03"  # lock_timeout
RETRY_AFTER_SECONDS = "10"
TOO_BROAD = "This search is too broad to answer in time: narrow it with more words, dates, places or sources."
BUSY = "The archive is being restored or updated; try again in a moment."


def wants_json(request) -> bool:
    """Machine endpoints answer every error, 404 and 500 included, as `{"error": …}`."""
    return request.path.startswith(JSON_PREFIXES)


def error_response(request, message: str, status: int):
    """A JSON error for machine endpoints, the site's error page otherwise."""
    if wants_json(request):
        return JsonResponse({"error": message}, status=status)
    return render(request, "400.html", {"message": message}, status=status)


class RejectNulBytesMiddleware:
    """A NUL byte cannot be stored or compared by PostgreSQL: such a parameter is a 400, not a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            return error_response(request, "The address contains a NUL character.", 400)
        fields = request.POST.lists() if request.method == "POST" else ()
        for name, values in (*request.GET.lists(), *fields):
            if "\x00" in name or any("\x00" in value for value in values):
                return error_response(request, f"The parameter {name!r} contains a NUL character.", 400)
        return self.get_response(request)


SET_LIMITS = "SELECT set_config('statement_timeout', %s, false), set_config('lock_timeout', %s, false)"


def _set_limits(statement_timeout: str, lock_timeout: str) -> None:
    """Session-level, reset after each request, on the primary and on the replica the request reads.
    A replica that fails this first statement is given up for the request (its reads go to the
    primary) and skipped until it is found well; the primary not answering is the view's to report."""
    for alias in dict.fromkeys([PRIMARY, read_alias()]):
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute(SET_LIMITS, [statement_timeout, lock_timeout])
        except DatabaseError:
            if alias != PRIMARY:
                read_from_primary_instead(alias)


def _sqlstate(exception) -> str | None:
    return getattr(exception.__cause__, "sqlstate", None)


def _retry_later(response):
    response["Retry-After"] = RETRY_AFTER_SECONDS
    return response


class StatementTimeoutMiddleware:
    """Public reads run under `statement_timeout`, whatever the method: a search that hits it is told to
    narrow, not a 500. A wait on a lock (a restore holds the tables) gives up at half that time, and
    is told the archive is busy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timeout = int(getattr(settings, "PUBLIC_STATEMENT_TIMEOUT_MS", 0))
        if not timeout or not request.path.startswith(TIMED_PREFIXES):
            return self.get_response(request)
        _set_limits(f"{timeout}ms", f"{max(timeout // 2, 1)}ms")
        try:
            return self.get_response(request)
        finally:
            _set_limits("0", "0")

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError):
            return None
        message = {QUERY_CANCELED: TOO_BROAD, LOCK_NOT_AVAILABLE: BUSY}.get(_sqlstate(exception))
        return _retry_later(error_response(request, message, 503)) if message else None


class DatabaseUnavailableMiddleware:
    """While PostgreSQL is down every request gets a friendly 503 (never a traceback); the pool reconnects."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if _is_outage(exception) and _sqlstate(exception) not in (QUERY_CANCELED, LOCK_NOT_AVAILABLE):
            # the replica middleware answers a read again from the primary when its replica failed
            request.database_outage = _sqlstate(exception) or ""
            return _retry_later(unavailable(request))
        return None


def _is_outage(exception) -> bool:
    """A lost or refused connection; errors that mean a bug in a query (ProgrammingError…) are not."""
    if isinstance(exception, (OperationalError, InterfaceError, InternalError)):
        return True
    return type(exception) is DatabaseError


def unavailable(request):
    if wants_json(request):
        return JsonResponse(
            {"error": "The archive's database is not answering; try again in a moment."}, status=503
        )
    return render(request, "503.html", status=503)
