"""Keyword in context: every occurrence of the query's positive terms in the matching articles, one line each.

Tokens are compared through PostgreSQL's own text-search configuration (to_tsvector of each distinct
token), never a Python stemmer, so "attack" finds "attacked" and "Keita" finds "Keïta" exactly as
search does. Stop words inside a phrase match any word, as in PostgreSQL's phrase search.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from operator import itemgetter

from django.db import connection, transaction
from django.utils.translation import gettext as _

from archive import text_config
from archive.api_items import permalink
from archive.models import Article
from archive.replicas import read_connection
from archive.search import ordering, textsearch
from archive.search.parser import WORD_CHARS, Term, parse

FIELDS = ("headline", "summary", "body")
DEFAULT_WIDTH, MAX_WIDTH = 8, 30
SORTS = ("date", "left", "right")
BATCH_SIZE = 500
SPACE = re.compile(r"\s+")


class KwicError(ValueError):
    """A KWIC parameter (width, sort) out of range."""


@dataclass
class Pattern:
    """One positive term as per-word lexeme sets (an empty set stands for a stop word: any word)."""

    words: list[frozenset[str]]
    config: str
    prefix: bool
    field: str

    def fits(self, field: str) -> bool:
        return not self.field or self.field == field


@dataclass
class Line:
    article_id: int
    published: object
    slug: str
    field: str
    position: int
    hit_number: int
    left: str
    hit: str
    right: str

    def as_row(self, site: str, query_string: str) -> list:
        return [
            self.article_id,
            self.published.isoformat(),
            self.left,
            self.hit,
            self.right,
            site + self.link(query_string),
        ]

    def link(self, query_string: str) -> str:
        return f"{permalink('', self.article_id, self.slug)}?{query_string}#hit-{self.hit_number}"


def width_and_sort(params) -> tuple[int, str]:
    raw = params.get("width", "") or str(DEFAULT_WIDTH)
    if not raw.isdecimal() or not 1 <= int(raw) <= MAX_WIDTH:
        raise KwicError(_("width must be a whole number of words from 1 to %(max)s") % {"max": MAX_WIDTH})
    sort = params.get("sort", "") or "date"
    if sort not in SORTS:
        raise KwicError(_("sort must be one of: %(choices)s") % {"choices": ", ".join(SORTS)})
    return int(raw), sort


def _lexemes(tokens: set[str], configs: set[str]) -> dict[tuple[str, str], frozenset[str]]:
    """{(config, token): lexemes} from PostgreSQL, in one round trip per configuration."""
    found: dict[tuple[str, str], frozenset[str]] = {}
    ordered = sorted(tokens)
    with read_connection().cursor() as cursor:
        for config in configs:
            cursor.execute(
                "SELECT t, ARRAY(SELECT lexeme FROM unnest(to_tsvector(%s::regconfig, t))) "
                "FROM unnest(%s::text[]) AS t",
                [config, ordered],
            )
            found.update({(config, token): frozenset(lexemes) for token, lexemes in cursor.fetchall()})
    return found


def patterns(q: str, *, exact_mode: bool, languages: Iterable[str] = ("en",)) -> list[Pattern]:
    """The query's positive terms (excluded terms never produce lines), each stemmed term once per
    configuration of `languages` (an article's lines use its own language's patterns)."""
    terms: list[Term] = [
        t for t in parse(textsearch.clean_query_text(q), exact_mode=exact_mode).terms() if not t.negated
    ]
    stemmed = sorted({text_config.language_config(code) for code in languages} or {text_config.SEARCH_CONFIG})
    found = []
    for term in terms:
        words = WORD_CHARS.findall(term.text)
        groups = [[w] for w in words] if term.kind == "near" else [words]
        for config in [text_config.EXACT_CONFIG] if term.exact else stemmed:
            found.extend((config, term, group) for group in groups)
    lexemes = _lexemes({w for _, _, group in found for w in group}, {config for config, _, _ in found})
    result = []
    for config, term, group in found:
        sets = [lexemes[(config, w)] for w in group]
        if any(sets):  # a term of stop words only searches nothing
            result.append(Pattern(sets, config, term.prefix, term.field))
    return [p for p in result if not p.field or p.field in FIELDS]


def _tokens(text: str) -> list[re.Match]:
    return list(WORD_CHARS.finditer(text))


def _matches_at(pattern: Pattern, lexemes: list[frozenset[str]], i: int) -> bool:
    if i + len(pattern.words) > len(lexemes):
        return False
    for offset, wanted in enumerate(pattern.words):
        if not wanted:
            continue
        have = lexemes[i + offset]
        if pattern.prefix:
            if not any(lexeme.startswith(w) for w in wanted for lexeme in have):
                return False
        elif not wanted & have:
            return False
    return True


def _clean(text: str) -> str:
    return SPACE.sub(" ", text).strip()


def _field_lines(article: dict, field: str, text: str, tokens, lexemes, pats, width: int, start_number: int):
    """Lines of one field, and how many hit words it marked (for the article page's #hit-N)."""
    lines, marked, i = [], 0, 0
    while i < len(tokens):
        pattern = next((p for p in pats if p.fits(field) and _matches_at(p, lexemes, i)), None)
        if pattern is None:
            i += 1
            continue
        end = i + len(pattern.words) - 1
        left_start = tokens[max(0, i - width)].start()
        right_end = tokens[min(len(tokens) - 1, end + width)].end()
        lines.append(
            Line(
                article_id=article["pk"],
                published=article["published_on"],
                slug=article["slug"],
                field=field,
                position=i,
                hit_number=start_number + marked + 1,
                left=_clean(text[left_start : tokens[i].start()]) if i else "",
                hit=_clean(text[tokens[i].start() : tokens[end].end()]),
                right=_clean(text[tokens[end].end() : right_end]) if end + 1 < len(tokens) else "",
            )
        )
        marked += sum(1 for w in pattern.words if w)
        i = end + 1
    return lines, marked


def article_lines(articles: list[dict], pats: list[Pattern], width: int) -> list[Line]:
    """Every occurrence in a batch of articles, in text order within each article."""
    tokenised = {(a["pk"], f): _tokens(a[f] or "") for a in articles for f in FIELDS}
    configs = {p.config for p in pats}
    lexemes = _lexemes({m.group(0) for tokens in tokenised.values() for m in tokens}, configs)
    lines = []
    for article in articles:
        number = 0
        own_configs = configs & {text_config.EXACT_CONFIG, text_config.language_config(article["language"])}
        for field in FIELDS:
            tokens = tokenised[(article["pk"], field)]
            by_config = {config: [lexemes[(config, m.group(0))] for m in tokens] for config in own_configs}
            for config in sorted(own_configs):
                own = [p for p in pats if p.config == config]
                found, marked = _field_lines(
                    article, field, article[field] or "", tokens, by_config[config], own, width, number
                )
                lines.extend(found)
                number += marked
    return lines


def all_lines(matches, pats: list[Pattern], width: int) -> Iterator[list[Line]]:
    """Lines of every matching article, oldest first, a batch of articles at a time."""
    if not pats:
        return
    for ids in ordering.keyset_batches(matches.select_related(None), "oldest", BATCH_SIZE):
        rows = Article.objects.filter(pk__in=ids).values("pk", "slug", "published_on", "language", *FIELDS)
        yield article_lines(ordering.in_id_order(rows, ids, key=itemgetter("pk")), pats, width)


def context_words(line: Line, sort: str) -> list[str]:
    """What a context sort compares first: the left context read backwards, or the right one, lower-cased."""
    words = reversed(line.left.split()) if sort == "left" else line.right.split()
    return [word.lower() for word in words]


def sort_key(sort: str):
    """The Python order of the lines (the page's); the sorted CSV's SQL order is the same."""
    if sort in ("left", "right"):
        return lambda line: (context_words(line, sort), line.hit.lower(), line.article_id)
    return lambda line: (line.published, line.article_id, FIELDS.index(line.field), line.position)


# Code-point order ("C"), as Python compares strings; `seq` keeps the date order among equal keys.
SORT_TABLE_SQL = """
CREATE TEMPORARY TABLE kwic_sorted_lines (
    seq bigint, words text[] COLLATE "C", hit text COLLATE "C", article_id bigint, line text
) ON COMMIT DROP
"""
FETCH_SIZE = 1000


def _store(cursor, lines: list[Line], sort: str, encode, start: int) -> int:
    """Copy one batch of lines into the sort table; the next line's sequence number."""
    with cursor.copy("COPY kwic_sorted_lines (seq, words, hit, article_id, line) FROM STDIN") as copy:
        copy.set_types(["bigint", "text[]", "text", "bigint", "text"])
        for seq, line in enumerate(lines, start):
            copy.write_row((seq, context_words(line, sort), line.hit.lower(), line.article_id, encode(line)))
    return start + len(lines)


def sorted_by_context(batches: Iterable[list[Line]], sort: str, encode) -> Iterator[list[str]]:
    """Every line ordered by its left or right context, as `encode(line)`, FETCH_SIZE at a time.

    PostgreSQL sorts them in a temporary table (spilling to disk as it needs), so the worker holds
    one batch of lines, never all of them, however many the search finds.
    """
    # On the primary: a standby cannot create even a temporary table.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DROP TABLE IF EXISTS kwic_sorted_lines"
        )  # left by an earlier stream in this transaction
        cursor.execute(SORT_TABLE_SQL)
        stored = 0
        for lines in batches:
            stored = _store(cursor, lines, sort, encode, stored)
        cursor.execute(
            "DECLARE kwic_order NO SCROLL CURSOR FOR "
            "SELECT line FROM kwic_sorted_lines ORDER BY words, hit, article_id, seq"
        )
        while rows := _fetch(cursor):
            yield rows
        cursor.execute("CLOSE kwic_order")
        cursor.execute("DROP TABLE kwic_sorted_lines")


def _fetch(cursor) -> list[str]:
    cursor.execute(f"FETCH {FETCH_SIZE} FROM kwic_order")
    return [line for (line,) in cursor.fetchall()]
