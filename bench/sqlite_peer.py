"""The peer: the same corpus in SQLite FTS5 (stdlib sqlite3), doing the same page work per query.

Page work = the matches computed once into a temporary table, the exact count, the 20 rows of the
page (bm25 order with a query, newest first without), highlights for those rows, and the facets:
months (years are summed from them, as the app does), places, subjects, people, organisations and
sources, the tree facets rolled up through the closure tables, top 12 each.
"""

from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path

import psycopg

PAGE_SIZE = 20
FACET_LIMIT = 12
# FTS5 bm25 column weights in the ratio of PostgreSQL's A 1.0 / B 0.4 / C 0.2 / D 0.1.
BM25 = "bm25(fts, 1.0, 0.4, 0.2, 0.1)"
SCHEMA = """
CREATE TABLE meta (articles INTEGER);
CREATE TABLE sources (id INTEGER PRIMARY KEY, slug TEXT, name TEXT);
CREATE TABLE places (id INTEGER PRIMARY KEY, slug TEXT UNIQUE, name TEXT);
CREATE TABLE topics (id INTEGER PRIMARY KEY, slug TEXT UNIQUE, name TEXT, kind TEXT);
CREATE TABLE place_closure (ancestor INTEGER, descendant INTEGER, PRIMARY KEY (ancestor, descendant));
CREATE TABLE topic_closure (ancestor INTEGER, descendant INTEGER, PRIMARY KEY (ancestor, descendant));
CREATE TABLE articles (id INTEGER PRIMARY KEY, published_on TEXT, source_id INTEGER,
                       headline TEXT, summary TEXT, body TEXT, dateline TEXT);
CREATE TABLE article_places (article_id INTEGER, place_id INTEGER);
CREATE TABLE article_topics (article_id INTEGER, topic_id INTEGER);
CREATE VIRTUAL TABLE fts USING fts5(headline, summary, body, dateline, content='articles',
                                    content_rowid='id', tokenize='porter unicode61 remove_diacritics 2');
"""
INDEXES = """
CREATE INDEX articles_date ON articles (published_on, id);
CREATE INDEX article_places_article ON article_places (article_id, place_id);
CREATE INDEX article_places_place ON article_places (place_id, article_id);
CREATE INDEX article_topics_article ON article_topics (article_id, topic_id);
CREATE INDEX article_topics_topic ON article_topics (topic_id, article_id);
CREATE INDEX place_closure_descendant ON place_closure (descendant, ancestor);
CREATE INDEX topic_closure_descendant ON topic_closure (descendant, ancestor);
"""
SMALL_TABLES = [
    ("sources", "SELECT id, slug, name FROM archive_source"),
    ("places", "SELECT id, slug, name FROM archive_place"),
    ("topics", "SELECT id, slug, name, kind FROM archive_topic"),
    ("place_closure", "SELECT ancestor_id, descendant_id FROM archive_placeclosure"),
    ("topic_closure", "SELECT ancestor_id, descendant_id FROM archive_topicclosure"),
    ("article_places", "SELECT article_id, place_id FROM archive_article_places"),
    ("article_topics", "SELECT article_id, topic_id FROM archive_article_topics"),
]
TREE_FACETS = [
    ("place", "article_places", "place_id", "place_closure", "places", None),
    ("topic", "article_topics", "topic_id", "topic_closure", "topics", ("subject", "other")),
    ("person", "article_topics", "topic_id", "topic_closure", "topics", ("person",)),
    ("organisation", "article_topics", "topic_id", "topic_closure", "topics", ("organisation",)),
]
PROXIMITY = re.compile(r'"([^"]+)"~(\d+)')
PHRASE = re.compile(r'"([^"]+)"')


def existing_size(path: Path) -> int | None:
    if not path.exists():
        return None
    try:
        with sqlite3.connect(path) as db:
            return db.execute("SELECT articles FROM meta").fetchone()[0]
    except sqlite3.Error:
        return None


