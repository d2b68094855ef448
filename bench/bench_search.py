"""Benchmark: the search page at N articles (default 1,000,000), beside SQLite FTS5 and tantivy peers.

1. Corpus: Reuters-21578 imported by the app, replicated with shifted dates (bench/search_corpus.py):
   --corpus varied (default; per-copy rare words, 15 % French or Spanish labels, `archive_bench_search`)
   or --corpus plain (copied word for word, English only, `archive_bench_plain`); reused when it has
   N articles. The peers' files are built from it once and reused too.
2. Query mix (bench/search_queries.py): selective / moderate / broad / very broad words, phrases and
   proximity, filters without q, q + filters, field scopes (headline:word), exact mode (exact=true,
   stop words included), exclusion (word -other), and page 5,000 of the very broad queries.
3. Per query: GET /search/?… through the whole Django stack in-process (django.test.Client, no app
   cache, persistent database connection), its SQL captured and replayed through psycopg (sum of
   the statements' times), the API /api/search/, and the peers: SQLite FTS5 (bench/sqlite_peer.py)
   and tantivy (bench/tantivy_peer.py), each doing the page's work as a user of that engine would
   write it. With --runs N (default 5) page, replay, API and peers alternate N times and each query
   counts with the median of its runs: a single run's p95 minus another single run's p95
   measured the database's run-to-run variance (±100 ms on a 400 ms statement here), not the app.
   The first run's figures are kept beside them (CSV, and the "first run" table).
4. Output: a table per class on stdout and in bench/results/search-<N>.txt, raw rows in
   bench/results/search-<N>.csv.

Run with `make bench-search` or `.venv/bin/python bench/bench_search.py --articles 50000`.
A benchmark, not a test: figures vary with the machine's load.
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import io
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import search_corpus
import search_queries
import search_stories
import sqlite_peer
import tantivy_peer
from search_corpus import ROOT, connect, log

RESULTS = ROOT / "bench" / "results"
# p95 targets in ms per class; the deep page is judged against page 1 of the same queries instead.
TARGETS = {
    "selective": 150,
    "moderate": 150,
    "filters, no q": 150,
    "broad": 400,
    "very broad": 1500,
}
OVERHEAD_TARGET_MS = 40
DEEP_PAGE_FACTOR = 2.0
COLLAPSED_FACTOR = 1.5  # collapse=story: p95 within 1.5x of the same queries uncollapsed (issue 20)
PUBLIC_TIMEOUT_MS = 5000  # the app's default DJANGO_STATEMENT_TIMEOUT_MS, per statement


@dataclass
class Row:
    """One query's measurements (milliseconds)."""

    klass: str
    query_string: str
    matches: int | None = None
    status: int = 0
    full_stack_ms: float = 0.0
    sql_ms: float = 0.0
    statements: int = 0
    api_ms: float | None = None
    sqlite_ms: float | None = None
    sqlite_matches: int | None = None
    tantivy_ms: float | None = None
    tantivy_matches: int | None = None
    statement_ms: list[float] = field(default_factory=list)
    first_full_ms: float = 0.0
    first_sql_ms: float = 0.0
    # --collapse: the same query with collapse=story, measured in the same alternation
    stories: int | None = None
    collapsed_full_ms: float | None = None
    collapsed_sql_ms: float | None = None


