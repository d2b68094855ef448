"""A real hot standby of the test database's server, and the alias `replica_1` that reads from it.

`standby` (one per test module that asks for it) makes the standby with `pg_basebackup -R` from the
embedded server the tests run on, registers it as the read replica `replica_1` (its NAME is the test
database's: a standby holds every database of its primary), and removes it afterwards.
Tests that use it commit their rows (`transaction=True`) and wait for the standby to replay them.
"""

from __future__ import annotations

import os
import time

import psycopg
import pytest
from django.db import connections
from django.test import override_settings

from archive.replicas import health
from config import embedded_pg

ALIAS = "replica_1"
REPLICA_DB = pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=["default", ALIAS])


def superuser_connection(port: str, dbname: str = "postgres") -> psycopg.Connection:
    return psycopg.connect(
        host=str(embedded_pg.SOCKET_DIR), port=port, user="postgres", dbname=dbname, autocommit=True
    )


def primary_lsn() -> str:
    with superuser_connection(embedded_pg.PORT) as conn:
        return conn.execute("SELECT pg_current_wal_lsn()::text").fetchone()[0]


def wait_for_replay(server: embedded_pg.Standby, timeout: float = 30.0) -> None:
    """Until the standby has replayed everything the primary committed before this call."""
    target = primary_lsn()
    deadline = time.monotonic() + timeout
    with superuser_connection(server.port) as conn:
        while time.monotonic() < deadline:
            if conn.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]).fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError(f"the standby did not replay {target} within {timeout} s")


def set_replay_paused(server: embedded_pg.Standby, paused: bool) -> None:
    with superuser_connection(server.port) as conn:
        conn.execute("SELECT pg_wal_replay_pause()" if paused else "SELECT pg_wal_replay_resume()")


@pytest.fixture(scope="module")
def standby(django_db_setup, django_db_blocker):
    """The running standby, registered as `replica_1` for this module's tests."""
    if os.environ.get("DATABASE_URL"):
        pytest.skip("the standby is made from the embedded server; DATABASE_URL names another")
    bindir = embedded_pg.find_bindir()
    server = embedded_pg.Standby(name="test_standby", port=str(int(embedded_pg.PORT) + 7))
    server.remove(bindir)
    server.start(bindir)
    embedded_pg.wait_until_streaming(bindir, server)
    entry = dict(connections["default"].settings_dict)
    entry.update(PORT=server.port, TEST={**entry["TEST"], "MIRROR": "default"})
    connections.settings[ALIAS] = entry
    replicas = override_settings(REPLICA_ALIASES=[ALIAS], REPLICA_CHECK_S=0.2)
    replicas.enable()
    health.forget()
    try:
        yield server
    finally:
        replicas.disable()
        health.forget()
        connections[ALIAS].close()
        del connections[ALIAS]
        del connections.settings[ALIAS]
        server.remove(bindir)


def replica_ready(server: embedded_pg.Standby) -> None:
    """After writes: the standby has replayed them and the next request's check finds it well."""
    wait_for_replay(server)
    health.refresh()