def copy_rows(pg: psycopg.Connection, db: sqlite3.Connection, table: str, select: str) -> None:
    """Stream a PostgreSQL query into a SQLite table, in batches (server-side cursor)."""
    with pg.cursor(name=f"peer_{table}") as cursor:
        cursor.itersize = 5000
        cursor.execute(select)
        while rows := cursor.fetchmany(5000):
            marks = ", ".join("?" * len(rows[0]))
            db.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)


def build(path: Path, pg: psycopg.Connection, articles: int) -> float:
    """A fresh SQLite file holding the published corpus; returns seconds taken."""
    started = time.perf_counter()
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -1000000;")
    db.executescript(SCHEMA)
    for table, select in SMALL_TABLES:
        copy_rows(pg, db, table, select)
    copy_rows(
        pg,
        db,
        "articles",
        "SELECT id, published_on::text, source_id, headline, summary, body, concat_ws(' ', byline, dateline) "
        "FROM archive_article WHERE status = 'published' ORDER BY id",
    )
    db.execute(
        "INSERT INTO fts (rowid, headline, summary, body, dateline) "
        "SELECT id, headline, summary, body, dateline FROM articles"
    )
    db.executescript(INDEXES)
    db.execute("INSERT INTO fts (fts) VALUES ('optimize')")
    db.execute("INSERT INTO meta VALUES (?)", [articles])
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
    """The app's query language as FTS5's: words, "phrases", "a b"~N → NEAR, OR; None if inexpressible."""
    if re.search(r"(^|\s)-|:|\*", q):
        return None
    q = PROXIMITY.sub(lambda m: f"NEAR({quoted(m[1])}, {m[2]})", q)
    q = PHRASE.sub(lambda m: '"' + " ".join(m[1].split()) + '"', q)
    parts = re.findall(r'NEAR\([^)]*\)|"[^"]*"|\S+', q)
    return " ".join(p if p.startswith(("NEAR(", '"')) or p == "OR" else f'"{p}"' for p in parts)


def _node_ids(db: sqlite3.Connection, table: str, names: str, kinds: tuple | None) -> list[int]:
    slugs = [n.strip() for n in names.split(",") if n.strip()]
    kind_clause = f" AND kind IN ({', '.join('?' * len(kinds))})" if kinds else ""
    rows = db.execute(
        f"SELECT id FROM {table} WHERE slug IN ({', '.join('?' * len(slugs))}){kind_clause}",
        [*slugs, *(kinds or ())],
    ).fetchall()
    return [row[0] for row in rows]


def filter_clauses(db: sqlite3.Connection, params: list[tuple[str, str]]) -> tuple[list[str], list]:
    """WHERE clauses over `a` (articles) for the date, source and tree filters (roll-up via closure)."""
    clauses, args = [], []
    trees = {
        "place": ("article_places", "place_id", "place_closure", "places", None),
        "topic": ("article_topics", "topic_id", "topic_closure", "topics", None),
        "person": ("article_topics", "topic_id", "topic_closure", "topics", ("person",)),
        "organisation": ("article_topics", "topic_id", "topic_closure", "topics", ("organisation",)),
    }
    for name, value in params:
        if name == "from":
            clauses.append("a.published_on >= ?")
            args.append(_date_bound(value, last=False))
        elif name == "to":
            clauses.append("a.published_on <= ?")
            args.append(_date_bound(value, last=True))
        elif name == "source":
            clauses.append("a.source_id IN (SELECT id FROM sources WHERE slug = ?)")
            args.append(value)
        elif name in trees:
            links, column, closure, nodes, kinds = trees[name]
            ids = _node_ids(db, nodes, value, kinds)
            clauses.append(
                f"a.id IN (SELECT article_id FROM {links} WHERE {column} IN "
                f"(SELECT descendant FROM {closure} WHERE ancestor IN ({', '.join('?' * len(ids))})))"
            )
            args.extend(ids)
    return clauses, args