def setup_django() -> None:
    """Django against the bench database: no debug, persistent connection, no rate limit or timeout."""
    os.environ["DJANGO_DB_NAME"] = search_corpus.BENCH_DB
    os.environ["DJANGO_CONN_MAX_AGE"] = "3600"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "localhost"
    # One client hammering the site: the per-client rate limits would answer 429; the public statement
    # timeout (5 s) would turn the slowest searches into 503s instead of measuring them (see report).
    os.environ["DJANGO_RATE_LIMITS"] = "0"
    os.environ["DJANGO_STATEMENT_TIMEOUT_MS"] = "0"
    os.environ.pop("DJANGO_DB_POOL", None)
    os.environ.pop("DJANGO_DEBUG", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from config.startup import load_and_freeze

    load_and_freeze()  # as config/wsgi.py does in every gunicorn worker


class SqlRecorder:
    """An execute_wrapper keeping every statement (SQL and params) the request ran."""

    def __init__(self):
        self.statements: list[tuple[str, object]] = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append((sql, params))
        return execute(sql, params, many, context)


def timed_get(client, path: str) -> tuple[float, int, list[tuple[str, object]]]:
    """Milliseconds for one GET through the whole stack, its status and the statements it ran."""
    from django.db import connection

    recorder = SqlRecorder()
    with connection.execute_wrapper(recorder):
        started = time.perf_counter()
        response = client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
    return elapsed, response.status_code, recorder.statements


def replay(pg: psycopg.Connection, statements) -> tuple[float, list[float], int | None]:
    """Run the captured statements directly (one transaction, rolled back): total ms, each ms, the count."""
    times, count = [], None
    with pg.transaction(force_rollback=True), psycopg.ClientCursor(pg) as cursor:
        for sql, params in statements:
            started = time.perf_counter()
            if params is None:
                cursor.execute(sql)
            else:
                cursor.execute(sql, params)
            rows = cursor.fetchall() if cursor.description else []
            times.append((time.perf_counter() - started) * 1000)
            if count is not None:  # the page's own count comes first (a timeline total may follow)
                continue
            if '"__count"' in sql and rows:
                count = rows[0][0]
            elif ("/* match summary */" in sql or "/* browse counts" in sql) and rows:
                count = sum(n for _, n in rows[0][0] or [])  # the count is the sum of the matches per day
    return sum(times), times, count


def warm_database(pg: psycopg.Connection) -> float:
    """Fill the buffers: pg_prewarm of the tables and indexes when available, else full scans."""
    started = time.perf_counter()
    relations = pg.execute(
        """SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i', 'm', 't')
             AND (c.relname LIKE 'archive_%' OR c.relname LIKE 'article_%' OR c.relname LIKE '%closure%')
           ORDER BY c.relkind = 'i', pg_relation_size(c.oid) DESC"""
    ).fetchall()
    try:  # pg_prewarm is not a trusted extension: the embedded server's superuser creates it
        with connect(user="postgres", autocommit=True) as admin:
            admin.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
    except psycopg.Error:
        pass
    try:
        for (name,) in relations:
            pg.execute("SELECT pg_prewarm(%s::regclass)", [name])
        toast = pg.execute(
            "SELECT reltoastrelid::regclass::text FROM pg_class WHERE relname = 'archive_article'"
        ).fetchone()[0]
        if toast and toast != "-":
            pg.execute("SELECT pg_prewarm(%s::regclass)", [toast])
    except psycopg.Error:
        pg.rollback()
        for table in ("archive_article", "archive_article_places", "archive_article_topics"):
            pg.execute(f"SELECT count(*) FROM {table}")
    pg.commit()
    return time.perf_counter() - started


def machine_context(pg: psycopg.Connection, articles: int) -> str:
    settings = ", ".join(
        f"{name}={pg.execute(f'SHOW {name}').fetchone()[0]}"
        for name in ("shared_buffers", "work_mem", "effective_cache_size", "random_page_cost", "jit")
    )
    version = pg.execute("SHOW server_version").fetchone()[0]
    size = pg.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"search benchmark: {articles:,} articles; {os.cpu_count()} cores, load average {load}\n"
        f"PostgreSQL {version} ({size} database): {settings}\n"
        f"SQLite {sqlite_peer.sqlite3.sqlite_version} FTS5 (porter); "
        f"tantivy {importlib.metadata.version('tantivy')} "
        f"(en_stem); Python {sys.version.split()[0]}"
    )


