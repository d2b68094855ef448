"""The search benchmark's corpora: Reuters-21578 replicated to N articles, in two variants.

Copy 0 is the collection as the app's importer stores it (Source, Places, Topics and closures included).
Copy k (k ≥ 1) is every base story again, dated k years earlier, with the same place and topic links,
and with each *rare* word (its English lexeme is in at most 0.1 % of the base stories) given a
copy-specific suffix, so that a rare word stays rare however many copies there are, while common
words keep their document frequency. Languages: one story in ten (id % 20 in 0, 1) is labelled French and
one in twenty (id % 20 = 2) Spanish, in the base and so in every copy — the texts stay Reuters' English
(no translator ships in a package), but each is indexed, stemmed and searched by its label's
configuration, so every query is compiled in three languages and unioned, as on a mixed archive.
That is the "varied" corpus (`archive_bench_search`); the "plain" one (`archive_bench_plain`) is the
same replication with no word varied and no language label, as an outside review built it: real
archives repeat their wording, and there a rare word is as rare as in Reuters itself.
The copies are generated inside PostgreSQL (INSERT … SELECT,
two workers) with the GIN indexes dropped, which are rebuilt afterwards.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
REUTERS = ROOT.parent / "shared" / "data" / "reuters21578"
# Two corpora (issue 21): "varied" (each copy's rare words suffixed, 15 % labelled French or Spanish)
# and "plain" (the copies word for word, English only: a rare word is as rare as in Reuters itself).
CORPORA = {"varied": "archive_bench_search", "plain": "archive_bench_plain"}
BENCH_DB = CORPORA["varied"]
VARIED = True
ID_STRIDE = 100_000  # copy k's article ids are k * ID_STRIDE + the base id
RARE_FRACTION = 0.001  # lexemes in at most this share of the base stories are varied per copy
MARK = "\x01"  # placed after a rare word in the templates; replaced by the copy's suffix
WORD = re.compile(r"[A-Za-z]+")
GIN_INDEXES = {
    "article_search_vector_gin": (
        "CREATE INDEX article_search_vector_gin ON archive_article USING gin (search_vector)"
    ),
    "article_search_exact_gin": (
        "CREATE INDEX article_search_exact_gin ON archive_article USING gin (search_vector_exact)"
    ),
}
ARTICLE_COLUMNS = (
    "id, headline, slug, summary, body, byline, dateline, agency, url, external_id, language, "
    "published_on, published_at, status, created, updated, source_id, created_by_id, made_public_at, "
    "made_public_by_id, updated_by_id, version, content_hash, import_digest, "
    "rollup_place_ids, rollup_topic_ids, facet_group_id"
)


# 10 % French, 5 % Spanish: copies keep their base story's language (ID_STRIDE is a multiple of 20).
LANGUAGE_MIX = """
    UPDATE archive_article SET language = CASE WHEN id % 20 < 2 THEN 'fr' ELSE 'es' END WHERE id % 20 < 3
"""


def choose(corpus: str, articles: int = 1_000_000) -> None:
    """Work on the named corpus at that size from now on: each corpus and size has its own database
    (the million-article ones keep the plain name), so every size is built once and reused."""
    global BENCH_DB, VARIED
    BENCH_DB = CORPORA[corpus] if articles == 1_000_000 else f"{CORPORA[corpus]}_{articles}"
    VARIED = corpus == "varied"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def connect(dbname: str | None = None, user: str | None = None, **kwargs) -> psycopg.Connection:
    """A psycopg connection to the embedded server (the same socket Django uses)."""
    sys.path.insert(0, str(ROOT))
    from config import embedded_pg

    settings = embedded_pg.connection_settings()
    return psycopg.connect(
        dbname=dbname or BENCH_DB,
        user=user or settings["USER"],
        host=settings["HOST"],
        port=settings["PORT"],
        **kwargs,
    )


def copy_suffix(copy: int) -> str:
    """Letters only, so the text-search parser keeps `word+suffix` as one word: 1 → 'qab', 27 → 'qbb'."""
    return "q" + chr(ord("a") + copy // 26) + chr(ord("a") + copy % 26)


def corpus_size() -> int | None:
    """Articles in the existing bench corpus, or None when there is no finished one."""
    try:
        with connect("postgres") as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone()
        if not exists:
            return None
        with connect() as conn:
            mixed = "" if VARIED else "NOT"  # the varied corpus is the one with Spanish articles
            row = conn.execute(
                "SELECT articles FROM bench_corpus WHERE finished"
                f" AND {mixed} EXISTS (SELECT 1 FROM archive_language_count WHERE language = 'es')"
            ).fetchone()
            return row[0] if row else None
    except psycopg.Error:
        return None


def manage(*args: str) -> None:
    env = {**os.environ, "DJANGO_DB_NAME": BENCH_DB}
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)


def recreate_database() -> None:
    with connect("postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")


def import_base() -> int:
    """Migrate and import the 21,578 Reuters stories with the app's own importer; returns the count."""
    manage("migrate", "--noinput")
    files = sorted(str(p) for p in REUTERS.glob("reut2-*.sgm"))
    manage("import_articles", *files)
    with connect() as conn:
        conn.execute("UPDATE archive_article SET status = 'published' WHERE status <> 'published'")
        if VARIED:
            conn.execute(LANGUAGE_MIX)
        return conn.execute("SELECT count(*) FROM archive_article").fetchone()[0]


