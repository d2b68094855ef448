"""Turn a parsed query into tsqueries built only from lexemes PostgreSQL itself produced.

Each term's words go through plainto_tsquery / phraseto_tsquery with the right configuration; the
operators (&, |, !, <N>) and weights are added here around those lexemes. No user text ever reaches
PostgreSQL's tsquery parser, so no input can cause a tsquery syntax error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import BooleanField, Case, F, FloatField, Q, Value, When
from django.db.models.functions import Cast
from django.utils.text import get_text_list
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from archive import text_config
from archive.replicas import read_connection
from archive.search import parser, textsearch
from archive.search.parser import Term

# Languages Django does not name (its LANG_INFO), by code.
OTHER_LANGUAGE_NAMES = {"yi": gettext_lazy("Yiddish"), "und": gettext_lazy("undetermined languages")}
# Interface languages that write a language's name in lower case inside a sentence ("en anglais"),
# where Django's translated names are capitalised.
LOWER_CASE_LANGUAGE_NAMES = ("fr",)

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
    # The clauses of one stemmed `headline:` term, without weights, against headline_vector; and the
    # stemmed part without them. Both are only how the rows are looked up: `stemmed` still ranks and
    # marks, and matches the same rows (its `'w':A` is the headline's `'w'`).
    headline: str = ""
    stemmed_rest: str = ""
    mixed: list[tuple[str, str]] = field(default_factory=list)  # OR-clauses spanning both vectors
    understood: str = ""
    dropped: list[str] = field(default_factory=list)
    positive_words: list[str] = field(default_factory=list)
    # The same query for marking hits, with each proximity term as its two words (see _near_marking).
    marking: CompiledQuery | None = None
    languages: list[str] = field(default_factory=list)  # the languages searched (ISO codes)
    # Per-language queries whose exact or mixed parts differ (a stop word in some languages only):
    # then the index condition is the union of theirs.
    variants: list[CompiledQuery] = field(default_factory=list)
    # When the languages read the query differently: each configuration's languages and its query,
    # to recheck every row the one index lookup of the union returns against its own language's.
    by_language: list[tuple[list[str], CompiledQuery]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.stemmed or self.exact or self.mixed)

    @property
    def language_names(self) -> str:
        """The languages searched, as a reader says them ("English, French and Spanish")."""
        return _language_names(self.languages)

    def condition(self) -> Q:
        """The WHERE condition: one index lookup of the languages' union, then, when they read the
        query differently, each row rechecked against its own language's query — an English report
        does not match the French stem of an English word.

        With a recheck the index is asked for the union without word order (`a <-> b` read as
        `a & b`, a superset): GIN then returns its rows without reading their positions, and each
        row's positions are read once, for its own language's query, instead of for every
        language's (measured at one million articles: `"shrs note"` in three languages, 25,000
        candidate rows).
        """
        if not self.by_language:
            return self._lookup()
        whens = [
            When(language__in=codes, then=variant._lookup() if not variant.is_empty else Value(False))
            for codes, variant in self.by_language
        ]
        # A language no configuration lists (a draft in a new language) meets the whole union.
        recheck = Case(*whens, default=self._lookup(), output_field=BooleanField())
        return self._lookup(ordered=False) & Q(recheck)

    def _lookup(self, *, ordered: bool = True) -> Q:
        """Each vector's tsquery, and the clauses that mix both (the union of the variants' when set);
        `ordered=False` drops word order and distance, for the index lookup a recheck follows."""
        query = TsQuery if ordered else _unordered_tsquery
        if self.variants:
            union = Q()
            for variant in self.variants:
                union |= variant._lookup(ordered=ordered)
            return union
        condition = Q()
        if self.headline:
            condition &= Q(headline_vector=query(self.headline))
        stemmed = self.stemmed_rest if self.headline else self.stemmed
        if stemmed:
            condition &= Q(search_vector=query(stemmed))
        if self.exact:
            condition &= Q(search_vector_exact=query(self.exact))
        for stemmed, exact in self.mixed:
            condition &= Q(search_vector=query(stemmed)) | Q(search_vector_exact=query(exact))
        return condition

    def rank(self) -> Cast:
        """Relevance as double precision, so a cursor carries it exactly: each article ranked by its
        own language's query when the languages read it differently."""
        if not self.by_language:
            return Cast(self._rank(), FloatField())
        whens = [
            When(language__in=codes, then=variant._rank())
            for codes, variant in self.by_language
            if not variant.is_empty
        ]
        return Cast(Case(*whens, default=self._rank(), output_field=FloatField()), FloatField())

    def _rank(self) -> SearchRank:
        if self.stemmed or not self.exact:
            return SearchRank(F("search_vector"), TsQuery(self.stemmed or self._first_mixed()))
        return SearchRank(F("search_vector_exact"), TsQuery(self.exact))

    def highlight_query(self, language: str = "en") -> tuple[TsQuery, str]:
        """The query, and the configuration to read an article in `language` with, to mark its hits."""
        for codes, variant in self.by_language:
            if language in codes and not variant.is_empty:
                return variant.highlight_query(language)
        if self.marking:
            return self.marking.highlight_query(language)
        if self.stemmed or not self.exact:
            return TsQuery(self.stemmed or self._first_mixed()), text_config.language_config(language)
        return TsQuery(self.exact), text_config.EXACT_CONFIG

    def _first_mixed(self) -> str:
        return self.mixed[0][0] if self.mixed else ""


