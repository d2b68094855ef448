"""Does partitioning the article table by year pay? (docs/scaling.md, section 4)

On the plain million-article corpus of `make bench-search` (Reuters-21578 replicated, each copy
dated a year earlier: 47 years), two copies of the article table's searched columns are made once
and reused: `bench_flat`, one table, and `bench_by_year`, partitioned by range of `published_on`
with one partition per year. Both get the same indexes (GIN on both search vectors, btree on
(published_on, id) and on id) and are analysed. Each query class then runs the statements a
search page runs on the matches — the exact count, the top 20 by rank (or by date), the year
facet and the place facet — on both tables, alternating, `--runs` times; the table shows the
median of the sum per class, and how many partitions the plan reads.

Run with `make bench-partitions` (builds the corpus first if it is missing: about 15 minutes).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench import search_corpus  # noqa: E402

COLUMNS = "id, published_on, language, rollup_place_ids, search_vector, search_vector_exact"
TABLES = ("bench_flat", "bench_by_year")
ENGLISH, EXACT = ("search_vector", "archive_english"), ("search_vector_exact", "archive_simple")
ONE_YEAR = "published_on >= '1970-01-01' AND published_on < '1971-01-01'"
ONE_DECADE = "published_on >= '1960-01-01' AND published_on < '1970-01-01'"
ONE_MONTH = "published_on >= '1970-03-01' AND published_on < '1970-04-01'"
# class: (vector and configuration, tsquery or None, date condition or None, order of its page)
CLASSES = {
    "selective word (bundesbank)": (ENGLISH, "bundesbank", None, "rank"),
    "phrase (coffee prices)": (ENGLISH, "coffee <-> prices", None, "rank"),
    "exact mode (who)": (EXACT, "who", None, "rank"),
    "broad word (oil)": (ENGLISH, "oil", None, "rank"),
    "very broad word (said)": (ENGLISH, "said", None, "rank"),
    "oil, newest first": (ENGLISH, "oil", None, "date"),
    "oil in one year (1970)": (ENGLISH, "oil", ONE_YEAR, "rank"),
    "oil in one decade (1960s)": (ENGLISH, "oil", ONE_DECADE, "rank"),
    "one year, no words (1970)": (ENGLISH, None, ONE_YEAR, "date"),
    "one month, no words (1970-03)": (ENGLISH, None, ONE_MONTH, "date"),
}


def statements(
    table: str, vector: tuple[str, str], words: str | None, dates: str | None, order: str
) -> list[str]:
    """The page's work on the matches: count, page of 20, year facet, place facet."""
    column, config = vector
    query = f"to_tsquery('{config}', '{words}')" if words else None
    where = " AND ".join(c for c in (query and f"{column} @@ {query}", dates) if c)
    if order == "rank" and query:
        ordering = f"ts_rank_cd({column}, {query}) DESC, id"
    else:
        ordering = "published_on DESC, id DESC"
    return [
        f"SELECT count(*) FROM {table} WHERE {where}",
        f"SELECT id FROM {table} WHERE {where} ORDER BY {ordering} LIMIT 20",
        f"SELECT extract(year FROM published_on)::int, count(*) FROM {table} WHERE {where} GROUP BY 1",
        f"SELECT place, count(*) FROM {table}, unnest(rollup_place_ids) AS place WHERE {where} "
        "GROUP BY 1 ORDER BY 2 DESC LIMIT 20",
    ]


def prepare(conn) -> None:
    """The two tables, made once (about ten minutes at a million articles)."""
    articles = conn.execute("SELECT count(*) FROM archive_article WHERE status = 'published'").fetchone()[0]
    made = conn.execute("SELECT to_regclass('bench_by_year') IS NOT NULL").fetchone()[0]
    if made and conn.execute("SELECT count(*) FROM bench_by_year").fetchone()[0] == articles:
        search_corpus.log(f"reusing bench_flat and bench_by_year ({articles:,} articles)")
        return
    search_corpus.log(f"copying {articles:,} articles into bench_flat and bench_by_year")
    conn.execute("DROP TABLE IF EXISTS bench_flat, bench_by_year CASCADE")
    conn.execute(
        f"CREATE TABLE bench_flat AS SELECT {COLUMNS} FROM archive_article WHERE status = 'published'"
    )
    conn.execute("CREATE TABLE bench_by_year (LIKE bench_flat) PARTITION BY RANGE (published_on)")
    first, last = conn.execute("SELECT min(published_on), max(published_on) FROM bench_flat").fetchone()
    for year in range(first.year, last.year + 1):
        conn.execute(
            f"CREATE TABLE bench_by_year_{year} PARTITION OF bench_by_year "
            f"FOR VALUES FROM ('{year}-01-01') TO ('{year + 1}-01-01')"
        )
    conn.execute("INSERT INTO bench_by_year SELECT * FROM bench_flat")
    for table in TABLES:
        search_corpus.log(f"indexing {table}")
        conn.execute(f"CREATE INDEX ON {table} USING gin (search_vector)")
        conn.execute(f"CREATE INDEX ON {table} USING gin (search_vector_exact)")
        conn.execute(f"CREATE INDEX ON {table} (published_on, id)")
        conn.execute(f"CREATE INDEX ON {table} (id)")
        conn.execute(f"VACUUM ANALYZE {table}")


