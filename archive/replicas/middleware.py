"""Which server each request reads from: a healthy replica for a public read, else the primary.

A public read is a GET or HEAD under PUBLIC_READ_PREFIXES (or the home page) from a client that has
not written in the last DJANGO_REPLICA_PIN_S seconds: any other method marks the client with a
short-lived cookie, and while it lasts the client reads the primary (read your writes). A read that
loses its replica half-way (the replica stopped, or cancelled the query to replay the primary's
changes) is run again on the primary, and the replica is checked before it is used again.
"""

from __future__ import annotations

import logging
import math
import random
import time

from django.conf import settings

from archive.replicas import health
from archive.replicas.routing import PRIMARY, read_alias, reading_from

PUBLIC_READ_PREFIXES = (
    "/search/",
    "/export/",
    "/api/",
    "/articles/",
    "/stories/",
    "/browse/",
    "/places/",
    "/topics/",
    "/sources/",
    "/coverage/",
    "/compare/",
    "/kwic/",
    "/map/",
    "/sitemap",
    "/collections/",
)
READ_METHODS = frozenset({"GET", "HEAD"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
PIN_COOKIE = "archive_wrote"
# A standby cancelled the query to replay the primary's changes (40001, 40P01): the replica is well,
# the read is answered again. A write on a standby (25006) is a bug, logged, and answered again too.
RECOVERY_CONFLICTS = frozenset({"40001", "40P01"})
WRITE_ON_STANDBY = "25006"
log = logging.getLogger(__name__)


def is_public_read(request) -> bool:
    return request.method in READ_METHODS and (
        request.path == "/" or request.path.startswith(PUBLIC_READ_PREFIXES)
    )


def wrote_recently(request) -> bool:
    """The client's cookie says it wrote less than DJANGO_REPLICA_PIN_S seconds ago."""
    try:
        wrote_at = float(request.COOKIES.get(PIN_COOKIE, ""))
    except ValueError:
        return False
    return time.time() - wrote_at < settings.REPLICA_PIN_S  # a stamp from a clock ahead still pins


def choose_alias(request) -> str:
    if not health.replica_aliases() or not is_public_read(request) or wrote_recently(request):
        return PRIMARY
    candidates = health.healthy()
    return random.choice(candidates) if candidates else PRIMARY


def pin_to_primary(response) -> None:
    response.set_cookie(
        PIN_COOKIE,
        f"{time.time():.3f}",
        max_age=math.ceil(settings.REPLICA_PIN_S),
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


class ReplicaReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        alias = choose_alias(request)
        with reading_from(alias):
            response = self.get_response(request)
            request.read_alias = read_alias()  # the primary, if the replica failed its first statement
        if alias != PRIMARY and self._lost_replica(request, alias):
            request.database_outage = None
            request.read_alias = PRIMARY
            request.replica_retried = True
            response = self.get_response(request)  # a read: safe to answer again, from the primary
        if request.method not in SAFE_METHODS and health.replica_aliases():
            pin_to_primary(response)
        return response

    @staticmethod
    def _lost_replica(request, alias: str) -> bool:
        """Whether the database error this read met came from its replica (checked now), rather than
        from the primary, whose outage a second try would only make the reader wait for twice."""
        sqlstate = getattr(request, "database_outage", None)
        if sqlstate is None:
            return False
        if sqlstate == WRITE_ON_STANDBY:
            log.error("a public read wrote on the standby %s: %s", alias, request.path)
            return True
        if sqlstate in RECOVERY_CONFLICTS:
            return True
        if not health.check(alias).ok:
            health.mark_down(alias)
            return True
        return False
