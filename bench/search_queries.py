"""The search benchmark's query mix, drawn from the corpus itself (vocabulary, links, dates).

Word classes are chosen by document frequency: candidates come from `archive_vocabulary` (unstemmed
words and their document counts), then each candidate's real count under the stemmed configuration
is taken and only those inside the class's range are kept. Phrases and proximity pairs come from
the most frequent word pairs in the base stories. The counting pass doubles as buffer warm-up.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import psycopg
from search_corpus import ID_STRIDE

# (class, lowest share of the corpus, highest share): a query belongs when lo < count / N <= hi.
SIZE_CLASSES = [
    ("selective", 0.0, 0.001),
    ("moderate", 0.001, 0.01),
    ("broad", 0.01, 0.10),
    ("very broad", 0.10, 1.0),
]
DEEP_PAGE = 5000
PAGE_SIZE = 20
TOKEN = re.compile(r"[a-z]+")
VARIANT = r"q[ab][a-z]$"  # the per-copy suffix of a varied rare word (see search_corpus.copy_suffix)


@dataclass
class Query:
    """One benchmark query: its class and its parameters as (name, value) pairs, in order."""

    klass: str
    params: list[tuple[str, str]]
    expected: int | None = None  # count from the selection pass, when known

    @property
    def query_string(self) -> str:
        return urlencode(self.params)

    @property
    def q(self) -> str:
        return dict(self.params).get("q", "")


def stemmed_count(conn: psycopg.Connection, text: str) -> int:
    """Published articles matching plain words (ANDed) or `a OR b` under the stemmed configuration."""
    return conn.execute(
        "SELECT count(*) FROM archive_article WHERE status = 'published' "
        "AND search_vector @@ websearch_to_tsquery('archive_english', %s)",
        [text],
    ).fetchone()[0]


def vocabulary_candidates(conn: psycopg.Connection, low: float, high: float, limit: int) -> list[str]:
    """Real (unvaried), non-stop words whose unstemmed document count lies in [low, high], spread by hash."""
    rows = conn.execute(
        """
        SELECT word FROM archive_vocabulary
        WHERE ndoc BETWEEN %s AND %s AND word ~ '^[a-z]{4,}$' AND word !~ %s
          AND numnode(plainto_tsquery('archive_english', word)) > 0
        ORDER BY md5(word) LIMIT %s
        """,
        [max(1, int(low)), max(1, int(high)), VARIANT, limit],
    ).fetchall()
    return [row[0] for row in rows]


def size_class_words(conn: psycopg.Connection, articles: int, per_class: int) -> dict[str, list[Query]]:
    """Single words (or OR-pairs for the broadest class, if words run short) checked against each range."""
    chosen: dict[str, list[Query]] = {}
    taken_stems: set[str] = set()
    for klass, lo, hi in SIZE_CLASSES:
        queries: list[Query] = []
        # The stemmed count is at least the unstemmed one, so candidates come from the lower part.
        low = lo * articles + 1 if lo else 2
        high = hi * articles * (0.6 if hi < 1 else 1)
        for word in vocabulary_candidates(conn, low, high, per_class * 4):
            if len(queries) >= per_class:
                break
            stem = conn.execute("SELECT plainto_tsquery('archive_english', %s)::text", [word]).fetchone()[0]
            if stem in taken_stems:
                continue
            count = stemmed_count(conn, word)
            if lo * articles < count <= hi * articles:
                taken_stems.add(stem)
                queries.append(Query(klass, [("q", word)], count))
        if klass == "very broad":
            queries += or_pairs(conn, queries, articles, per_class - len(queries))
        chosen[klass] = queries
    return chosen


def or_pairs(conn: psycopg.Connection, singles: list[Query], articles: int, needed: int) -> list[Query]:
    """`a OR b` over broad words, for when too few single words cover more than 10 % of the corpus."""
    if needed <= 0:
        return []
    words = vocabulary_candidates(conn, 0.03 * articles, articles, 60)
    pairs = []
    for i, first in enumerate(words):
        for second in words[i + 1 :]:
            if len(pairs) >= needed:
                return pairs
            text = f"{first} OR {second}"
            count = stemmed_count(conn, text)
            if count > 0.10 * articles:
                pairs.append(Query("very broad", [("q", text)], count))
    return pairs


def frequent_pairs(conn: psycopg.Connection, stop: set[str], window: int) -> Counter:
    """Document counts of ordered word pairs at distance 1 (window=1) or 2..window in the base stories."""
    counts: Counter = Counter()
    rows = conn.execute(
        "SELECT lower(headline || ' ' || body) FROM archive_article WHERE id < %s", [ID_STRIDE]
    )
    for (text,) in rows:
        words = [w for w in TOKEN.findall(text) if len(w) > 2]
        seen = set()
        for i, word in enumerate(words):
            if word in stop:
                continue
            span = range(i + 1, i + 2) if window == 1 else range(i + 2, min(len(words), i + window + 1))
            for j in span:
                if j < len(words) and words[j] not in stop and words[j] != word:
                    seen.add((word, words[j]))
        counts.update(seen)
    return counts


def stop_words(conn: psycopg.Connection) -> set[str]:
    rows = conn.execute(
        "SELECT word FROM archive_vocabulary WHERE ndoc > 50 "
        "AND numnode(plainto_tsquery('archive_english', word)) = 0"
    ).fetchall()
    return {row[0] for row in rows} | {"said", "reuter", "mln", "dlrs", "pct", "the"}


def spread(items: list, count: int) -> list:
    """`count` items evenly spaced through a list sorted by frequency (frequent and rarer alike)."""
    if len(items) <= count:
        return items
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


def distinct_stems(conn: psycopg.Connection, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Pairs whose two words have different English stems ("share shares" is one word twice)."""
    words = sorted({w for pair in pairs for w in pair})
    rows = conn.execute(
        "SELECT w, plainto_tsquery('archive_english', w)::text FROM unnest(%s::text[]) AS w", [words]
    ).fetchall()
    stem = dict(rows)
    return [(a, b) for a, b in pairs if stem.get(a) and stem.get(b) and stem[a] != stem[b]]


