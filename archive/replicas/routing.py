"""The server this request reads from, and the database router that follows it.

The alias lives in a context variable set by `ReplicaReadsMiddleware` around a public read (and
around each step of a stream that outlives its view, by `one_snapshot`); everywhere else it is the
primary. Writes always go to the primary, and so do the models a replica must never answer for:
sessions, users and permissions, the admin's log, login throttling and content types.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterable, Iterator

from django.db import connections, transaction

from archive.replicas import health

PRIMARY = "default"
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "admin", "axes", "contenttypes", "reversion"})

_reading = contextvars.ContextVar("archive_read_alias", default=PRIMARY)


def read_alias() -> str:
    """The database alias this request's public reads use: a replica's, or the primary's."""
    return _reading.get()


def read_connection():
    """The connection for a public read's raw SQL (django.db.connection is always the primary)."""
    return connections[_reading.get()]


@contextlib.contextmanager
def reading_from(alias: str) -> Iterator[None]:
    token = _reading.set(alias)
    try:
        yield
    finally:
        _reading.reset(token)


def read_from_primary_instead(alias: str) -> None:
    """The replica failed: the rest of this request reads the primary (the value set by
    `reading_from` is restored when its block ends), and the replica is skipped until found well."""
    health.mark_down(alias)
    _reading.set(PRIMARY)


def one_snapshot(chunks: Iterable) -> Iterable:
    """A stream that outlives its view (exports, KWIC and compare files) read wholly from the replica
    its view chose, in one REPEATABLE READ transaction: one snapshot from the first row to the last.
    The alias is taken now, when the view builds the response. On the primary the stream reads batch
    by batch as before: a transaction held open for a whole download there would hold back its
    vacuum and make a restore wait for it."""
    alias = read_alias()
    return chunks if alias == PRIMARY else _in_one_snapshot(chunks, alias)


def _in_one_snapshot(chunks: Iterable, alias: str) -> Iterator:
    with transaction.atomic(using=alias):
        with connections[alias].cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        steps = iter(chunks)
        while True:
            with reading_from(alias):
                chunk = next(steps, _END)
            if chunk is _END:
                return
            yield chunk


_END = object()


class ReplicaRouter:
    """Reads follow `read_alias()` (models a replica may answer for); writes and migrations, the primary."""

    def db_for_read(self, model, **hints) -> str:
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return PRIMARY
        return _reading.get()

    def db_for_write(self, model, **hints) -> str:
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # every server holds the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == PRIMARY  # a standby replays the primary's schema; it is never migrated
