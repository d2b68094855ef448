"""Per-client rate limits with counters in PostgreSQL, so every gunicorn worker shares them.

DJANGO_RATE_LIMITS: "0" switches them off; otherwise e.g. "search=120,api=120,export=10" (requests a
minute; the groups not named keep their defaults, and 0 switches one group off).
"""

from __future__ import annotations

import random
import time

from django.conf import settings
from django.db import DatabaseError, connection

from archive.middleware import error_response

DEFAULT_LIMITS = {
    "search": 120,
    "api": 120,
    "export": 10,
    "analysis": 30,
    "article": 120,
    "browse": 120,
    "login": 10,
    "signup": 5,
    "desk": 120,
}
# (path prefix, group, methods counted or None for every method); the first match wins.
GROUPS = (
    ("/search/", "search", None),
    ("/api/", "api", None),
    ("/export/", "export", None),
    ("/kwic/", "analysis", None),
    ("/compare/", "analysis", None),
    ("/articles/", "article", None),
    ("/coverage/", "analysis", None),
    *((prefix, "browse", None) for prefix in ("/browse/", "/places/", "/topics/", "/sources/", "/sitemap")),
    ("/admin/login/", "login", {"POST"}),  # the form is free to show; each password tried counts
    ("/accounts/login/", "login", {"POST"}),
    ("/accounts/password-reset/", "login", {"POST"}),  # each reset mail asked for counts
    ("/accounts/signup/", "signup", {"POST"}),  # accounts made from one address
    ("/accounts/", "login", {"POST"}),  # a new password set from a reset link
    ("/me/", "desk", None),
    ("/collections/", "browse", None),
    ("/snapshots/", "export", None),  # a snapshot's page, changes and data package each read it whole
)
WINDOW_SECONDS = 60
CLEANUP_CHANCE = 0.01


def parse_limits(text: str | None) -> dict[str, int]:
    """The limits from the environment variable's text (ValueError names what is wrong)."""
    if text is None or not text.strip():
        return dict(DEFAULT_LIMITS)
    if text.strip() == "0":
        return {}
    limits = dict(DEFAULT_LIMITS)
    for part in text.split(","):
        name, _, value = part.partition("=")
        name, value = name.strip(), value.strip().removesuffix("/minute")
        if name not in DEFAULT_LIMITS or not value.isdecimal():
            raise ValueError(
                f"DJANGO_RATE_LIMITS: cannot read {part!r}; write e.g. search=120,export=10 "
                f"(groups: {', '.join(DEFAULT_LIMITS)})"
            )
        limits[name] = int(value)
    return {name: limit for name, limit in limits.items() if limit > 0}


def group_of(path: str, method: str) -> str | None:
    """The rate-limit group a request belongs to, or None when it is not limited."""
    for prefix, group, methods in GROUPS:
        if path.startswith(prefix) and (methods is None or method in methods):
            return group
    return None


def hit(group: str, client: str) -> tuple[int, int]:
    """Count one request; (requests in this minute so far, seconds until the minute ends)."""
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO archive_ratecounter (key, window_start, hits) VALUES (%s, to_timestamp(%s), 1)
            ON CONFLICT (key) DO UPDATE SET hits = archive_ratecounter.hits + 1
            RETURNING hits
            """,
            [f"{group}:{client}:{window}", window * WINDOW_SECONDS],
        )
        count = cursor.fetchone()[0]
        if random.random() < CLEANUP_CHANCE:
            cursor.execute(
                "DELETE FROM archive_ratecounter WHERE window_start < now() - interval '2 minutes'"
            )
    return count, max(1, int((window + 1) * WINDOW_SECONDS - now) + 1)


class RateLimitMiddleware:
    """429 with Retry-After once a client exceeds its group's requests per minute."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limits = settings.RATE_LIMITS
        group = group_of(request.path, request.method) if limits else None
        if group in limits:
            try:
                count, retry_after = hit(group, request.META.get("REMOTE_ADDR", "unknown"))
            except DatabaseError:  # no counter without the database: the view reports the outage itself
                return self.get_response(request)
            if count > limits[group]:
                return self._too_many(request, group, limits[group], retry_after)
        return self.get_response(request)

    def _too_many(self, request, group: str, limit: int, retry_after: int):

        response = error_response(
            request, f"Too many requests: at most {limit} a minute here. Try again in {retry_after} s.", 429
        )
        response["Retry-After"] = str(retry_after)
        return response
