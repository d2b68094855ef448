"""Turn a parsed query into tsqueries built only from lexemes PostgreSQL itself produced.

Each term's words go through plainto_tsquery / phraseto_tsquery with the right configuration; the
operators (&, |, !, <N>) and weights are added here around those lexemes. No user text ever reaches
PostgreSQL's tsquery parser, so no input can cause a tsquery syntax error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, FloatField, Q, Value
from django.db.models.functions import Cast

from archive import text_config
from archive.search import parser, textsearch
from archive.search.parser import Term

LEXEME = re.compile(r"'(?:[^']|'')*'")


class TsQuery(SearchQuery):
    """A tsquery given as finished text (already normalised lexemes), cast without re-parsing the words."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(Value(self.text))
        return f"{sql}::tsquery", params


@dataclass
class CompiledQuery:
    """What the database runs for a query, and what the page tells the researcher about it."""

    stemmed: str = ""  # tsquery text against search_vector
    exact: str = ""  # tsquery text against search_vector_exact
    mixed: list[tuple[str, str]] = field(default_factory=list)  # OR-clauses spanning both vectors
    understood: str = ""
    dropped: list[str] = field(default_factory=list)
    positive_words: list[str] = field(default_factory=list)
    # The same query for marking hits, with each proximity term as its two words (see _near_marking).
    marking: CompiledQuery | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.stemmed or self.exact or self.mixed)

    def condition(self) -> Q:
        """The WHERE condition: each vector's tsquery, and the clauses that mix both."""
        condition = Q()
        if self.stemmed:
            condition &= Q(search_vector=TsQuery(self.stemmed))
        if self.exact:
            condition &= Q(search_vector_exact=TsQuery(self.exact))
        for stemmed, exact in self.mixed:
            condition &= Q(search_vector=TsQuery(stemmed)) | Q(search_vector_exact=TsQuery(exact))
        return condition

    def rank(self) -> Cast:
        """Relevance as double precision, so a cursor carries it exactly."""
        if self.stemmed or not self.exact:
            rank = SearchRank(F("search_vector"), TsQuery(self.stemmed or self._first_mixed()))
        else:
            rank = SearchRank(F("search_vector_exact"), TsQuery(self.exact))
        return Cast(rank, FloatField())

    def highlight_query(self) -> tuple[TsQuery, str]:
        """The query and configuration used to mark hits in text."""
        if self.marking:
            return self.marking.highlight_query()
        if self.stemmed or not self.exact:
            return TsQuery(self.stemmed or self._first_mixed()), text_config.SEARCH_CONFIG
        return TsQuery(self.exact), text_config.EXACT_CONFIG

    def _first_mixed(self) -> str:
        return self.mixed[0][0] if self.mixed else ""


def _lexemes(terms: list[Term]) -> list[str]:
    """Each term's tsquery text from PostgreSQL (empty when only stop words), in one round trip."""
    if not terms:
        return []
    configs = [text_config.EXACT_CONFIG if t.exact else text_config.SEARCH_CONFIG for t in terms]
    functions = ["phrase" if t.kind == "phrase" else "plain" for t in terms]
    texts = [t.text for t in terms]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT CASE fn WHEN 'phrase' THEN phraseto_tsquery(cfg::regconfig, txt)
                           ELSE plainto_tsquery(cfg::regconfig, txt) END::text
            FROM unnest(%s::text[], %s::text[], %s::text[]) WITH ORDINALITY AS t(cfg, fn, txt, n)
            ORDER BY n
            """,
            [configs, functions, texts],
        )
        return [row[0] for row in cursor.fetchall()]


def _near(term: Term, words: list[str]) -> str:
    """Two terms within `distance` words of each other, in either order."""
    first, second = (f"({w})" for w in words)
    options = [
        f"{a} <{k}> {b}" for k in range(1, term.distance + 1) for a, b in ((first, second), (second, first))
    ]
    return "(" + " | ".join(options) + ")"


def _near_marking(words: list[str]) -> str:
    """A proximity term as its two words, for marking hits only.

    ts_headline marks every occurrence of a query's words either way, but choosing an extract's
    fragments with the ten-way `<k>` alternation costs ~50 ms an article (a 1,100-character story,
    measured); with `a & b` under 5 ms, and a fragment still holds both words.
    """
    return "(" + " & ".join(f"({w})" for w in words) + ")"


def _term_tsquery(term: Term, lexemes: str, word_lexemes: list[str], *, marking: bool = False) -> str:
    if term.kind == "near":
        text = _near_marking(word_lexemes) if marking else _near(term, word_lexemes)
    else:
        text = lexemes
    suffix = (":*" if term.prefix else "") + term.weight
    if suffix:
        text = LEXEME.sub(
            lambda m: m.group(0) + (":" + suffix.lstrip(":") if not suffix.startswith(":") else suffix), text
        )
    return f"!({text})" if term.negated else f"({text})"


def compile_query(text: str, *, exact_mode: bool = False) -> CompiledQuery:
    """Parse and compile a researcher's query."""
    parsed = parser.parse(textsearch.clean_query_text(text), exact_mode=exact_mode)
    terms = parsed.terms()
    near_words = [Term(w, exact=t.exact) for t in terms if t.kind == "near" for w in t.text.split()]
    all_lexemes = _lexemes(terms + near_words)
    lexemes, near_lexemes = all_lexemes[: len(terms)], iter(all_lexemes[len(terms) :])
    compiled = CompiledQuery(dropped=list(parsed.notes))
    by_term, marking_terms = {}, {}
    for term, lex in zip(terms, lexemes, strict=True):
        words = [next(near_lexemes), next(near_lexemes)] if term.kind == "near" else []
        if not lex or (words and not all(words)):
            compiled.dropped.append(_dropped_message(term))
            continue
        by_term[id(term)] = _term_tsquery(term, lex, words)
        if words:
            marking_terms[id(term)] = _term_tsquery(term, lex, words, marking=True)
        if not term.negated:
            compiled.positive_words.extend(term.text.split())
    kept_clauses = [[t for t in clause if id(t) in by_term] for clause in parsed.clauses]
    kept_clauses = [clause for clause in kept_clauses if clause]
    _assemble(compiled, kept_clauses, by_term)
    if marking_terms:
        compiled.marking = CompiledQuery()
        _assemble(compiled.marking, kept_clauses, {**by_term, **marking_terms})
    compiled.understood = parser.ParsedQuery(kept_clauses).understood()
    return compiled


def _assemble(compiled: CompiledQuery, clauses: list[list[Term]], by_term: dict) -> None:
    stemmed, exact = [], []
    for clause in clauses:
        parts_stemmed = [by_term[id(t)] for t in clause if not t.exact]
        parts_exact = [by_term[id(t)] for t in clause if t.exact]
        if parts_stemmed and parts_exact:
            compiled.mixed.append((" | ".join(parts_stemmed), " | ".join(parts_exact)))
        elif parts_stemmed:
            stemmed.append("(" + " | ".join(parts_stemmed) + ")")
        else:
            exact.append("(" + " | ".join(parts_exact) + ")")
    compiled.stemmed, compiled.exact = " & ".join(stemmed), " & ".join(exact)


def _dropped_message(term: Term) -> str:
    if term.exact:
        return f"“{term.text}” has no searchable words"
    return (
        f"“{term.text}” was left out: it is an English stop word, too common to search; "
        f"exact:{term.text.split()[0]} or the exact-words switch finds it"
    )
