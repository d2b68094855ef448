"""Which replicas may serve reads now: those that answer and lag no more than DJANGO_REPLICA_MAX_LAG_S.

Each process checks every replica at most once every DJANGO_REPLICA_CHECK_S seconds, on a short
connection of its own (never the request's, never the pool's: a replica that is down must cost a
refused connection, not a pool's wait), in whichever request finds the last check too old; the other
requests meanwhile use the last answer. A replica that fails is skipped until a check finds it well.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import psycopg
from django.conf import settings
from django.db import connections

# Seconds behind the primary as the replica sees it: none while it has replayed all it received and
# still streams; otherwise the age of the last transaction it replayed (NULL: it never replayed one).
LAG_SQL = """SELECT pg_is_in_recovery(), CASE
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver)
    THEN 0
    ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END"""
CONNECT_TIMEOUT_S = 2


@dataclass(frozen=True)
class ReplicaHealth:
    alias: str
    ok: bool
    lag_s: float | None  # None: it did not answer, or cannot tell

    def as_json(self) -> dict:
        lag = None if self.lag_s is None else round(self.lag_s, 3)
        return {"alias": self.alias, "ok": self.ok, "lag_s": lag}


_lock = threading.Lock()
_known: dict[str, ReplicaHealth] = {}
_checked_at: float | None = None


def replica_aliases() -> list[str]:
    return list(getattr(settings, "REPLICA_ALIASES", []))


def check(alias: str) -> ReplicaHealth:
    """Ask the replica itself, now, on a connection of its own."""
    params = connections[alias].get_connection_params()
    params["connect_timeout"] = CONNECT_TIMEOUT_S
    try:
        with psycopg.connect(**params, autocommit=True) as conn:
            in_recovery, lag = conn.execute(LAG_SQL).fetchone()
    except psycopg.Error:
        return ReplicaHealth(alias, ok=False, lag_s=None)
    lag = None if lag is None else float(lag)
    ok = bool(in_recovery) and lag is not None and lag <= settings.REPLICA_MAX_LAG_S
    return ReplicaHealth(alias, ok=ok, lag_s=lag)


def refresh() -> list[ReplicaHealth]:
    """Check every replica now and remember the answers."""
    global _checked_at
    found = [check(alias) for alias in replica_aliases()]
    _known.update({state.alias: state for state in found})
    _checked_at = time.monotonic()
    return found


def mark_down(alias: str) -> None:
    """A request found the replica failing: skip it until a check finds it well."""
    _known[alias] = ReplicaHealth(alias, ok=False, lag_s=None)


def forget() -> None:
    """Forget every answer (the next request checks again)."""
    global _checked_at
    _known.clear()
    _checked_at = None


def states() -> list[ReplicaHealth]:
    """The last answers, checked again first when they are older than DJANGO_REPLICA_CHECK_S."""
    if _checked_at is None or time.monotonic() - _checked_at >= settings.REPLICA_CHECK_S:
        if _lock.acquire(blocking=_checked_at is None):
            try:
                refresh()
            finally:
                _lock.release()
    return [_known.get(alias, ReplicaHealth(alias, ok=False, lag_s=None)) for alias in replica_aliases()]


def healthy() -> list[str]:
    return [state.alias for state in states() if state.ok]