# A quoted lexeme (kept as it is), or a phrase or distance operator outside one.
LEXEME_OR_ORDER = re.compile(rf"({LEXEME.pattern})|<(?:-|\d+)>")


def _unordered_tsquery(text: str) -> TsQuery:
    """The tsquery with its phrase and distance operators read as AND: every match of `text` matches
    it. Not under a negation, where dropping the order would narrow the matches instead."""
    if "!" in LEXEME.sub("", text):
        return TsQuery(text)
    return TsQuery(LEXEME_OR_ORDER.sub(lambda match: match.group(1) or "&", text))


# The languages the published articles are written in (derived: archive_language_count, kept by
# triggers; English while nothing is published), each with the configuration its articles are
# indexed with. Every term is compiled once per configuration, all in one round trip.
_LEXEMES_SQL = """
    WITH counted AS (
        SELECT language FROM archive_language_count GROUP BY language HAVING sum(n) > 0
    ), present AS (
        SELECT language FROM counted UNION ALL SELECT 'en' WHERE NOT EXISTS (SELECT 1 FROM counted)
    ), configs AS (
        SELECT coalesce(known.cfg, %(simple)s) AS cfg,
               array_agg(present.language ORDER BY present.language) AS codes
        FROM present LEFT JOIN unnest(%(codes)s::text[], %(configs)s::text[]) AS known(code, cfg)
             ON known.code = present.language
        GROUP BY 1
    )
    SELECT configs.cfg, configs.codes, array_agg(
        CASE WHEN t.fn = 'phrase' THEN phraseto_tsquery(t.cfg::regconfig, t.txt)
             ELSE plainto_tsquery(t.cfg::regconfig, t.txt) END::text ORDER BY t.n)
    FROM configs, LATERAL (
        SELECT CASE WHEN term.exact THEN %(simple)s ELSE configs.cfg END AS cfg, term.fn, term.txt, term.n
        FROM unnest(%(exact)s::boolean[], %(fn)s::text[], %(txt)s::text[])
             WITH ORDINALITY AS term(exact, fn, txt, n)
    ) t
    GROUP BY configs.cfg, configs.codes ORDER BY configs.cfg
"""


def _lexemes(terms: list[Term]) -> list[tuple[str, list[str], list[str]]]:
    """(configuration, its languages, each term's tsquery text — empty when only stop words), for
    every configuration the published articles are indexed with."""
    if not terms:
        return []
    codes = list(text_config.STEMMED_LANGUAGES)
    with read_connection().cursor() as cursor:
        cursor.execute(
            _LEXEMES_SQL,
            {
                "simple": text_config.EXACT_CONFIG,
                "codes": codes,
                "configs": [text_config.language_config(code) for code in codes],
                "exact": [t.exact for t in terms],
                "fn": ["phrase" if t.kind == "phrase" else "plain" for t in terms],
                "txt": [t.text for t in terms],
            },
        )
        return [(cfg, list(languages), list(lexemes)) for cfg, languages, lexemes in cursor.fetchall()]


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


