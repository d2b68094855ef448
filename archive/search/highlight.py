"""The marked headline and snippet of a page of results, or a plain extract when nothing is marked."""

from __future__ import annotations

import functools

from django.utils.html import escape

from archive.models import Article
from archive.replicas import read_connection
from archive.search import textsearch
from archive.search.compiler import CompiledQuery

SNIPPET_SOURCE_CHARS = 100_000  # ts_headline reads the summary and this much of the body
PLAIN_SNIPPET_CHARS = 300

# One statement for the page whatever its languages: each row joins its own language's reading
# (configuration and tsquery text) and is marked with it. Written as SQL, not built by the ORM: the
# statement is the same for every page, and composing it cost more than running it (about 3 ms
# of Python for 20 rows, measured at one million articles).
_MARKED_SQL = f"""
    SELECT article.id,
           ts_headline(reading.cfg::regconfig, translate(article.headline, '<>/', %(shield)s),
                       reading.q::tsquery, %(whole)s),
           ts_headline(reading.cfg::regconfig,
                       translate(article.summary || E'\\n' || left(article.body, {SNIPPET_SOURCE_CHARS}),
                                 '<>/', %(shield)s),
                       reading.q::tsquery, %(extract)s)
    FROM {Article._meta.db_table} article
    JOIN unnest(%(languages)s::text[], %(configs)s::text[], %(queries)s::text[]) AS reading(language, cfg, q)
      ON reading.language = article.language
    WHERE article.id = ANY(%(ids)s)
"""


def with_highlights(articles: list[Article], compiled: CompiledQuery | None) -> list[Article]:
    """Marked headline and snippet for the rows of one page only, each read in its own language."""
    if not compiled or compiled.is_empty or not articles:
        return articles
    languages = sorted({article.language for article in articles})
    readings = [compiled.highlight_query(language) for language in languages]
    with read_connection().cursor() as cursor:
        cursor.execute(
            _MARKED_SQL,
            {
                "shield": textsearch.SHIELDED_CHARACTERS,
                "whole": _options(whole=True),
                "extract": _options(whole=False),
                "languages": languages,
                "configs": [config for _, config in readings],
                "queries": [query.text for query, _ in readings],
                "ids": [article.pk for article in articles],
            },
        )
        marked = {pk: (headline, snippet) for pk, headline, snippet in cursor.fetchall()}
    for article in articles:
        headline, snippet = marked.get(article.pk, (None, None))
        article.headline_html = textsearch.render_marked(headline or article.headline)
        article.snippet_html = textsearch.render_marked(snippet or "")
    return articles


@functools.cache
def _options(*, whole: bool) -> str:
    """ts_headline's options, as textsearch.headline gives them."""
    return textsearch.headline_options(whole=whole, compose=read_connection().ops.compose_sql)


def plain_snippet(article: Article) -> str:
    """An escaped extract for a result found without words to highlight."""
    text = article.summary or article.body[:PLAIN_SNIPPET_CHARS]
    return escape(text[:PLAIN_SNIPPET_CHARS] + ("…" if len(text) > PLAIN_SNIPPET_CHARS else ""))