def measure(
    client, pg, peers: dict, query: search_queries.Query, *, runs: int, collapse: bool = False
) -> Row:
    """Full stack, SQL replay, the API and each peer, alternating `runs` times (medians kept); with
    `collapse`, the collapse=story page and its replay after each run of the plain one."""
    row = Row(query.klass, query.query_string)
    full, sql, each, collapsed_full, collapsed_sql, api = [], [], [], [], [], []
    peer_runs: dict[str, list] = {name: [] for name in peers}
    for _ in range(runs):
        elapsed, row.status, statements = timed_get(client, f"/search/?{query.query_string}")
        full.append(elapsed)
        replayed, statement_ms, row.matches = replay(pg, statements)
        sql.append(replayed)
        each.append(statement_ms)
        if collapse:
            elapsed, status, collapsed = timed_get(client, f"/search/?{query.query_string}&collapse=story")
            row.status = max(row.status, status)
            collapsed_full.append(elapsed)
            replayed, _, row.stories = replay(pg, collapsed)
            collapsed_sql.append(replayed)
        api.append(timed_get(client, f"/api/search/?{query.query_string}")[0])
        for name, (module, handle) in peers.items():
            peer_runs[name].append(module.run_page(handle, query.params))
    if collapse:
        row.collapsed_full_ms, row.collapsed_sql_ms = (
            statistics.median(collapsed_full),
            statistics.median(collapsed_sql),
        )
    row.full_stack_ms, row.sql_ms = statistics.median(full), statistics.median(sql)
    row.statement_ms = each[sql.index(statistics.median_low(sql))]  # the statements of the median replay
    row.first_full_ms, row.first_sql_ms = full[0], sql[0]
    row.statements = len(statements)
    row.api_ms = statistics.median(api)
    for name, timings in peer_runs.items():
        seconds = [t for t, _ in timings if t is not None]
        setattr(row, f"{name}_matches", timings[0][1])
        setattr(row, f"{name}_ms", statistics.median(seconds) * 1000 if seconds else None)
    return row


def measure_mix(client, pg, peers, mix, args) -> tuple[list[Row], dict[str, int]]:
    """Every query, class by class; a class stops early once it has used --class-budget seconds.

    The raw CSV is rewritten after each class, so a run that is stopped still leaves its rows.
    """
    rows: list[Row] = []
    skipped: dict[str, int] = {}
    for klass in dict.fromkeys(q.klass for q in mix):
        queries = [q for q in mix if q.klass == klass]
        class_started = time.perf_counter()
        for done, query in enumerate(queries):
            if time.perf_counter() - class_started > args.class_budget:
                skipped[klass] = len(queries) - done
                break
            rows.append(measure(client, pg, peers, query, runs=args.runs, collapse=args.collapse))
        measured = len(queries) - skipped.get(klass, 0)
        log(f"  {klass}: {measured} queries in {time.perf_counter() - class_started:.0f} s")
        write_csv(RESULTS / f"{result_name(args)}.csv", rows)
    return rows, skipped


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (p95 of 30 values is the 29th)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


def class_summary(rows: list[Row]) -> dict:
    full = [r.full_stack_ms for r in rows]
    sql = [r.sql_ms for r in rows]
    peer = [r.sqlite_ms for r in rows if r.sqlite_ms is not None]
    inverted = [r.tantivy_ms for r in rows if r.tantivy_ms is not None]
    api = [r.api_ms for r in rows if r.api_ms is not None]
    matches = [r.matches or 0 for r in rows]
    return {
        "n": len(rows),
        "matches": (min(matches), int(statistics.median(matches)), max(matches)),
        "full_p50": percentile(full, 0.5),
        "full_p95": percentile(full, 0.95),
        "full_max": max(full),
        "sql_p50": percentile(sql, 0.5),
        "sql_p95": percentile(sql, 0.95),
        "overhead": percentile(full, 0.95) - percentile(sql, 0.95),
        "sqlite_p50": percentile(peer, 0.5) if peer else None,
        "sqlite_p95": percentile(peer, 0.95) if peer else None,
        "tantivy_p50": percentile(inverted, 0.5) if inverted else None,
        "tantivy_p95": percentile(inverted, 0.95) if inverted else None,
        "api_p50": percentile(api, 0.5) if api else None,
        "api_p95": percentile(api, 0.95) if api else None,
        "errors": sum(1 for r in rows if r.status != 200),
        "over_timeout": sum(1 for r in rows if max(r.statement_ms or [0]) > PUBLIC_TIMEOUT_MS),
    }


