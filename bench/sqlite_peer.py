"""The peer: the same corpus in SQLite FTS5 (stdlib sqlite3), doing the same page work per query,
written as an FTS5 user would write it for this page.

Schema: a narrow `articles` table (id, day, month, source) beside the texts, which are FTS5's external
content; each article's places and topics rolled up to every ancestor at build time (as the app's
rollup columns are), in WITHOUT ROWID tables keyed both ways. Page work = the matches computed once
into a temporary table keyed by rowid, holding what the page sorts and counts by (score, day,
month, source), so the facets never go back to the articles: the exact count, the 20 rows of the page
(bm25 order with a query, newest first without), highlights for those rows, and the facets — months
(years summed from them, as the app does), places, subjects, people, organisations and sources, top
12 each — each a single grouping pass from the matches outward (CROSS JOIN fixes that order: the
planner otherwise starts from the nodes and visits every article of every node).

With exact=true the words are looked up in a second FTS5 index of the same texts, unstemmed and
with no stop words (as the app's exact mode). Left out beside our page (the README says so): the
language and agency facets.
"""

from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path

import psycopg

PAGE_SIZE = 20
FACET_LIMIT = 12
SCHEMA_VERSION = 3  # a file of another version is rebuilt
# FTS5 bm25 column weights in the ratio of PostgreSQL's A 1.0 / B 0.4 / C 0.2 / D 0.1.
BM25 = "bm25({fts}, 1.0, 0.4, 0.2, 0.1)"
SCHEMA = """
CREATE TABLE meta (articles INTEGER, version INTEGER);
CREATE TABLE sources (id INTEGER PRIMARY KEY, slug TEXT UNIQUE, name TEXT);
CREATE TABLE places (id INTEGER PRIMARY KEY, slug TEXT UNIQUE, name TEXT);
CREATE TABLE topics (id INTEGER PRIMARY KEY, slug TEXT UNIQUE, name TEXT, kind TEXT);
CREATE TABLE articles (id INTEGER PRIMARY KEY, day TEXT, month TEXT, source_id INTEGER);
CREATE TABLE texts (id INTEGER PRIMARY KEY, headline TEXT, summary TEXT, body TEXT, dateline TEXT);
CREATE TABLE place_rollup (article_id INTEGER, node INTEGER, PRIMARY KEY (article_id, node)) WITHOUT ROWID;
CREATE TABLE topic_rollup (article_id INTEGER, node INTEGER, PRIMARY KEY (article_id, node)) WITHOUT ROWID;
CREATE VIRTUAL TABLE fts USING fts5(headline, summary, body, dateline, content='texts',
                                    content_rowid='id', tokenize='porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE fts_exact USING fts5(headline, summary, body, dateline, content='texts',
                                          content_rowid='id', tokenize='unicode61 remove_diacritics 2');
"""
INDEXES = """
CREATE INDEX articles_day ON articles (day, id);
CREATE INDEX articles_source ON articles (source_id, id);
CREATE INDEX place_rollup_node ON place_rollup (node, article_id);
CREATE INDEX topic_rollup_node ON topic_rollup (node, article_id);
"""
SMALL_TABLES = [
    ("sources", "SELECT id, slug, name FROM archive_source"),
    ("places", "SELECT id, slug, name FROM archive_place"),
    ("topics", "SELECT id, slug, name, kind FROM archive_topic"),
]
PUBLISHED = "FROM archive_article WHERE status = 'published'"
LARGE_TABLES = [
    ("articles", f"SELECT id, published_on::text, to_char(published_on, 'YYYY-MM'), source_id {PUBLISHED}"),
    (
        "texts",
        f"SELECT id, headline, summary, body, concat_ws(' ', byline, dateline) {PUBLISHED} ORDER BY id",
    ),
    ("place_rollup", f"SELECT id, unnest(rollup_place_ids) {PUBLISHED}"),
    ("topic_rollup", f"SELECT id, unnest(rollup_topic_ids) {PUBLISHED}"),
]
# Each tree facet: its name, its rollup table, its nodes table, the node kinds it shows (None: all).
TREE_FACETS = [
    ("place", "place_rollup", "places", None),
    ("topic", "topic_rollup", "topics", ("subject", "other")),
    ("person", "topic_rollup", "topics", ("person",)),
    ("organisation", "topic_rollup", "topics", ("organisation",)),
]
PROXIMITY = re.compile(r'"([^"]+)"~(\d+)')
PHRASE = re.compile(r'"([^"]+)"')


def existing_size(path: Path) -> int | None:
    """The number of articles the file holds, if it is of this schema version."""
    if not path.exists():
        return None
    try:
        with sqlite3.connect(path) as db:
            articles, version = db.execute("SELECT articles, version FROM meta").fetchone()
    except (sqlite3.Error, TypeError, ValueError):
        return None
    return articles if version == SCHEMA_VERSION else None


