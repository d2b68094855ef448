"""Read side of search: validated parameters in, ordered matches, counts, facets and notes out."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.db import connection, transaction
from django.db.models import QuerySet

from archive import browse_counts, facets, match_summary, search
from archive.filters import ArticleFilter
from archive.match_summary import MatchSummary
from archive.models import Article
from archive.paging import order
from archive.query_compiler import CompiledQuery

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
FEW_RESULTS = 3


@dataclass
class Search:
    """One researcher's search, validated; `errors` set means nothing is shown."""

    filterset: ArticleFilter
    errors: list[str] = field(default_factory=list)
    matches: QuerySet | None = None  # unordered, for counting and facets
    compiled: CompiledQuery | None = None
    sort: str = "newest"

    @property
    def ordered(self) -> QuerySet:

        return order(self.matches, self.sort)

    page_slice: tuple[int, int] | None = None  # (offset, size) of the page a relevance-sorted list shows

    @cached_property
    def summary(self) -> MatchSummary:
        """Exact count, days and facets of the matches, computed once (one statement).

        Sorted by relevance, the page's ids come from the same statement (`page_slice`). Browsing
        without words reads the archive-wide counts instead, while they are fresh (browse_counts).
        """
        ranked = self.page_slice if self.sort == "relevance" else None
        if not ranked:
            browsing = browse_counts.summary_for(self.filterset.form.cleaned_data)
            if browsing is not None:
                return browsing
        return match_summary.summarize(self.matches, ranked_page=ranked)

    def facets(self) -> dict:
        return facets.search_facets(self.summary)


def _error_messages(filterset: ArticleFilter) -> list[str]:
    messages = []
    for name, errors in filterset.form.errors.items():
        prefix = "" if name == "__all__" else f"{name}: "
        messages.extend(f"{prefix}{error}" for error in errors)
    return messages


def article_search(*, params) -> Search:
    """Validate the parameters (never silently dropping one) and build the matching queryset."""
    base = Article.objects.published().for_listing()
    filterset = ArticleFilter(params, queryset=base)
    if not filterset.is_valid():
        return Search(filterset, errors=_error_messages(filterset))
    outcome = Search(filterset, matches=filterset.qs, compiled=filterset.compiled_query())
    outcome.sort = filterset.form.cleaned_data.get("sort") or ("relevance" if outcome.compiled else "newest")
    if outcome.sort == "relevance":
        if outcome.compiled and not outcome.compiled.is_empty:
            outcome.matches = outcome.matches.annotate(rank=outcome.compiled.rank())
        else:
            outcome.sort = "newest"
    return outcome


def with_highlights(articles: list[Article], compiled: CompiledQuery | None) -> list[Article]:
    """Marked headline and snippet for the rows of one page only."""
    if not compiled or compiled.is_empty or not articles:
        return articles
    from django.db.models import Value
    from django.db.models.functions import Concat, Left

    query, config = compiled.highlight_query()
    rows = (
        Article.objects.filter(pk__in=[a.pk for a in articles])
        .annotate(
            marked_headline=search.headline("headline", query, whole=True, config=config),
            marked_snippet=search.headline(
                Concat("summary", Value("\n"), Left("body", 100_000)), query, config=config
            ),
        )
        .values("pk", "marked_headline", "marked_snippet")
    )
    by_pk = {row["pk"]: row for row in rows}
    for article in articles:
        row = by_pk.get(article.pk, {})
        article.headline_html = search.render_marked(row.get("marked_headline") or article.headline)
        article.snippet_html = search.render_marked(row.get("marked_snippet") or "")
    return articles


LEVENSHTEIN_MAX_CHARS = 255  # fuzzystrmatch's levenshtein() refuses a longer argument
SUGGESTION_CANDIDATES = 20  # the closest vocabulary words, each checked against the published articles

# The closest vocabulary words first; of those, the first that a published article still holds: the
# vocabulary is refreshed after imports only, so an unpublished, deleted or edited article's words
# linger in it. The lexeme is quoted as tsquery input (quotes and backslashes doubled), so it is
# matched as it is, through the GIN index on the exact vector.
_SUGGESTION_SQL = f"""
    SELECT word FROM (
        SELECT word, levenshtein(word, typed) AS distance, ndoc
        FROM archive_vocabulary, unaccent(lower(%(typed)s)) AS typed
        WHERE word %% typed AND word <> typed AND ndoc > %(found)s
          AND length(word) <= {LEVENSHTEIN_MAX_CHARS} AND length(typed) <= {LEVENSHTEIN_MAX_CHARS}
          AND NOT EXISTS (SELECT 1 FROM archive_vocabulary known
                          WHERE known.word = typed AND known.ndoc >= %(few)s)
        ORDER BY distance, ndoc DESC, word LIMIT {SUGGESTION_CANDIDATES}
    ) closest
    WHERE EXISTS (
        SELECT 1 FROM {Article._meta.db_table} article
        WHERE article.status = %(published)s AND article.search_vector_exact @@ (
            chr(39) || replace(replace(word, chr(92), chr(92) || chr(92)), chr(39), chr(39) || chr(39))
            || chr(39))::tsquery
    )
    ORDER BY distance, ndoc DESC, word LIMIT 1
"""


def suggestions(compiled: CompiledQuery | None, found: int) -> list[tuple[str, str]]:
    """Did you mean: (typed, suggested) pairs of words close to the typed ones (pg_trgm), when a
    search finds little; only words a published article holds now."""
    if not compiled or found >= FEW_RESULTS:
        return []
    words = [w.lower() for w in compiled.positive_words if 3 <= len(w) <= LEVENSHTEIN_MAX_CHARS][:6]
    suggested = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL pg_trgm.similarity_threshold = 0.2")
        for word in words:
            parameters = {
                "typed": word,
                "found": found,
                "few": FEW_RESULTS,
                "published": Article.Status.PUBLISHED,
            }
            cursor.execute(_SUGGESTION_SQL, parameters)
            row = cursor.fetchone()
            if row:
                suggested.append((word, row[0]))
    return suggested


def refresh_vocabulary() -> None:
    """Rebuild the did-you-mean vocabulary from the published articles.

    Concurrently once it holds data (through its unique index), so searches read the old words
    meanwhile instead of waiting on the refresh's lock.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT ispopulated FROM pg_matviews WHERE matviewname = 'archive_vocabulary'")
        populated = (cursor.fetchone() or [False])[0]
        cursor.execute(f"REFRESH MATERIALIZED VIEW {'CONCURRENTLY ' if populated else ''}archive_vocabulary")


def plain_snippet(article: Article) -> str:
    """An escaped extract for a result found without words to highlight."""
    from django.utils.html import escape

    text = article.summary or article.body[:300]
    return escape(text[:300] + ("…" if len(text) > 300 else ""))