def verdict(klass: str, summary: dict, page_one: dict | None) -> str:
    """Which targets the class misses (p95 per class, deep page vs page 1, app overhead)."""
    misses = []
    target = TARGETS.get(klass)
    if target and summary["full_p95"] > target:
        misses.append(f"p95 > {target} ms")
    if klass == "page 5000" and page_one and summary["full_p95"] > DEEP_PAGE_FACTOR * page_one["full_p95"]:
        misses.append(f"p95 {summary['full_p95'] / page_one['full_p95']:.1f}x page 1")
    if summary["overhead"] > OVERHEAD_TARGET_MS:
        misses.append(f"overhead > {OVERHEAD_TARGET_MS} ms")
    if summary["over_timeout"]:
        misses.append(f"{summary['over_timeout']} over the 5 s public timeout (503 in production)")
    if summary["errors"]:
        misses.append(f"{summary['errors']} non-200")
    return "; ".join(misses) or "ok"


def fmt(value: float | None, digits: int = 0) -> str:
    return "n/a" if value is None else f"{value:,.{digits}f}"


def summary_table(rows: list[Row]) -> str:
    """The per-class table: full stack, SQL sum, overhead, SQLite and ratio, API, targets."""
    classes = list(dict.fromkeys(r.klass for r in rows))
    summaries = {k: class_summary([r for r in rows if r.klass == k]) for k in classes}
    out = io.StringIO()
    header = (
        f"{'class':<14} {'n':>3} {'matches min/med/max':>26} | {'full p50':>8} {'p95':>7} {'max':>7} | "
        f"{'SQL p50':>7} {'p95':>7} | {'ovh p95':>7} | {'SQLite p50':>10} {'p95':>7} {'PG/SQLite':>9} | "
        f"{'API p50':>7} {'p95':>7} | targets"
    )
    out.write(header + "\n" + "-" * len(header) + "\n")
    for klass, s in summaries.items():
        ratio = s["full_p50"] / s["sqlite_p50"] if s["sqlite_p50"] else None
        matches = "/".join(f"{m:,}" for m in s["matches"])
        out.write(
            f"{klass:<14} {s['n']:>3} {matches:>26} | {fmt(s['full_p50']):>8} {fmt(s['full_p95']):>7} "
            f"{fmt(s['full_max']):>7} | {fmt(s['sql_p50']):>7} {fmt(s['sql_p95']):>7} | "
            f"{fmt(s['overhead']):>7} | {fmt(s['sqlite_p50']):>10} {fmt(s['sqlite_p95']):>7} "
            f"{fmt(ratio, 1) + 'x' if ratio else 'n/a':>9} | {fmt(s['api_p50']):>7} {fmt(s['api_p95']):>7} | "
            f"{verdict(klass, s, summaries.get('very broad'))}\n"
        )
    out.write(
        "times in ms; full = GET /search/ in-process (HTML page: results, exact count, facets); "
        "SQL = the same statements replayed via psycopg; ovh = full p95 - SQL p95; "
        "PG/SQLite = full p50 / SQLite p50; page 5000 is compared with 'very broad' (page 1 of the same q)\n"
    )
    return out.getvalue()


PEERS = {"sqlite": sqlite_peer, "tantivy": tantivy_peer}
TANTIVY_FACTOR = 10  # issue 21: within 10x of tantivy on every class


def _peer_percentiles(picked: list[Row]) -> dict[str, tuple]:
    """(p50, p95) of our page, our API and each peer over one class's rows."""
    series = {
        "page": [r.full_stack_ms for r in picked],
        "api": [r.api_ms for r in picked if r.api_ms is not None],
        "sqlite": [r.sqlite_ms for r in picked if r.sqlite_ms is not None],
        "tantivy": [r.tantivy_ms for r in picked if r.tantivy_ms is not None],
    }
    return {k: (percentile(v, 0.5), percentile(v, 0.95)) if v else (None, None) for k, v in series.items()}


