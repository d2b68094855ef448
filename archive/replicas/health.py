"""Which replicas may serve reads now: those that answer and lag no more than DJANGO_REPLICA_MAX_LAG_S.

Each process checks every replica at most once every DJANGO_REPLICA_CHECK_S seconds, on short
connections of its own (never the request's, never the pool's: a replica that is down must cost a
refused connection, not a pool's wait), in whichever request finds the last check too old; the other
requests meanwhile use the last answer. A replica that fails is skipped until a check finds it well.

Lag, in seconds, is the larger of two measures:
- as the replica sees it: none while it streams and has replayed all it received, otherwise the age
  of the last transaction it replayed;
- against the primary: each check records the primary's WAL position; a replica that has not yet
  replayed a position the primary had at time T is at least now − T behind. This catches a stream
  that stalled (the replica has replayed all it received, but receives nothing).
"""

from __future__ import annotations

import collections
import threading
import time
from dataclasses import dataclass

import psycopg
from django.conf import settings
from django.db import connections

from config import embedded_pg

REPLICA_SQL = (
    "SELECT pg_is_in_recovery(), pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::bigint, "
    f"{embedded_pg.LAG_EXPRESSION}"
)
PRIMARY_SQL = "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint"
CONNECT_TIMEOUT_S = 2
CHECK_OPTIONS = "-c statement_timeout=2000"  # a replica that hangs costs a check 2 s, never more


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
_primary_positions: collections.deque = collections.deque(maxlen=3600)  # (monotonic time, WAL position)


def replica_aliases() -> list[str]:
    return list(getattr(settings, "REPLICA_ALIASES", []))


def _ask(alias: str, sql: str) -> tuple | None:
    """One row from the server behind `alias`, on a connection of its own; None if it does not answer."""
    params = connections[alias].get_connection_params()
    params.update(connect_timeout=CONNECT_TIMEOUT_S, options=CHECK_OPTIONS)
    try:
        with psycopg.connect(**params, autocommit=True) as conn:
            return conn.execute(sql).fetchone()
    except psycopg.Error:
        return None


def lag_behind_primary(replayed: int, now: float) -> float:
    """Seconds since the earliest recorded primary position the replica has not replayed (0: none)."""
    return next((now - at for at, position in _primary_positions if position > replayed), 0.0)


def check(alias: str, now: float | None = None) -> ReplicaHealth:
    """Ask the replica itself, now."""
    row = _ask(alias, REPLICA_SQL)
    if row is None:
        return ReplicaHealth(alias, ok=False, lag_s=None)
    in_recovery, replayed, own_lag = row
    if own_lag is None or replayed is None:
        return ReplicaHealth(alias, ok=False, lag_s=None)
    lag = max(float(own_lag), lag_behind_primary(replayed, now or time.monotonic()))
    return ReplicaHealth(alias, ok=bool(in_recovery) and lag <= settings.REPLICA_MAX_LAG_S, lag_s=lag)


def refresh() -> list[ReplicaHealth]:
    """Record the primary's position, check every replica now and remember the answers."""
    global _checked_at
    now = time.monotonic()
    primary = _ask("default", PRIMARY_SQL)
    if primary is not None:
        _primary_positions.append((now, primary[0]))
    found = [check(alias, now) for alias in replica_aliases()]
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
    _primary_positions.clear()
    _checked_at = None


def _stale() -> bool:
    return _checked_at is None or time.monotonic() - _checked_at >= settings.REPLICA_CHECK_S


def states() -> list[ReplicaHealth]:
    """The last answers, checked again first when they are older than DJANGO_REPLICA_CHECK_S (by one
    request; the others use the last answers meanwhile, except before the first check)."""
    if _stale() and _lock.acquire(blocking=_checked_at is None):
        try:
            if _stale():  # another thread may have checked while this one waited
                refresh()
        finally:
            _lock.release()
    return [_known.get(alias, ReplicaHealth(alias, ok=False, lag_s=None)) for alias in replica_aliases()]


def healthy() -> list[str]:
    return [state.alias for state in states() if state.ok]