def copy_rows(pg: psycopg.Connection, db: sqlite3.Connection, table: str, select: str) -> None:
    """Stream a PostgreSQL query into a SQLite table, in batches (server-side cursor)."""
    with pg.cursor(name=f"peer_{table}") as cursor:
        cursor.itersize = 5000
        cursor.execute(select)
        while rows := cursor.fetchmany(5000):
            marks = ", ".join("?" * len(rows[0]))
            db.executemany(f"INSERT OR IGNORE INTO {table} VALUES ({marks})", rows)


def build(path: Path, pg: psycopg.Connection, articles: int) -> float:
    """A fresh SQLite file holding the published corpus; returns seconds taken."""
    started = time.perf_counter()
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -1000000;")
    db.executescript(SCHEMA)
    for table, select in SMALL_TABLES + LARGE_TABLES:
        copy_rows(pg, db, table, select)
    for fts in ("fts", "fts_exact"):
        db.execute(
            f"INSERT INTO {fts} (rowid, headline, summary, body, dateline) "
            "SELECT id, headline, summary, body, dateline FROM texts"
        )
        db.execute(f"INSERT INTO {fts} ({fts}) VALUES ('optimize')")
    db.executescript(INDEXES)
    db.execute("INSERT INTO meta VALUES (?, ?)", [articles, SCHEMA_VERSION])
    db.commit()
    db.execute("ANALYZE")
    db.close()
    return time.perf_counter() - started


def ensure(path: Path, pg: psycopg.Connection, articles: int, rebuild: bool) -> float:
    if not rebuild and existing_size(path) == articles:
        return 0.0
    return build(path, pg, articles)