def _peer_verdict(p: dict[str, tuple]) -> str:
    """Ahead of SQLite (page and API, p50 and p95), and within 10x of tantivy — or what is not."""
    misses = []
    for ours in ("page", "api"):
        if p[ours][0] is None:
            continue
        if p["sqlite"][0] is not None and any(p[ours][i] >= p["sqlite"][i] for i in (0, 1)):
            misses.append(f"{ours} behind SQLite")
        if p["tantivy"][0] is not None and any(p[ours][i] > TANTIVY_FACTOR * p["tantivy"][i] for i in (0, 1)):
            misses.append(f"{ours} over {TANTIVY_FACTOR}x tantivy")
    return "; ".join(misses) or "ok"


def peers_table(rows: list[Row]) -> str:
    """Per class, p50 / p95: our page and API beside the peers, and whether ours is ahead of SQLite
    (page and API, both percentiles) and within 10x of tantivy."""
    out = io.StringIO()
    header = (
        f"{'class':<14} | {'page':>13} | {'API':>13} | {'SQLite':>13} | {'tantivy':>13} | "
        f"{'page/SQLite':>11} {'API/SQLite':>10} | {'page/tantivy':>12} {'API/tantivy':>11} | verdict"
    )
    out.write("our page and API beside the peers (p50 / p95, ms; ratios of p95)\n" + header + "\n")
    out.write("-" * len(header) + "\n")
    for klass in dict.fromkeys(r.klass for r in rows):
        p = _peer_percentiles([r for r in rows if r.klass == klass])
        cells = " | ".join(f"{fmt(low):>6} {fmt(high):>6}" for low, high in p.values())
        ratios = [
            p[ours][1] / p[peer][1] if p[ours][1] and p[peer][1] else None
            for ours, peer in (("page", "sqlite"), ("api", "sqlite"), ("page", "tantivy"), ("api", "tantivy"))
        ]
        shown = [fmt(x, 1) + "x" if x else "n/a" for x in ratios]
        out.write(
            f"{klass:<14} | {cells} | {shown[0]:>11} {shown[1]:>10} | {shown[2]:>12} {shown[3]:>11} | "
            f"{_peer_verdict(p)}\n"
        )
    out.write(
        "page = GET /search/, API = GET /api/search/, both in-process; SQLite FTS5 and tantivy do the page's "
        "work (count, page, highlights, facets) as bench/sqlite_peer.py and bench/tantivy_peer.py say; "
        "neither computes the language and agency facets\n"
    )
    return out.getvalue()


def collapsed_table(rows: list[Row]) -> str:
    """Per class: the plain page beside collapse=story on the same queries (same runs, alternating)."""
    out = io.StringIO()
    header = (
        f"{'class':<14} {'n':>3} {'matches med':>11} {'stories med':>11} | {'plain p50':>9} {'p95':>7} | "
        f"{'collapsed p50':>13} {'p95':>7} {'SQL p95':>7} | {'p95 ratio':>9} | target"
    )
    out.write("collapse=story beside the plain page\n" + header + "\n" + "-" * len(header) + "\n")
    for klass in dict.fromkeys(r.klass for r in rows):
        picked = [r for r in rows if r.klass == klass and r.collapsed_full_ms is not None]
        if not picked:
            continue
        plain = [r.full_stack_ms for r in picked]
        collapsed = [r.collapsed_full_ms for r in picked]
        ratio = percentile(collapsed, 0.95) / percentile(plain, 0.95)
        out.write(
            f"{klass:<14} {len(picked):>3} {statistics.median(r.matches or 0 for r in picked):>11,.0f} "
            f"{statistics.median(r.stories or 0 for r in picked):>11,.0f} | "
            f"{percentile(plain, 0.5):>9,.0f} {percentile(plain, 0.95):>7,.0f} | "
            f"{percentile(collapsed, 0.5):>13,.0f} {percentile(collapsed, 0.95):>7,.0f} "
            f"{percentile([r.collapsed_sql_ms for r in picked], 0.95):>7,.0f} | {ratio:>8.2f}x | "
            f"{'ok' if ratio <= COLLAPSED_FACTOR else f'over {COLLAPSED_FACTOR}x'}\n"
        )
    out.write("times in ms, full stack; stories = the collapsed total (stories with a matching copy)\n")
    return out.getvalue()