def rare_words(conn: psycopg.Connection, base_count: int) -> set[str]:
    """Lower-cased surface words whose English lexeme is in at most RARE_FRACTION of the base stories."""
    threshold = max(1, round(base_count * RARE_FRACTION))
    words: set[str] = set()
    for headline, body, dateline in conn.execute("SELECT headline, body, dateline FROM archive_article"):
        words.update(w.lower() for w in WORD.findall(f"{headline} {body} {dateline}"))
    rows = conn.execute(
        """
        WITH stat AS (SELECT word, ndoc FROM ts_stat('SELECT search_vector FROM archive_article'))
        SELECT w FROM unnest(%s::text[]) AS w
        JOIN LATERAL unnest(to_tsvector('archive_english', w)) AS lex ON true
        JOIN stat ON stat.word = lex.lexeme
        WHERE stat.ndoc <= %s
        """,
        [sorted(words), threshold],
    ).fetchall()
    return {row[0] for row in rows}


def mark_rare(text: str, rare: set[str]) -> str:
    return WORD.sub(lambda m: m.group(0) + MARK if m.group(0).lower() in rare else m.group(0), text or "")


def write_templates(conn: psycopg.Connection, rare: set[str]) -> None:
    """bench_template: each base story's headline, body and dateline with MARK after every rare word."""
    conn.execute(
        "CREATE UNLOGGED TABLE bench_template "
        "(id bigint PRIMARY KEY, headline text, body text, dateline text)"
    )
    rows = conn.execute("SELECT id, headline, body, dateline FROM archive_article ORDER BY id").fetchall()
    with conn.cursor().copy("COPY bench_template (id, headline, body, dateline) FROM STDIN") as copy:
        for pk, headline, body, dateline in rows:
            copy.write_row((pk, mark_rare(headline, rare), mark_rare(body, rare), mark_rare(dateline, rare)))


def insert_copy(copy: int, limit: int) -> float:
    """Copy `copy` of the first `limit` base stories, with their place and topic links; returns seconds."""
    started = time.perf_counter()
    suffix = copy_suffix(copy)
    with connect() as conn:
        conn.execute("SET synchronous_commit = off")
        conn.execute(
            f"""
            INSERT INTO archive_article ({ARTICLE_COLUMNS})
            SELECT %(offset)s + a.id, replace(t.headline, %(mark)s, %(suffix)s), a.slug, a.summary,
                   replace(t.body, %(mark)s, %(suffix)s), a.byline, replace(t.dateline, %(mark)s, %(suffix)s),
                   a.agency, '', a.external_id || '-c' || %(copy)s, a.language,
                   (a.published_on - make_interval(years => %(copy)s))::date,
                   a.published_at - make_interval(years => %(copy)s), 'published', now(), now(), a.source_id,
                   NULL, a.made_public_at, NULL, NULL, 1, '', '{{}}'::jsonb,
                   a.rollup_place_ids, a.rollup_topic_ids, a.facet_group_id  -- as the triggers would set them
            FROM archive_article a JOIN bench_template t ON t.id = a.id
            WHERE a.id < %(stride)s AND a.id IN (SELECT id FROM bench_template ORDER BY id LIMIT %(limit)s)
            """,
            {
                "offset": copy * ID_STRIDE,
                "mark": MARK,
                "suffix": suffix,
                "copy": copy,
                "stride": ID_STRIDE,
                "limit": limit,
            },
        )
        for table, column in (("archive_article_places", "place_id"), ("archive_article_topics", "topic_id")):
            conn.execute(
                f"""
                INSERT INTO {table} (article_id, {column})
                SELECT %(offset)s + l.article_id, l.{column} FROM {table} l
                WHERE l.article_id IN (SELECT id FROM bench_template ORDER BY id LIMIT %(limit)s)
                """,
                {"offset": copy * ID_STRIDE, "limit": limit},
            )
    return time.perf_counter() - started


