"""The second peer: the same corpus in tantivy (an inverted index in Rust, `tantivy` from PyPI),
doing the page's work per query as a tantivy user would write it.

Page work = the exact count and the page's 20 rows in one collector pass (BM25 with words, the date
newest first without), the rows' stored headline and source, highlighted headline and body snippet
for the 20 rows (SnippetGenerator), and the facets in one aggregation pass over the same query:
months (years summed from them, as the app does), places, subjects, people, organisations and
sources, top 12 each, every place and topic counted with its ancestors (the ids are rolled up at
indexing, as the app's rollup columns are). Terms aggregations are exact here: each segment returns
every term (`segment_size` above the number of distinct values), so the merge loses none.

Left out beside our page (the README says so): the language and agency facets, and ties in the date
order broken by id (tantivy orders by one fast field).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import time
from pathlib import Path

import psycopg
import tantivy

PAGE_SIZE = 20
FACET_LIMIT = 12
EXACT_TERMS = 100_000  # more than any facet's distinct values: every segment returns all of them
TEXT_FIELDS = ("headline", "summary", "body", "dateline")
EXACT_FIELDS = tuple(f"{name}_exact" for name in TEXT_FIELDS)  # lower-cased, unstemmed (exact=true)
# BM25 field boosts in the ratio of PostgreSQL's A 1.0 / B 0.4 / C 0.2 / D 0.1 (as the SQLite peer).
BOOSTS = {"headline": 1.0, "summary": 0.4, "body": 0.2, "dateline": 0.1}
EXACT_BOOSTS = {f"{name}_exact": boost for name, boost in BOOSTS.items()}
FACET_FIELDS = ("place", "subject", "person", "organisation", "source")
FILTER_FIELDS = {
    "place": "place",
    "topic": "topic",
    "person": "topic",
    "organisation": "topic",
    "source": "source",
}
BATCH = 5_000
SCHEMA_VERSION = 2  # an index of another version is rebuilt


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=True, fast=True)
    builder.add_text_field("headline", stored=True, tokenizer_name="en_stem")
    builder.add_text_field("summary", stored=False, tokenizer_name="en_stem")
    builder.add_text_field("body", stored=True, tokenizer_name="en_stem")
    builder.add_text_field("dateline", stored=False, tokenizer_name="en_stem")
    for name in EXACT_FIELDS:
        builder.add_text_field(name, stored=False, tokenizer_name="default")
    builder.add_integer_field("day", stored=True, indexed=True, fast=True)  # date.toordinal()
    builder.add_integer_field("month", indexed=False, fast=True)  # year * 100 + month
    for name in ("topic", *FACET_FIELDS):  # topic: every rolled-up topic id, for the filters
        builder.add_integer_field(name, stored=name == "source", indexed=True, fast=True)
    return builder.build()


def existing_size(path: Path) -> int | None:
    try:
        meta = json.loads((path / "peer.json").read_text())
    except (OSError, ValueError):
        return None
    return meta.get("articles") if meta.get("version") == SCHEMA_VERSION else None


def build(path: Path, pg: psycopg.Connection, articles: int) -> float:
    """A fresh tantivy index of the published corpus in `path`; returns seconds taken."""
    started = time.perf_counter()
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    kinds = dict(pg.execute("SELECT id, kind FROM archive_topic").fetchall())
    index = tantivy.Index(_schema(), path=str(path))
    writer = index.writer(heap_size=1_000_000_000, num_threads=2)
    with pg.cursor(name="tantivy_peer") as cursor:
        cursor.itersize = BATCH
        cursor.execute(
            "SELECT id, published_on, source_id, headline, summary, body, concat_ws(' ', byline, dateline), "
            "rollup_place_ids, rollup_topic_ids FROM archive_article WHERE status = 'published' ORDER BY id"
        )
        for row in cursor:
            writer.add_document(_document(row, kinds))
    writer.commit()
    writer.wait_merging_threads()
    (path / "peer.json").write_text(
        json.dumps({"articles": articles, "version": SCHEMA_VERSION, "nodes": _nodes(pg)})
    )
    return time.perf_counter() - started


def _document(row: tuple, kinds: dict[int, str]) -> tantivy.Document:
    pk, day, source, headline, summary, body, dateline, places, topics = row
    doc = tantivy.Document(
        id=pk, headline=headline, summary=summary, body=body, dateline=dateline,
        headline_exact=headline, summary_exact=summary, body_exact=body, dateline_exact=dateline,
        day=day.toordinal(), month=day.year * 100 + day.month,
    )  # fmt: skip
    if source is not None:
        doc.add_integer("source", source)
    for place in places:
        doc.add_integer("place", place)
    for topic in topics:
        doc.add_integer("topic", topic)
        kind = kinds.get(topic)
        doc.add_integer(kind if kind in ("person", "organisation") else "subject", topic)
    return doc


def _nodes(pg: psycopg.Connection) -> dict:
    """Slugs to ids and ids to (slug, name) for places, topics (with kinds) and sources."""
    return {
        "place": [list(row) for row in pg.execute("SELECT id, slug, name, '' FROM archive_place")],
        "topic": [list(row) for row in pg.execute("SELECT id, slug, name, kind FROM archive_topic")],
        "source": [list(row) for row in pg.execute("SELECT id, slug, name, '' FROM archive_source")],
    }


def ensure(path: Path, pg: psycopg.Connection, articles: int, rebuild: bool) -> float:
    if not rebuild and existing_size(path) == articles:
        return 0.0
    return build(path, pg, articles)


class Peer:
    """An open index: its searcher and the names of its nodes."""

    def __init__(self, path: Path):
        self.index = tantivy.Index.open(str(path))
        self.index.reload()
        self.schema = self.index.schema
        self.searcher = self.index.searcher()
        nodes = json.loads((path / "peer.json").read_text())["nodes"]
        self.ids = {table: {slug: pk for pk, slug, _, _ in rows} for table, rows in nodes.items()}
        self.names = {
            table: {pk: (slug, name) for pk, slug, name, _ in rows} for table, rows in nodes.items()
        }


def open_peer(path: Path) -> Peer:
    return Peer(path)


def _filter(peer: Peer, name: str, value: str) -> tantivy.Query | None:
    """One filter as a non-scoring query: a node (or any of a comma list) by its rolled-up id, or
    a date range."""
    if name in ("from", "to"):
        bound = _date_bound(value, last=name == "to").toordinal()
        lower, upper = (bound, None) if name == "from" else (None, bound)
        return tantivy.Query.range_query(peer.schema, "day", tantivy.FieldType.Integer, lower, upper)
    field = FILTER_FIELDS.get(name)
    if field is None:
        return None
    ids = [peer.ids[field].get(slug.strip()) for slug in value.split(",") if slug.strip()]
    terms = [tantivy.Query.term_query(peer.schema, field, pk) for pk in ids if pk is not None]
    if not terms:
        return tantivy.Query.empty_query()
    either = (
        terms[0]
        if len(terms) == 1
        else tantivy.Query.boolean_query([(tantivy.Occur.Should, t) for t in terms])
    )
    return tantivy.Query.const_score_query(either, 0.0)


def _date_bound(value: str, *, last: bool) -> dt.date:
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 12, 31) if last else dt.date(parts[0], 1, 1)
    if len(parts) == 2:
        first = dt.date(parts[0], parts[1], 1)
        return (
            (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
            if last
            else first
        )
    return dt.date(*parts)


def to_tantivy(q: str) -> str:
    """The app's query language in tantivy's: the same syntax for words, "phrases", "a b"~N, OR,
    -word and field:word; words are required (conjunction by default)."""
    return re.sub(r"\s+", " ", q).strip()


def build_query(peer: Peer, params: list[tuple[str, str]]) -> tuple[tantivy.Query, tantivy.Query | None]:
    """(the whole query, the words' query for the highlights, or None). With exact=true the words
    are looked up in the unstemmed fields, and highlighted by their stems (the stored fields)."""
    values = dict(params)
    words = None
    if values.get("q"):
        words = peer.index.parse_query(
            to_tantivy(values["q"]), list(TEXT_FIELDS), field_boosts=BOOSTS, conjunction_by_default=True
        )
    matching = words
    if words is not None and values.get("exact") == "true":
        text = re.sub(r"\b(headline|summary|body|dateline):", r"\1_exact:", to_tantivy(values["q"]))
        matching = peer.index.parse_query(
            text, list(EXACT_FIELDS), field_boosts=EXACT_BOOSTS, conjunction_by_default=True
        )
    filters = [f for name, value in params if (f := _filter(peer, name, value)) is not None]
    clauses = ([matching] if matching is not None else []) + filters
    if not clauses:
        return tantivy.Query.all_query(), None
    if len(clauses) == 1:
        return clauses[0], words
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, c) for c in clauses]), words


def page_rows(peer: Peer, query: tantivy.Query, words: tantivy.Query | None, page: int) -> tuple[int, list]:
    """The exact count and the page's rows (stored fields, highlighted headline and body snippet)."""
    offset = (page - 1) * PAGE_SIZE
    if words is not None:
        found = peer.searcher.search(query, limit=PAGE_SIZE, offset=offset, count=True)
    else:
        found = peer.searcher.search(
            query, limit=PAGE_SIZE, offset=offset, count=True, order_by_field="day", order=tantivy.Order.Desc
        )
    docs = [peer.searcher.doc(address) for _, address in found.hits]
    rows = []
    if words is not None and docs:
        headline = tantivy.SnippetGenerator.create(peer.searcher, words, peer.schema, "headline")
        body = tantivy.SnippetGenerator.create(peer.searcher, words, peer.schema, "body")
        body.set_max_num_chars(200)
        for doc in docs:
            rows.append(
                (doc["id"][0], headline.snippet_from_doc(doc).to_html(), body.snippet_from_doc(doc).to_html())
            )
    else:
        rows = [(doc["id"][0], doc["headline"][0], "") for doc in docs]
    return found.count, rows


AGGREGATIONS = {
    "month": {"terms": {"field": "month", "size": EXACT_TERMS, "segment_size": EXACT_TERMS}},
    **{
        name: {"terms": {"field": name, "size": FACET_LIMIT, "segment_size": EXACT_TERMS}}
        for name in FACET_FIELDS
    },
}


def facets(peer: Peer, query: tantivy.Query) -> dict[str, list]:
    """Months (and years from them), the rolled-up places and topics by kind, sources: top 12 each."""
    result = peer.searcher.aggregate(query, AGGREGATIONS)
    months = sorted((int(b["key"]), b["doc_count"]) for b in result["month"]["buckets"])
    years: dict[int, int] = {}
    for month, n in months:
        years[month // 100] = years.get(month // 100, 0) + n
    named = {"year": list(years.items()), "month": months}
    for name in FACET_FIELDS:
        names = peer.names[
            name if name in ("place", "source") else "topic"
        ]  # subjects, people, organisations
        buckets = result[name]["buckets"]
        named[name] = [(*names.get(int(b["key"]), ("", "")), b["doc_count"]) for b in buckets]
    return named


def run_page(peer: Peer, params: list[tuple[str, str]]) -> tuple[float | None, int | None]:
    """Seconds for the whole page's work and the match count."""
    started = time.perf_counter()
    query, words = build_query(peer, params)
    count, _ = page_rows(peer, query, words, int(dict(params).get("page", 1)))
    facets(peer, query)
    return time.perf_counter() - started, count