def phrase_queries(conn: psycopg.Connection, per_class: int) -> list[Query]:
    """Two-word phrases ("oil prices") and proximity pairs ("coffee brazil"~5) from frequent pairs."""
    stop = stop_words(conn)
    adjacent = distinct_stems(conn, [p for p, n in frequent_pairs(conn, stop, 1).most_common(400) if n >= 20])
    near = distinct_stems(conn, [p for p, n in frequent_pairs(conn, stop, 5).most_common(400) if n >= 20])
    phrase_count = per_class - per_class // 3
    phrases = [Query("phrase/near", [("q", f'"{a} {b}"')]) for a, b in spread(adjacent, phrase_count)]
    used = {frozenset(pair) for pair in adjacent}
    near = [pair for pair in near if frozenset(pair) not in used]
    nears = [Query("phrase/near", [("q", f'"{a} {b}"~5')]) for a, b in spread(near, per_class - len(phrases))]
    return phrases + nears


def top_nodes(conn: psycopg.Connection, table: str, column: str, node_table: str, where: str, n: int):
    rows = conn.execute(
        f"""SELECT node.slug FROM {table} l JOIN {node_table} node ON node.id = l.{column}
            WHERE l.article_id < %s {where} GROUP BY node.slug ORDER BY count(*) DESC, node.slug LIMIT %s""",
        [ID_STRIDE, n],
    ).fetchall()
    return [row[0] for row in rows]


def corpus_years(conn: psycopg.Connection) -> list[int]:
    rows = conn.execute(
        "SELECT DISTINCT extract(year FROM published_on)::int FROM archive_article ORDER BY 1 DESC"
    ).fetchall()
    return [row[0] for row in rows]


