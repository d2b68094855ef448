"""The life of an import run: one at a time, a heartbeat while it works, and runs whose process died.

Imports and undos take one PostgreSQL advisory lock, so two never write at once; a run killed
part-way (SIGKILL, a lost machine) stops beating, and the next look at the runs marks it interrupted.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import DatabaseError, connection, connections
from django.utils import timezone

from archive.models import ImportRun

# Every import and undo holds this session-level advisory lock (an arbitrary constant of the project).
IMPORT_LOCK_KEY = 7_311_202_201
HEARTBEAT_SECONDS = 5
# A run without a heartbeat for this long has lost its process (only other machines need the wait).
STALE_AFTER = dt.timedelta(seconds=60)
_WORKING: set[int] = set()  # runs this process is carrying out (its heartbeat is running)


def describe(error: BaseException) -> str:
    """An error in a few words for a run's report."""
    if isinstance(error, KeyboardInterrupt):
        return "stopped by the operator"
    text = str(error).strip().splitlines()[0][:200] if str(error).strip() else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _try_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [IMPORT_LOCK_KEY])
        return cursor.fetchone()[0]


@contextmanager
def import_lock(*, waiting: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the archive's import lock; if another run holds it, say so through `waiting` and wait."""
    if not _try_lock():
        mark_interrupted_runs()
        if waiting is not None:
            waiting(_holder_description())
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [IMPORT_LOCK_KEY])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [IMPORT_LOCK_KEY])


def _holder_description() -> str:
    writing = (ImportRun.Status.RUNNING, ImportRun.Status.UNDOING)
    active = ImportRun.objects.filter(status__in=writing).order_by("started").first()
    what = (
        f" import #{active.pk} ({active.status} since {active.started:%Y-%m-%d %H:%M} UTC)" if active else ""
    )
    return f"Another import is writing{what}; this one waits for it to finish."


def claim(run: ImportRun, *, status: str, progress: str, unless: str | None = None) -> bool:
    """Record that this process now works on `run` (not when its status is `unless`); whether it did."""
    fields = {
        "status": status,
        "progress": progress,
        "heartbeat": timezone.now(),
        "host": socket.gethostname(),
        "pid": os.getpid(),
    }
    runs = ImportRun.objects.filter(pk=run.pk)
    if unless is not None:
        runs = runs.exclude(status=unless)
    if not runs.update(**fields):
        return False
    for name, value in fields.items():
        setattr(run, name, value)
    return True


def beat(run_pk: int, progress: str | None = None, counts: dict | None = None) -> None:
    """A sign of life, with what the run is doing now and its counts so far."""
    fields = {"heartbeat": timezone.now()}
    if progress is not None:
        fields["progress"] = progress[:300]
    if counts is not None:
        fields["counts"] = counts
    ImportRun.objects.filter(pk=run_pk).update(**fields)


class Heartbeat:
    """Beats for a run every few seconds on its own connection, whatever the run's threads are doing."""

    def __init__(self, run_pk: int | None):
        self.run_pk, self._stop = run_pk, threading.Event()
        self._thread = threading.Thread(target=self._loop, name="import-heartbeat", daemon=True)

    def __enter__(self) -> Heartbeat:
        if self.run_pk is not None:
            _WORKING.add(self.run_pk)
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        _WORKING.discard(self.run_pk)
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _loop(self) -> None:
        try:
            while not self._stop.wait(HEARTBEAT_SECONDS):
                try:
                    beat(self.run_pk)
                except DatabaseError:  # a passing fault: the next beat tries again on a new connection
                    connections.close_all()
        finally:
            connections.close_all()


def _process_is_gone(run: ImportRun) -> bool:
    if run.heartbeat is None or run.heartbeat < timezone.now() - STALE_AFTER:
        return True
    if run.host != socket.gethostname() or not run.pid:
        return False
    try:
        os.kill(run.pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # alive, and another user's
    return False


def mark_interrupted_runs() -> list[int]:
    """Runs still marked active whose process is gone become "interrupted"; their ids."""
    interrupted = []
    for run in ImportRun.objects.filter(status__in=ImportRun.ACTIVE):
        if run.pk in _WORKING:
            continue  # this very process is working on it
        if run.status == ImportRun.Status.QUEUED and run.heartbeat is None:
            if run.started > timezone.now() - STALE_AFTER:
                continue  # its job may still be starting
        elif not _process_is_gone(run):
            continue
        last = f"{run.heartbeat:%Y-%m-%d %H:%M:%S} UTC" if run.heartbeat else "before it began"
        what = "undo" if run.status == ImportRun.Status.UNDOING else "import"
        note = (
            f"\nInterrupted: the {what}'s process stopped (last sign of life {last}). Every batch it "
            "finished is kept: run the same import again to complete it (nothing is doubled), or undo it."
        )
        updated = ImportRun.objects.filter(pk=run.pk, status=run.status, heartbeat=run.heartbeat).update(
            status=ImportRun.Status.INTERRUPTED, progress="Interrupted.", report=run.report + note
        )
        if updated:
            interrupted.append(run.pk)
    return interrupted