def _term_queries(terms: list[Term], lexemes: list[str]) -> tuple[dict, dict, dict]:
    """Each kept term's tsquery text in one configuration, its marking variant (proximity), and for
    a stemmed `headline:` term its text without the weight, for headline_vector."""
    own, near = lexemes[: len(terms)], iter(lexemes[len(terms) :])
    by_term, marking, headline = {}, {}, {}
    for term, lex in zip(terms, own, strict=True):
        words = [next(near), next(near)] if term.kind == "near" else []
        if not lex or (words and not all(words)):
            continue
        by_term[id(term)] = _term_tsquery(term, lex, words)
        if words:
            marking[id(term)] = _term_tsquery(term, lex, words, marking=True)
        if term.field == "headline" and not term.exact and not term.negated:
            headline[id(term)] = _term_tsquery(replace(term, weight=""), lex, words)
    return by_term, marking, headline


def _variant(clauses: list[list[Term]], by_term: dict, marking: dict, headline: dict) -> CompiledQuery:
    """The query in one configuration: the clauses with the terms it keeps."""
    kept = [[t for t in clause if id(t) in by_term] for clause in clauses]
    kept = [clause for clause in kept if clause]
    variant = CompiledQuery()
    _assemble(variant, kept, by_term)
    _headline_lookup(variant, kept, by_term, headline)
    if marking:
        variant.marking = CompiledQuery()
        _assemble(variant.marking, kept, {**by_term, **marking})
    return variant


def _headline_lookup(
    variant: CompiledQuery, clauses: list[list[Term]], by_term: dict, headline: dict
) -> None:
    """A clause of one stemmed `headline:` term is looked up in headline_vector (its own index: the
    headlines holding the word, not every article holding it anywhere, each read to tell a headline
    from a body; `headline:despite`, 1,295 matches in a million: 75 ms → 2 ms). It asks the same of
    an article: `'w':A` in search_vector is `'w'` in its headline's vector, positions included."""

    def alone(clause: list[Term]) -> bool:
        return len(clause) == 1 and id(clause[0]) in headline

    if not any(map(alone, clauses)):
        return
    variant.headline = " & ".join(headline[id(clause[0])] for clause in clauses if alone(clause))
    rest = [clause for clause in clauses if not alone(clause)]
    variant.stemmed_rest = _assemble(CompiledQuery(), rest, by_term).stemmed


def _union(texts: list[str]) -> str:
    distinct = list(dict.fromkeys(text for text in texts if text))
    return distinct[0] if len(distinct) == 1 else " | ".join(f"({text})" for text in distinct)


def compile_query(text: str, *, exact_mode: bool = False) -> CompiledQuery:
    """Parse and compile a researcher's query, once per language the archive holds.

    The matches are the union of the languages' queries: an article matches when its own vector
    (indexed in its language's configuration) matches the query compiled in some configuration.
    """
    parsed = parser.parse(textsearch.clean_query_text(text), exact_mode=exact_mode)
    terms = parsed.terms()
    near_words = [Term(w, exact=t.exact) for t in terms if t.kind == "near" for w in t.text.split()]
    compiled = CompiledQuery(dropped=list(parsed.notes))
    per_config = _lexemes(terms + near_words)
    queries = [(languages, *_term_queries(terms, lexemes)) for _, languages, lexemes in per_config]
    compiled.languages = sorted(code for languages, _, _, _ in queries for code in languages)
    kept = {key for _, by_term, _, _ in queries for key in by_term}
    for term in terms:
        if id(term) not in kept:
            compiled.dropped.append(_dropped_message(term, compiled.languages))
            continue
        left_out = [
            code for languages, by_term, _, _ in queries if id(term) not in by_term for code in languages
        ]
        if left_out:
            compiled.dropped.append(_dropped_in_some(term, left_out))
        if not term.negated:
            compiled.positive_words.extend(term.text.split())
    kept_clauses = [[t for t in clause if id(t) in kept] for clause in parsed.clauses]
    kept_clauses = [clause for clause in kept_clauses if clause]
    per_language = [
        (languages, _variant(kept_clauses, by_term, marking, headline))
        for languages, by_term, marking, headline in queries
    ]
    _combine(compiled, [variant for _, variant in per_language])
    if len({_reading(variant) for _, variant in per_language}) > 1:
        compiled.by_language = per_language
    compiled.understood = parser.ParsedQuery(kept_clauses).understood()
    return compiled


