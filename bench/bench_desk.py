"""The researcher's desk at Reuters-21578's size: freezing result sets, their data package, what changed.

Into a fresh database (archive_bench_desk): the 22 Reuters files (`--no-find`), then per query: the
exact count, the first freeze (a version is recorded for each article, as for imported articles that
have none), a second freeze (the versions reused), the data package built, "what changed since", and
a saved search's new-match count. Run with `make bench-desk`. A benchmark: figures vary with load.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import bench_import

ROOT = Path(__file__).resolve().parents[1]
REUTERS = ROOT.parent / "shared" / "data" / "reuters21578"
BENCH_DB = "archive_bench_desk"
QUERIES = ("coffee", "oil", "bank", "company")


def load() -> None:
    bench_import.recreate_database(BENCH_DB)
    env = {**os.environ, "DJANGO_DB_NAME": BENCH_DB}
    bench_import.manage("migrate", "--noinput", env=env)
    files = sorted(str(path) for path in REUTERS.glob("reut2-*.sgm"))
    started = time.perf_counter()
    bench_import.manage("import_articles", "--no-find", *files, env=env)
    print(f"Reuters-21578 imported in {time.perf_counter() - started:.1f} s")


def timed(action, *args, **kwargs):
    """(what `action(*args, **kwargs)` returned, milliseconds it took)."""
    started = time.perf_counter()
    result = action(*args, **kwargs)
    return result, (time.perf_counter() - started) * 1000


def main() -> None:
    load()  # sets Django up on the default database, to create the bench one
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.db import connection

    connection.close()  # from here on, the bench database
    settings.DATABASES["default"]["NAME"] = connection.settings_dict["NAME"] = BENCH_DB
    from django.http import QueryDict

    from archive.desk import datapackage, saved_searches, snapshots
    from archive.search import run

    owner = User.objects.create_user("bench@example.org", "bench@example.org")
    print(
        "| query | matches | first freeze ms | second freeze ms | package ms (MB) | changes ms "
        "| new-match count ms |"
    )
    print("|---|---|---|---|---|---|---|")
    for q in QUERIES:
        total = run(QueryDict(f"q={q}")).total
        if total > snapshots.MAX_SNAPSHOT:
            print(f"| {q} | {total:,} | refused: more than {snapshots.MAX_SNAPSHOT:,} | | | | |")
            continue
        first, first_ms = timed(snapshots.snapshot_freeze, owner=owner, query_string=f"q={q}")
        _, second_ms = timed(snapshots.snapshot_freeze, owner=owner, query_string=f"q={q}")
        data, package_ms = timed(datapackage.package_zip, first, "http://localhost")
        _, changes_ms = timed(snapshots.changes_since, first, viewer=owner)
        saved = saved_searches.saved_search_create(owner=owner, query_string=f"q={q}")
        _, count_ms = timed(saved_searches.new_match_count, saved)
        print(
            f"| {q} | {total:,} | {first_ms:,.0f} | {second_ms:,.0f} | {package_ms:,.0f} "
            f"({len(data) / 1e6:.1f}) | {changes_ms:,.0f} | {count_ms:,.1f} |"
        )


if __name__ == "__main__":
    main()
