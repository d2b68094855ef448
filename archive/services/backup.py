"""Backups: pg_dump (custom format) of the archive's database, restore into any database, and a checksum."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from django.db import connections

from config import embedded_pg

# Everything an archive is: which articles, their text, dates and status, and where they are filed (and
# how each tag came).
CHECKSUM_SQL = """
SELECT count(*), coalesce(md5(string_agg(row_text, E'\\n' ORDER BY id)), '')
FROM (
    SELECT a.id, concat_ws(E'\\t', a.id, a.headline, a.body, a.published_on, a.published_at, a.status,
        (SELECT string_agg(place_id || ':' || provenance, ',' ORDER BY place_id)
         FROM archive_article_places WHERE article_id = a.id),
        (SELECT string_agg(topic_id || ':' || provenance, ',' ORDER BY topic_id)
         FROM archive_article_topics WHERE article_id = a.id)
    ) AS row_text
    FROM archive_article a
) rows
"""


class BackupError(RuntimeError):
    """pg_dump or pg_restore failed; the message carries their own words."""


def _tool(name: str) -> str:
    bindir = embedded_pg.find_bindir()
    candidate = bindir / name if bindir else None
    found = str(candidate) if candidate and candidate.exists() else shutil.which(name)
    if not found:
        raise BackupError(f"{name} not found: install postgresql-client (or set PG_BINDIR)")
    return found


def _connection_args(alias: str = "default", dbname: str | None = None) -> tuple[list[str], dict]:
    settings = connections[alias].settings_dict
    args = ["--dbname", dbname or settings["NAME"]]
    if settings.get("HOST"):
        args += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", settings["USER"]]
    env = {**os.environ, **({"PGPASSWORD": settings["PASSWORD"]} if settings.get("PASSWORD") else {})}
    return args, env


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def dump(path: Path, *, dbname: str | None = None) -> Path:
    """A custom-format dump of the database (the current one unless `dbname`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    args, env = _connection_args(dbname=dbname)
    _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(path), *args], env)
    return path


def restore(path: Path, *, dbname: str | None = None) -> None:
    """Replace the database's contents (the current one unless `dbname`) with the dump's."""
    if not path.is_file():
        raise BackupError(f"{path}: no such backup file")
    args, env = _connection_args(dbname=dbname)
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            *args,
            str(path),
        ],
        env,
    )


def checksum(dbname: str | None = None) -> tuple[int, str]:
    """(article count, md5 over id, headline, body, dates, status, place ids and topic ids)."""
    import psycopg

    settings = connections["default"].settings_dict
    with psycopg.connect(
        dbname=dbname or settings["NAME"],
        host=settings.get("HOST") or None,
        port=settings.get("PORT") or None,
        user=settings.get("USER") or None,
        password=settings.get("PASSWORD") or None,
    ) as conn:
        return conn.execute(CHECKSUM_SQL).fetchone()