def _combine(compiled: CompiledQuery, variants: list[CompiledQuery]) -> None:
    """One query from the languages' variants: the union of their stemmed parts when the rest is
    the same in every language (one GIN condition), else the union of whole conditions."""
    variants = [v for v in variants if not v.is_empty]
    if not variants:
        return
    compiled.stemmed = _union([v.stemmed for v in variants])
    if len(variants) == 1:
        compiled.headline, compiled.stemmed_rest = variants[0].headline, variants[0].stemmed_rest
    elif all(v.headline for v in variants):
        # Languages that stem apart: every match holds its language's headline words (an extra
        # condition, implied by the stemmed union, which still decides).
        compiled.headline = _union([v.headline for v in variants])
        compiled.stemmed_rest = compiled.stemmed
    # A language whose stemmed part is empty (its words were all stop words there) asks nothing of
    # the stemmed vector: OR-ing it into the others' would wrongly ask it of that language too.
    stemmed_everywhere = all(v.stemmed for v in variants) or not any(v.stemmed for v in variants)
    same_rest = all(v.exact == variants[0].exact and v.mixed == variants[0].mixed for v in variants)
    if stemmed_everywhere and same_rest:
        compiled.exact, compiled.mixed = variants[0].exact, variants[0].mixed
    else:
        compiled.variants = variants
        compiled.exact = variants[0].exact
    markings = [v.marking or v for v in variants]
    if any(v.marking for v in variants):
        compiled.marking = CompiledQuery(
            stemmed=_union([m.stemmed for m in markings]), exact=markings[0].exact, mixed=markings[0].mixed
        )


def _reading(variant: CompiledQuery) -> tuple:
    """What a variant asks of an article: two languages that read the query alike need no recheck."""
    return variant.stemmed, variant.exact, tuple(variant.mixed)


def _assemble(compiled: CompiledQuery, clauses: list[list[Term]], by_term: dict) -> CompiledQuery:
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
    return compiled


def _language_name(code: str) -> str:
    """The language's name in the active language (Django's names), else its English name, else the code."""
    name = text_config.language_name(code)
    if name:
        active = (get_language() or "").split("-")[0]
        return name[:1].lower() + name[1:] if active in LOWER_CASE_LANGUAGE_NAMES else name
    return str(OTHER_LANGUAGE_NAMES.get(code, code))


def _language_names(codes: list[str]) -> str:
    """The languages as a reader says them: "English, French and Spanish", "anglais, français et espagnol"."""
    return str(get_text_list([_language_name(code) for code in codes], _("and")))


def _dropped_message(term: Term, languages: list[str]) -> str:
    if term.exact:
        return _("“%(term)s” has no searchable words") % {"term": term.text}
    values = {"term": term.text, "word": term.text.split()[0], "languages": _language_names(languages)}
    if languages == ["en"]:
        return (
            _(
                "“%(term)s” was left out: it is an English stop word, too common to search; "
                "exact:%(word)s or the exact-words switch finds it"
            )
            % values
        )
    return (
        _(
            "“%(term)s” was left out: it is a stop word in %(languages)s, too common to search; "
            "exact:%(word)s or the exact-words switch finds it"
        )
        % values
    )


def _dropped_in_some(term: Term, languages: list[str]) -> str:
    return _(
        "“%(term)s” is a stop word in %(languages)s: articles in %(languages)s are searched without it"
    ) % {
        "term": term.text,
        "languages": _language_names(languages),
    }