def copy_plan(articles: int, base_count: int) -> list[tuple[int, int]]:
    """(copy number, stories taken from the base) until `articles` is reached."""
    plan, remaining, copy = [], articles - base_count, 1
    while remaining > 0:
        plan.append((copy, min(base_count, remaining)))
        remaining -= base_count
        copy += 1
    return plan


def create_gin(statement: str) -> None:
    with connect(autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '1GB'")
        conn.execute(statement)


def finish(conn: psycopg.Connection, workers: int) -> dict[str, float]:
    """Identity, GIN indexes (in parallel), VACUUM ANALYZE, vocabulary; seconds per step."""
    timings = {}
    started = time.perf_counter()
    conn.execute(
        "SELECT setval(pg_get_serial_sequence('archive_article', 'id'), "
        "(SELECT max(id) FROM archive_article))"
    )
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(create_gin, GIN_INDEXES.values()))
    timings["gin indexes"] = time.perf_counter() - started
    started = time.perf_counter()
    conn.execute("VACUUM ANALYZE archive_article")
    conn.execute("VACUUM ANALYZE archive_article_places")
    conn.execute("VACUUM ANALYZE archive_article_topics")
    timings["vacuum analyze"] = time.perf_counter() - started
    started = time.perf_counter()
    conn.execute("REFRESH MATERIALIZED VIEW archive_vocabulary")
    conn.execute("ANALYZE archive_vocabulary")
    timings["vocabulary"] = time.perf_counter() - started
    started = time.perf_counter()
    conn.execute("SELECT refresh_browse_counts()")  # as an import ends (archive/derived/refresh.py)
    timings["browse counts"] = time.perf_counter() - started
    return timings


def build(articles: int, workers: int = 2) -> dict[str, float]:
    """Recreate the bench database with `articles` published articles; seconds per phase."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    recreate_database()
    base_count = import_base()
    if articles < base_count:
        raise SystemExit(f"--articles must be at least the {base_count:,} Reuters stories")
    timings["import base (app importer)"] = time.perf_counter() - started
    log(f"base imported: {base_count:,} stories in {timings['import base (app importer)']:.0f} s")
    started = time.perf_counter()
    with connect(autocommit=True) as conn:
        rare = rare_words(conn, base_count) if VARIED else set()
        write_templates(conn, rare)
        conn.execute("CREATE TABLE bench_corpus (articles int, finished boolean, timings text)")
        for name in GIN_INDEXES:
            conn.execute(f"DROP INDEX {name}")
        timings["templates"] = time.perf_counter() - started
        log(f"{len(rare):,} rare words will vary per copy; generating copies")
        started = time.perf_counter()
        plan = copy_plan(articles, base_count)
        with ThreadPoolExecutor(workers) as pool:
            for done, _ in enumerate(pool.map(lambda job: insert_copy(*job), plan), 1):
                if done % 5 == 0 or done == len(plan):
                    log(f"  copies {done}/{len(plan)} ({time.perf_counter() - started:.0f} s)")
        timings["copies (INSERT … SELECT)"] = time.perf_counter() - started
        timings.update(finish(conn, workers))
        count = conn.execute("SELECT count(*) FROM archive_article WHERE status = 'published'").fetchone()[0]
        summary = io.StringIO()
        for name, seconds in timings.items():
            summary.write(f"{name}: {seconds:.1f} s; ")
        conn.execute("INSERT INTO bench_corpus VALUES (%s, true, %s)", [count, summary.getvalue()])
    log(f"corpus ready: {count:,} articles")
    return timings


def ensure(articles: int, rebuild: bool) -> dict[str, float]:
    """Build the corpus unless one of the right size exists (and no rebuild is asked for)."""
    if not rebuild and corpus_size() == articles:
        log(f"reusing the existing corpus of {articles:,} articles in {BENCH_DB}")
        manage("migrate", "--noinput")  # the app may have gained migrations since the build
        return {}
    return build(articles)
