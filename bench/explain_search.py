"""EXPLAIN ANALYZE every statement one search page runs, slowest first, against the bench corpus.

    .venv/bin/python bench/explain_search.py 'q=said'            # the HTML page
    .venv/bin/python bench/explain_search.py 'q=said' --api      # /api/search/
    .venv/bin/python bench/explain_search.py 'place=usa' --top 3 --plans

Prints each statement's replayed time and (with --plans) its plan; nothing is changed.
"""

from __future__ import annotations

import argparse
import re

import psycopg
from bench_search import replay, setup_django, timed_get
from search_corpus import connect


def explain(pg: psycopg.Connection, sql: str, params, settings: list[str]) -> str:
    """The plan as run: after the page's own SET LOCAL statements (work_mem, parallel costs)."""
    with pg.transaction(force_rollback=True), psycopg.ClientCursor(pg) as cursor:
        for setting in settings:
            cursor.execute(setting)
        statement = f"EXPLAIN (ANALYZE, BUFFERS) {sql}"
        cursor.execute(statement) if params is None else cursor.execute(statement, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("query_string")
    parser.add_argument("--api", action="store_true")
    parser.add_argument("--top", type=int, default=5)
    parser.add_argument("--plans", action="store_true")
    args = parser.parse_args()
    setup_django()
    from django.test import Client

    client, pg = Client(SERVER_NAME="localhost"), connect()
    path = f"/{'api/' if args.api else ''}search/?{args.query_string}"
    elapsed, status, statements = timed_get(client, path)
    total, times, count = replay(pg, statements)
    print(f"{path}: {status}, full stack {elapsed:,.0f} ms, SQL {total:,.0f} ms, {count} matches")
    ranked = sorted(zip(times, statements, strict=True), key=lambda pair: -pair[0])
    for ms, (sql, params) in ranked[: args.top]:
        print(f"\n--- {ms:,.1f} ms: {sql[:300]}{'…' if len(sql) > 300 else ''}")
        if args.plans and re.sub(r"^\s*/\*.*?\*/", "", sql).lstrip().upper().startswith(("SELECT", "WITH")):
            settings = [s for s, _ in statements if s.lstrip().upper().startswith("SET LOCAL")]
            print(explain(pg, sql, params, settings))


if __name__ == "__main__":
    main()