def partitions_read(conn, sql: str) -> int:
    plan = conn.execute(f"EXPLAIN (FORMAT JSON) {sql}").fetchone()[0]
    found: set[str] = set()

    def walk(node: dict) -> None:
        if node.get("Relation Name", "").startswith("bench_by_year_"):
            found.add(node["Relation Name"])
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    return len(found)


def plan_outline(conn, sql: str) -> str:
    """The executed plan's nodes, one a line, with their actual rows and time; the partitions' own
    scans folded into one line per node type (47 of them would fill a screen)."""
    plan = conn.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}").fetchone()[0][0]["Plan"]
    lines: list[str] = []

    def walk(node: dict, depth: int) -> None:
        children = node.get("Plans", [])
        relation = node.get("Relation Name") or node.get("Index Name") or ""
        lines.append(
            f"{'  ' * depth}{node['Node Type']} {relation} "
            f"(rows {node['Actual Rows']:,}, {node['Actual Total Time']:.1f} ms)".rstrip()
        )
        if node["Node Type"] == "Append" and len(children) > 3:
            kinds = sorted({child["Node Type"] for child in children})
            lines.append(f"{'  ' * (depth + 1)}{len(children)} partitions: {', '.join(kinds)}")
            return
        for child in children:
            walk(child, depth + 1)

    walk(plan, 0)
    return "\n".join(lines)


def timed(conn, sqls: list[str]) -> float:
    started = time.perf_counter()
    for sql in sqls:
        conn.execute(sql).fetchall()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per class and table, alternating")
    parser.add_argument("--plans", action="store_true", help="print each class's count plan on both tables")
    args = parser.parse_args()
    search_corpus.choose("plain", 1_000_000)
    search_corpus.ensure(1_000_000, rebuild=False)
    with search_corpus.connect(autocommit=True) as conn:
        prepare(conn)
        conn.execute("SET work_mem = '128MB'")  # the match summary's own setting
        years = conn.execute(PARTITIONS).fetchone()[0]
        print(f"\n{years} yearly partitions; median of {args.runs} runs, ms (count, top 20, two facets)")
        print(HEADER)
        for name, spec in CLASSES.items():
            flat, parted = statements("bench_flat", *spec), statements("bench_by_year", *spec)
            matches = conn.execute(flat[0]).fetchone()[0]
            timed(conn, flat), timed(conn, parted)  # warm both
            times = {"flat": [], "parted": []}
            for _ in range(args.runs):
                times["flat"].append(timed(conn, flat))
                times["parted"].append(timed(conn, parted))
            one, by_year = statistics.median(times["flat"]), statistics.median(times["parted"])
            read = partitions_read(conn, parted[1])
            ratio = f"{by_year / one:.2f}x"
            print(f"{name:32} {matches:>9,} {one:>10.1f} {by_year:>9.1f} {ratio:>6} {read:>10} of {years}")
        if args.plans:
            for name, spec in CLASSES.items():
                for table in TABLES:
                    print(f"\n-- {name}, {table}: {statements(table, *spec)[0]}")
                    print(plan_outline(conn, statements(table, *spec)[0]))


HEADER = f"{'class':32} {'matches':>9} {'one table':>10} {'by year':>9} {'ratio':>6} {'partitions read':>16}"
HEADER = f"{'class':32} {'matches':>9} {'one table':>10} {'by year':>9} {'ratio':>6} {'read':>10}"
PARTITIONS = "SELECT count(*) FROM pg_inherits WHERE inhparent = 'bench_by_year'::regclass"


if __name__ == "__main__":
    main()
