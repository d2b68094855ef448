"""Benchmark: import all 22 Reuters-21578 files into a fresh database holding only the demo fixtures.

Prints the wall-clock time of `manage.py import_articles` (Django start-up included, GIN index present at
the end) and articles per second; then the same again (an idempotent re-run that changes nothing).
Run with `make bench-import`. A benchmark, not a test: figures vary with the machine's load.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[1]
REUTERS = ROOT.parent / "shared" / "data" / "reuters21578"
BENCH_DB = "archive_bench_import"


def manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )


def recreate_database(name: str = BENCH_DB) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")
        cursor.execute(f"CREATE DATABASE {name}")
    connection.close()


def timed_import(env: dict) -> tuple[float, str]:
    files = sorted(str(p) for p in REUTERS.glob("reut2-*.sgm"))
    started = time.perf_counter()
    result = manage("import_articles", *files, env=env)
    return time.perf_counter() - started, result.stdout.strip().splitlines()[-2]


def main() -> None:
    recreate_database()
    env = {**os.environ, "DJANGO_DB_NAME": BENCH_DB}
    manage("migrate", "--noinput", env=env)
    manage("load_demo", env=env)
    seconds, summary = timed_import(env)
    print(f"first import:  {seconds:6.1f} s  {21578 / seconds:8,.0f} articles/s   {summary}")
    seconds, summary = timed_import(env)
    print(f"re-import:     {seconds:6.1f} s  {21578 / seconds:8,.0f} records/s    {summary}")


if __name__ == "__main__":
    main()
