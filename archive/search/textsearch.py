"""Plain queries and highlights on the archive's text-search configurations (archive/text_config.py).

The query language is parsed in parser.py and compiled into tsqueries in compiler.py.

Every SearchVector, SearchQuery and SearchHeadline passes SEARCH_CONFIG explicitly: without it
PostgreSQL silently falls back to its default configuration.
"""

from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.db.models import Func, Value
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from archive.text_config import SEARCH_CONFIG

MAX_QUERY_CHARS = 1_000

# Control-character sentinels: the hit marks, and stand-ins for < and > because ts_headline
# would otherwise drop anything that looks like an HTML tag from the stored text.
MARK_START = "\x02"
MARK_STOP = "\x03"
LESS_THAN = "\x04"
GREATER_THAN = "\x05"
# And for the slash, so that ts_headline reads `OIL/GAS` as two words, as the vectors do.
SLASH = "\x06"


# What translate() puts in place of '<>/' before ts_headline reads a text.
SHIELDED_CHARACTERS = LESS_THAN + GREATER_THAN + SLASH
FRAGMENT_DELIMITER = " … "

SENTINEL_MARKUP = {
    MARK_START: "<mark>",
    MARK_STOP: "</mark>",
    LESS_THAN: "&lt;",
    GREATER_THAN: "&gt;",
    SLASH: "/",
}


def clean_query_text(text: str) -> str:
    """Drop NUL and control characters and cap the length of a user's query."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(cleaned.split())[:MAX_QUERY_CHARS]


def parse_query(text: str) -> SearchQuery:
    """Web-search syntax ("a phrase", OR, -exclude): websearch_to_tsquery never raises a syntax error."""
    return SearchQuery(clean_query_text(text), search_type="websearch", config=SEARCH_CONFIG)


def headline(
    expression, query: SearchQuery, *, whole: bool = False, config: str = SEARCH_CONFIG
) -> SearchHeadline:
    """A highlighted extract of `expression` with sentinel marks; `whole` keeps the full text."""
    shielded = Func(expression, Value("<>/"), Value(SHIELDED_CHARACTERS), function="translate")
    return SearchHeadline(shielded, query, config=config, **_headline_options(whole))


def _headline_options(whole: bool) -> dict:
    marks = {"start_sel": MARK_START, "stop_sel": MARK_STOP, "fragment_delimiter": FRAGMENT_DELIMITER}
    extract = {"highlight_all": True} if whole else {"max_fragments": 2, "max_words": 30, "min_words": 12}
    return marks | extract


def headline_options(*, whole: bool, compose) -> str:
    """The same options as one ts_headline options text, for SQL written by hand: named by
    SearchHeadline itself, each value quoted by `compose` (connection.ops.compose_sql) as it does."""
    options = SearchHeadline(Value(""), Value(""), **_headline_options(whole)).options
    return ", ".join(compose(f"{name}=%s", [value]) for name, value in options.items())


def render_marked(text: str | None) -> SafeString:
    """Escape first, then turn the sentinels into <mark>: stored markup always shows as text."""
    escaped = escape(text or "")
    for sentinel, markup in SENTINEL_MARKUP.items():
        escaped = escaped.replace(sentinel, markup)
    return mark_safe(escaped)