def first_run_table(rows: list[Row]) -> str:
    """The same p95s from each query's first run alone (what a single-run benchmark would report)."""
    out = io.StringIO()
    out.write(
        "first run of each query only (ms): class, full p95, SQL p95, full p95 - SQL p95, "
        "median of (full - SQL) per request\n"
    )
    for klass in dict.fromkeys(r.klass for r in rows):
        picked = [r for r in rows if r.klass == klass]
        full = percentile([r.first_full_ms for r in picked], 0.95)
        sql = percentile([r.first_sql_ms for r in picked], 0.95)
        each = statistics.median(r.first_full_ms - r.first_sql_ms for r in picked)
        out.write(f"  {klass:<14} {full:8,.0f} {sql:8,.0f} {full - sql:6,.0f} {each:6,.0f}\n")
    return out.getvalue()


def slowest(rows: list[Row], n: int = 8) -> str:
    """The slowest queries, with their slowest statement's share, to guide EXPLAIN ANALYZE."""
    out = io.StringIO()
    out.write("slowest queries (full stack ms, SQL ms, statements, slowest statement ms):\n")
    for row in sorted(rows, key=lambda r: -r.full_stack_ms)[:n]:
        worst = max(row.statement_ms or [0])
        out.write(
            f"  {row.full_stack_ms:8,.0f} {row.sql_ms:8,.0f} {row.statements:3} {worst:8,.0f}  "
            f"[{row.klass}] {row.query_string}\n"
        )
    return out.getvalue()


def write_csv(path: Path, rows: list[Row]) -> None:
    columns = [
        "class",
        "query_string",
        "matches",
        "status",
        "full_stack_ms",
        "sql_ms",
        "statements",
        "api_ms",
        "sqlite_ms",
        "sqlite_matches",
        "tantivy_ms",
        "tantivy_matches",
        "first_full_ms",
        "first_sql_ms",
        "stories",
        "collapsed_full_ms",
        "collapsed_sql_ms",
    ]
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for r in rows:
            writer.writerow(
                [
                    r.klass,
                    r.query_string,
                    r.matches,
                    r.status,
                    f"{r.full_stack_ms:.2f}",
                    f"{r.sql_ms:.2f}",
                    r.statements,
                    "" if r.api_ms is None else f"{r.api_ms:.2f}",
                    "" if r.sqlite_ms is None else f"{r.sqlite_ms:.2f}",
                    r.sqlite_matches,
                    "" if r.tantivy_ms is None else f"{r.tantivy_ms:.2f}",
                    r.tantivy_matches,
                    f"{r.first_full_ms:.2f}",
                    f"{r.first_sql_ms:.2f}",
                    r.stories,
                    "" if r.collapsed_full_ms is None else f"{r.collapsed_full_ms:.2f}",
                    "" if r.collapsed_sql_ms is None else f"{r.collapsed_sql_ms:.2f}",
                ]
            )