def filter_sets(conn: psycopg.Connection) -> list[list[tuple[str, str]]]:
    """Place, topic, person, organisation, date-range and source filters, alone and combined."""
    places = top_nodes(conn, "archive_article_places", "place_id", "archive_place", "", 8)
    subjects = top_nodes(
        conn, "archive_article_topics", "topic_id", "archive_topic", "AND node.kind = 'subject'", 8
    )
    people = top_nodes(
        conn, "archive_article_topics", "topic_id", "archive_topic", "AND node.kind = 'person'", 3
    )
    orgs = top_nodes(
        conn, "archive_article_topics", "topic_id", "archive_topic", "AND node.kind = 'organisation'", 3
    )
    years = corpus_years(conn)
    year = lambda i: str(years[i % len(years)])  # noqa: E731
    sets = [[("place", p)] for p in places]
    sets += [[("topic", t)] for t in subjects]
    sets += [[("person", p)] for p in people] + [[("organisation", o)] for o in orgs]
    sets += [[("from", year(i)), ("to", year(i))] for i in (0, len(years) // 2, -1)]
    sets += [[("from", f"{year(0)}-03"), ("to", f"{year(0)}-04")], [("source", "reuters")]]
    sets += [[("place", places[i]), ("topic", subjects[i])] for i in range(4)]
    sets += [[("place", places[i]), ("from", year(i)), ("to", year(i))] for i in range(3)]
    sets += [[("topic", subjects[i]), ("source", "reuters"), ("from", year(i + 1))] for i in range(2)]
    sets += [[("place", f"{places[1]},{places[2]}"), ("topic", subjects[0])]]
    return sets


def scoped_queries(by_size: dict[str, list[Query]], per_class: int) -> list[Query]:
    """`headline:word` over the moderate and broad words: the matches are the headlines only."""
    words = spread(by_size["moderate"] + by_size["broad"], per_class)
    return [Query("field scope", [("q", f"headline:{word.q}")]) for word in words]


def exact_queries(conn: psycopg.Connection, by_size: dict[str, list[Query]], per_class: int) -> list[Query]:
    """`exact=true&q=word`: no stemming and no stop words, so a third of them are English stop words
    (`who`, `which` …: tens of thousands of matches here, none in the stemmed index)."""
    stops = sorted(w for w in stop_words(conn) if TOKEN.fullmatch(w) and len(w) >= 3)
    stops = [w for w in stops if w not in {"said", "reuter", "mln", "dlrs", "pct", "the"}]
    chosen = spread(stops, per_class // 3)
    words = spread(by_size["moderate"] + by_size["broad"] + by_size["very broad"], per_class - len(chosen))
    return [Query("exact", [("exact", "true"), ("q", w)]) for w in chosen + [q.q for q in words]]


def exclusion_queries(by_size: dict[str, list[Query]], per_class: int) -> list[Query]:
    """`broad -moderate`: the broad word's matches without those of another word."""
    kept, dropped = by_size["broad"], by_size["moderate"]
    if not kept or not dropped:
        return []
    return [
        Query("exclusion", [("q", f"{kept[i % len(kept)].q} -{dropped[i % len(dropped)].q}")])
        for i in range(per_class)
    ]


def build_mix(conn: psycopg.Connection, articles: int, per_class: int) -> list[Query]:
    """Every class of the benchmark, in run order."""
    by_size = size_class_words(conn, articles, per_class)
    filters = filter_sets(conn)
    mix: list[Query] = [q for klass, _, _ in SIZE_CLASSES for q in by_size[klass]]
    mix += phrase_queries(conn, per_class)
    mix += [Query("filters, no q", params) for params in filters[:per_class]]
    words = by_size["moderate"] + by_size["broad"]
    mix += [
        Query("q + filters", [("q", words[i % len(words)].q), *filters[i % len(filters)]])
        for i in range(per_class)
    ]
    mix += scoped_queries(by_size, per_class)
    mix += exact_queries(conn, by_size, per_class)
    mix += exclusion_queries(by_size, per_class)
    for query in by_size["very broad"]:
        last_page = max(1, -(-query.expected // PAGE_SIZE))
        mix.append(
            Query("page 5000", [*query.params, ("page", str(min(DEEP_PAGE, last_page)))], query.expected)
        )
    return mix


def warmup_queries(conn: psycopg.Connection, articles: int, mix: list[Query]) -> list[Query]:
    """A few requests not in the mix (other words), to load code paths, templates and connections."""
    used = {q.q for q in mix}
    words = [w for w in vocabulary_candidates(conn, 0.002 * articles, 0.2 * articles, 40) if w not in used]
    return [Query("warm-up", [("q", w)]) for w in words[:5]] + [Query("warm-up", [("place", "france")])]


def from_csv(path: Path) -> list[Query]:
    """The mix of an earlier run, from its CSV (bench/results/search-<N>.csv): class and query string."""
    with path.open(newline="") as handle:
        return [Query(row["class"], parse_qsl(row["query_string"])) for row in csv.DictReader(handle)]
