"""The marked headline and snippet of a page of results, or a plain extract when nothing is marked."""

from __future__ import annotations

from django.db.models import Value
from django.db.models.functions import Concat, Left
from django.utils.html import escape

from archive.models import Article
from archive.search import textsearch
from archive.search.compiler import CompiledQuery

SNIPPET_SOURCE_CHARS = 100_000  # ts_headline reads the summary and this much of the body
PLAIN_SNIPPET_CHARS = 300


def with_highlights(articles: list[Article], compiled: CompiledQuery | None) -> list[Article]:
    """Marked headline and snippet for the rows of one page only, each read in its own language."""
    if not compiled or compiled.is_empty or not articles:
        return articles
    by_language: dict[str, list[int]] = {}
    for article in articles:
        by_language.setdefault(article.language, []).append(article.pk)
    per_language = []
    for language, pks in by_language.items():
        query, config = compiled.highlight_query(language)
        per_language.append(
            Article.objects.filter(pk__in=pks)
            .annotate(
                marked_headline=textsearch.headline("headline", query, whole=True, config=config),
                marked_snippet=textsearch.headline(
                    Concat("summary", Value("\n"), Left("body", SNIPPET_SOURCE_CHARS)), query, config=config
                ),
            )
            .values("pk", "marked_headline", "marked_snippet")
            .order_by()
        )
    # One statement whatever the number of languages on the page (UNION ALL of each language's rows).
    rows = per_language[0].union(*per_language[1:], all=True) if len(per_language) > 1 else per_language[0]
    marked = {row["pk"]: row for row in rows}
    for article in articles:
        row = marked.get(article.pk, {})
        article.headline_html = textsearch.render_marked(row.get("marked_headline") or article.headline)
        article.snippet_html = textsearch.render_marked(row.get("marked_snippet") or "")
    return articles


def plain_snippet(article: Article) -> str:
    """An escaped extract for a result found without words to highlight."""
    text = article.summary or article.body[:PLAIN_SNIPPET_CHARS]
    return escape(text[:PLAIN_SNIPPET_CHARS] + ("…" if len(text) > PLAIN_SNIPPET_CHARS else ""))