def open_peer(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.executescript(
        "PRAGMA cache_size = -2000000; PRAGMA temp_store = MEMORY; PRAGMA mmap_size = 8000000000;"
    )
    return db


def quoted(words: str) -> str:
    return " ".join(f'"{w}"' for w in words.split())


def to_fts5(q: str) -> str | None:
    """The app's query language as FTS5's: words, "phrases", "a b"~N → NEAR, OR, field:word,
    -word (FTS5's NOT); None if inexpressible."""
    if re.search(r"\*", q):
        return None
    q = PROXIMITY.sub(lambda m: f"NEAR({quoted(m[1])}, {m[2]})", q)
    q = PHRASE.sub(lambda m: '"' + " ".join(m[1].split()) + '"', q)
    parts = re.findall(r'NEAR\([^)]*\)|-?(?:\w+:)?"[^"]*"|\S+', q)
    positive, negative = [], []
    for part in parts:
        target = negative if part.startswith("-") and len(part) > 1 else positive
        part = part[1:] if target is negative else part
        column, _, term = part.partition(":") if re.match(r"^\w+:", part) else ("", "", part)
        if column and column not in ("headline", "summary", "body", "dateline"):
            return None
        if not (term.startswith(("NEAR(", '"')) or term == "OR"):
            term = f'"{term}"'
        target.append(f"{column}:{term}" if column else term)
    if not positive:
        return None
    return " ".join(positive) + "".join(f" NOT {term}" for term in negative)


def _node_ids(db: sqlite3.Connection, table: str, names: str, kinds: tuple | None) -> list[int]:
    slugs = [n.strip() for n in names.split(",") if n.strip()]
    kind_clause = f" AND kind IN ({', '.join('?' * len(kinds))})" if kinds else ""
    rows = db.execute(
        f"SELECT id FROM {table} WHERE slug IN ({', '.join('?' * len(slugs))}){kind_clause}",
        [*slugs, *(kinds or ())],
    ).fetchall()
    return [row[0] for row in rows]


def filter_clauses(
    db: sqlite3.Connection, params: list[tuple[str, str]], *, probe: bool = False
) -> tuple[list[str], list]:
    """WHERE clauses over `a` (articles) for the date, source and tree filters (rolled up). `probe`:
    each match of the words looks its nodes up by its id (a few thousand probes), instead of the
    node's every article being gathered first (hundreds of thousands for a big country)."""
    clauses, args = [], []
    trees = {
        "place": ("place_rollup", "places", None),
        "topic": ("topic_rollup", "topics", None),
        "person": ("topic_rollup", "topics", ("person",)),
        "organisation": ("topic_rollup", "topics", ("organisation",)),
    }
    for name, value in params:
        if name == "from":
            clauses.append("a.day >= ?")
            args.append(_date_bound(value, last=False))
        elif name == "to":
            clauses.append("a.day <= ?")
            args.append(_date_bound(value, last=True))
        elif name == "source":
            clauses.append("a.source_id IN (SELECT id FROM sources WHERE slug = ?)")
            args.append(value)
        elif name in trees:
            rollup, nodes, kinds = trees[name]
            ids = _node_ids(db, nodes, value, kinds)
            marks = ", ".join("?" * len(ids))
            if probe:
                clauses.append(
                    f"EXISTS (SELECT 1 FROM {rollup} r WHERE r.article_id = a.id AND r.node IN ({marks}))"
                )
            else:
                clauses.append(f"a.id IN (SELECT article_id FROM {rollup} WHERE node IN ({marks}))")
            args.extend(ids)
    return clauses, args


def _date_bound(value: str, *, last: bool) -> str:
    if len(value) == 4:
        return f"{value}-12-31" if last else f"{value}-01-01"
    if len(value) == 7:
        return f"{value}-31" if last else f"{value}-01"
    return value


def collect_matches(
    db: sqlite3.Connection, params: list[tuple[str, str]], match: str | None, fts: str = "fts"
) -> None:
    """The temp table m: every match once, keyed by rowid, with its score (bm25 with a query, else
    0), day, month and source — all the page sorts and counts by."""
    clauses, args = filter_clauses(db, params, probe=bool(match))
    db.execute("DROP TABLE IF EXISTS temp.m")
    db.execute(
        "CREATE TEMP TABLE m (id INTEGER PRIMARY KEY, score REAL, day TEXT, month TEXT, source_id INTEGER)"
    )
    if match:
        where = " AND ".join([f"{fts} MATCH ?", *clauses])
        db.execute(
            f"INSERT INTO m SELECT {fts}.rowid, {BM25.format(fts=fts)}, a.day, a.month, a.source_id "
            f"FROM {fts} CROSS JOIN articles a ON a.id = {fts}.rowid WHERE {where}",
            [match, *args],
        )
    else:
        where = " AND ".join(clauses) or "1"
        db.execute(
            f"INSERT INTO m SELECT a.id, 0.0, a.day, a.month, a.source_id FROM articles a WHERE {where}", args
        )


def page_rows(db: sqlite3.Connection, page: int, match: str | None, fts: str = "fts") -> list[tuple]:
    """The page's 20 ids from m alone, then their headlines and sources, and their highlights."""
    order = "score, day DESC, id DESC" if match else "day DESC, id DESC"
    ids = [
        row[0]
        for row in db.execute(
            f"SELECT id FROM m ORDER BY {order} LIMIT ? OFFSET ?", [PAGE_SIZE, (page - 1) * PAGE_SIZE]
        )
    ]
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    rows = db.execute(
        f"""SELECT a.id, t.headline, a.day, s.name FROM articles a JOIN texts t ON t.id = a.id
            LEFT JOIN sources s ON s.id = a.source_id WHERE a.id IN ({marks})""",
        ids,
    ).fetchall()
    if match:
        db.execute(
            f"""SELECT rowid, highlight({fts}, 0, '<mark>', '</mark>'),
                       snippet({fts}, -1, '<mark>', '</mark>', ' … ', 30)
                FROM {fts} WHERE {fts} MATCH ? AND rowid IN ({marks})""",
            [match, *ids],
        ).fetchall()
    return rows


def facets(db: sqlite3.Connection) -> dict[str, list]:
    """Months (and years from them), the rolled-up tree facets, sources: one grouping pass each from
    the matches outward (the topics' pass shared by subjects, people and organisations)."""
    months = db.execute("SELECT month, count(*) FROM m GROUP BY month ORDER BY month").fetchall()
    years: dict[str, int] = {}
    for month, n in months:
        years[month[:4]] = years.get(month[:4], 0) + n
    result = {"year": list(years.items()), "month": months}
    for rollup, nodes in (("place_rollup", "places"), ("topic_rollup", "topics")):
        kind = "node.kind" if nodes == "topics" else "''"
        ranked = db.execute(
            f"""SELECT kind, slug, name, n FROM (
                    SELECT {kind} AS kind, node.slug, node.name, counted.n,
                           row_number() OVER (PARTITION BY {kind} ORDER BY counted.n DESC, node.name) AS place
                    FROM (SELECT r.node, count(*) AS n FROM m CROSS JOIN {rollup} r ON r.article_id = m.id
                          GROUP BY r.node) counted
                    JOIN {nodes} node ON node.id = counted.node
                ) WHERE place <= ?""",
            [FACET_LIMIT],
        ).fetchall()
        for name, table, _, kinds in TREE_FACETS:
            if table == rollup:
                result[name] = [row[1:] for row in ranked if kinds is None or row[0] in kinds]
    result["source"] = db.execute(
        """SELECT s.slug, s.name, counted.n
           FROM (SELECT source_id, count(*) AS n FROM m GROUP BY source_id) counted
           JOIN sources s ON s.id = counted.source_id ORDER BY counted.n DESC, s.name LIMIT ?""",
        [FACET_LIMIT],
    ).fetchall()
    return result


def run_page(db: sqlite3.Connection, params: list[tuple[str, str]]) -> tuple[float | None, int | None]:
    """Seconds for the whole page's work and the match count; (None, None) when FTS5 can't express it."""
    values = dict(params)
    match = to_fts5(values["q"]) if values.get("q") else None
    if values.get("q") and match is None:
        return None, None
    started = time.perf_counter()
    fts = "fts_exact" if values.get("exact") == "true" else "fts"  # exact=true: the unstemmed index
    collect_matches(db, params, match, fts)
    count = db.execute("SELECT count(*) FROM m").fetchone()[0]
    page_rows(db, int(values.get("page", 1)), match, fts)
    facets(db)
    return time.perf_counter() - started, count