def _date_bound(value: str, *, last: bool) -> str:
    if len(value) == 4:
        return f"{value}-12-31" if last else f"{value}-01-01"
    if len(value) == 7:
        return f"{value}-31" if last else f"{value}-01"
    return value


def collect_matches(db: sqlite3.Connection, params: list[tuple[str, str]], match: str | None) -> None:
    """The temp table m(id, score): every match once (bm25 score with a query, else 0)."""
    clauses, args = filter_clauses(db, params)
    db.execute("DROP TABLE IF EXISTS temp.m")
    if match:
        where = " AND ".join(["fts MATCH ?", *clauses])
        sql = (
            f"CREATE TEMP TABLE m AS SELECT fts.rowid AS id, {BM25} AS score "
            f"FROM fts JOIN articles a ON a.id = fts.rowid WHERE {where}"
        )
        db.execute(sql, [match, *args])
    else:
        where = " AND ".join(clauses) or "1"
        db.execute(
            f"CREATE TEMP TABLE m AS SELECT a.id AS id, 0.0 AS score FROM articles a WHERE {where}", args
        )


def page_rows(db: sqlite3.Connection, page: int, match: str | None) -> list[tuple]:
    order = "m.score, a.published_on DESC, a.id DESC" if match else "a.published_on DESC, a.id DESC"
    rows = db.execute(
        f"""SELECT a.id, a.headline, a.published_on, s.name FROM m JOIN articles a ON a.id = m.id
            LEFT JOIN sources s ON s.id = a.source_id ORDER BY {order} LIMIT ? OFFSET ?""",
        [PAGE_SIZE, (page - 1) * PAGE_SIZE],
    ).fetchall()
    if match and rows:
        ids = [row[0] for row in rows]
        db.execute(
            f"""SELECT rowid, highlight(fts, 0, '<mark>', '</mark>'),
                       snippet(fts, -1, '<mark>', '</mark>', ' … ', 30)
                FROM fts WHERE fts MATCH ? AND rowid IN ({", ".join("?" * len(ids))})""",
            [match, *ids],
        ).fetchall()
    return rows


def facets(db: sqlite3.Connection) -> dict[str, list]:
    """Months (and years from them), tree facets rolled up, sources: the app's seven facets."""
    months = db.execute(
        "SELECT substr(a.published_on, 1, 7), count(*) FROM m JOIN articles a ON a.id = m.id "
        "GROUP BY 1 ORDER BY 1"
    ).fetchall()
    years: dict[str, int] = {}
    for month, n in months:
        years[month[:4]] = years.get(month[:4], 0) + n
    result = {"year": list(years.items()), "month": months}
    for name, links, column, closure, nodes, kinds in TREE_FACETS:
        kind_clause = f"AND node.kind IN ({', '.join('?' * len(kinds))})" if kinds else ""
        result[name] = db.execute(
            f"""SELECT node.slug, node.name, count(DISTINCT l.article_id) AS n
                FROM m JOIN {links} l ON l.article_id = m.id
                JOIN {closure} c ON c.descendant = l.{column}
                JOIN {nodes} node ON node.id = c.ancestor {kind_clause}
                GROUP BY node.id ORDER BY n DESC, node.name LIMIT ?""",
            [*(kinds or ()), FACET_LIMIT],
        ).fetchall()
    result["source"] = db.execute(
        """SELECT s.slug, s.name, count(*) AS n FROM m JOIN articles a ON a.id = m.id
           JOIN sources s ON s.id = a.source_id GROUP BY s.id ORDER BY n DESC, s.name LIMIT ?""",
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
    collect_matches(db, params, match)
    count = db.execute("SELECT count(*) FROM m").fetchone()[0]
    page_rows(db, int(values.get("page", 1)), match)
    facets(db)
    return time.perf_counter() - started, count