def result_name(args: argparse.Namespace) -> str:
    """search-1000000 for the varied corpus, search-plain-1000000 for the plain one."""
    return f"search-{'' if args.corpus == 'varied' else args.corpus + '-'}{args.articles}"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000, help="corpus size (default 1,000,000)")
    parser.add_argument(
        "--corpus",
        choices=sorted(search_corpus.CORPORA),
        default="varied",
        help="varied: each copy's rare words varied, 15%% French or Spanish labels (default); "
        "plain: Reuters copied word for word, English only",
    )
    parser.add_argument("--per-class", type=int, default=30, help="queries per class (default 30)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the corpus and the SQLite peer")
    parser.add_argument(
        "--class-budget",
        type=float,
        default=600,
        help="seconds of measurement per class; the rest of a class is skipped and reported (default 600)",
    )
    parser.add_argument(
        "--runs", type=int, default=5, help="runs per query, alternating page and replay; medians (default 5)"
    )
    parser.add_argument("--no-sqlite", action="store_true", help="skip the SQLite FTS5 peer")
    parser.add_argument("--no-tantivy", action="store_true", help="skip the tantivy peer")
    parser.add_argument(
        "--collapse",
        action="store_true",
        help="measure every query with collapse=story too, alternating with the plain page (issue 20)",
    )
    parser.add_argument(
        "--queries",
        type=Path,
        help="replay the queries (class, query_string) of an earlier run's CSV instead of choosing them, "
        "so two corpora or two versions are measured on the same mix",
    )
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    search_corpus.choose(args.corpus, args.articles)
    phases: dict[str, float] = {}
    started = time.perf_counter()
    build_timings = search_corpus.ensure(args.articles, args.rebuild)
    phases["corpus build" if build_timings else "corpus (reused)"] = time.perf_counter() - started
    started = time.perf_counter()
    search_stories.ensure()
    phases["stories"] = time.perf_counter() - started
    setup_django()
    from django.test import Client

    pg = connect()
    chosen = {"sqlite": not args.no_sqlite, "tantivy": not args.no_tantivy}
    peer_paths = {}
    for name, module in PEERS.items():
        peer_paths[name] = Path(f"/var/tmp/{result_name(args).replace('search-', 'bench-search-')}.{name}")
        started = time.perf_counter()
        if chosen[name]:
            seconds = module.ensure(peer_paths[name], pg, args.articles, args.rebuild or bool(build_timings))
            log(f"{name} peer {'built' if seconds else 'reused'}: {peer_paths[name]}")
        phases[f"{name} peer build"] = time.perf_counter() - started
    started = time.perf_counter()
    warm_database(pg)
    phases["buffer warm-up"] = time.perf_counter() - started
    started = time.perf_counter()
    mix = (
        search_queries.from_csv(args.queries)
        if args.queries
        else search_queries.build_mix(pg, args.articles, args.per_class)
    )
    pg.commit()
    phases["query selection (counts)"] = time.perf_counter() - started
    log(f"{len(mix)} queries in {len({q.klass for q in mix})} classes")
    context = machine_context(pg, args.articles)
    print(context, flush=True)

    client = Client(SERVER_NAME="localhost")
    peers = {name: (PEERS[name], PEERS[name].open_peer(peer_paths[name])) for name in chosen if chosen[name]}
    started = time.perf_counter()
    for query in search_queries.warmup_queries(pg, args.articles, mix):
        timed_get(client, f"/search/?{query.query_string}")
        for module, handle in peers.values():
            module.run_page(handle, query.params)
    pg.commit()
    RESULTS.mkdir(exist_ok=True)
    rows, skipped = measure_mix(client, pg, peers, mix, args)
    phases["measurement"] = time.perf_counter() - started
    report = io.StringIO()
    report.write(context + f"; {args.runs} run(s) per query, medians\n\n" + summary_table(rows) + "\n")
    if peers:
        report.write(peers_table(rows) + "\n")
    if args.collapse:
        report.write(collapsed_table(rows) + "\n")
    report.write(first_run_table(rows) + "\n" + slowest(rows) + "\n")
    if build_timings:
        report.write("corpus build: " + "; ".join(f"{k} {v:.0f} s" for k, v in build_timings.items()) + "\n")
    report.write("phases: " + "; ".join(f"{k} {v:.0f} s" for k, v in phases.items()) + "\n")
    for klass, count in skipped.items():
        report.write(
            f"{klass}: {count} queries not measured (over --class-budget {args.class_budget:.0f} s)\n"
        )
    for name, label in (("sqlite", "SQLite (Porter)"), ("tantivy", "tantivy (en_stem)")):
        compared = [r for r in rows if getattr(r, f"{name}_matches") is not None]
        equal = sum(1 for r in compared if getattr(r, f"{name}_matches") == r.matches)
        report.write(
            f"{label} match counts equal to PostgreSQL's (Snowball english) for {equal} of {len(compared)} "
            "queries: stemmers and stop words differ\n"
        )
    text = report.getvalue()
    print("\n" + text)
    (RESULTS / f"{result_name(args)}.txt").write_text(text)


if __name__ == "__main__":
    main()
