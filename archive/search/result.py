"""The one door: validated search parameters in, a frozen SearchResult out.

Every reader of the search — the search page, the JSON API, exports, feeds, the timeline, compare,
KWIC and the browse pages — calls `run`. What the result holds is decided when it is built: the
page a relevance-sorted list shows is picked from the same statement that counts the matches, so
nothing depends on the order in which a caller reads the result.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from archive.models import Article, StoryMember
from archive.search import browse_counts, facets, match_summary
from archive.search.compiler import CompiledQuery
from archive.search.match_summary import FACET_LIMIT, MatchSummary
from archive.search.ordering import ids_then_rows, in_id_order, order
from archive.search.params import ArticleFilter

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20


@dataclass(frozen=True)
class PageSlice:
    """The rows a caller shows: `size` rows after the first `offset`."""

    offset: int
    size: int


@dataclass(frozen=True)
class SearchResult:
    """One search, validated and counted; `errors` set means nothing else is filled in."""

    errors: tuple[str, ...] = ()
    filterset: ArticleFilter | None = None
    compiled: CompiledQuery | None = None  # the query as understood (None without words)
    sort: str = "newest"
    # Unordered, every match (with `rank` when sorted by relevance); under collapse=story one copy
    # per story (`shown`): the best-ranked matching one, or the earliest under the date sorts.
    matches: QuerySet | None = None
    every_copy: QuerySet | None = None  # every match, copies included (what the counts count)
    summary: MatchSummary | None = None  # exact total, days and facets (None when not asked for)
    page: PageSlice | None = None

    @property
    def viewer(self):
        """Who ran the search (what a follow-up search on their behalf passes on)."""
        return self.filterset.viewer if self.filterset else None

    @property
    def cleaned(self) -> dict:
        return self.filterset.form.cleaned_data if self.filterset else {}

    @property
    def ordered(self) -> QuerySet:
        return order(self.matches, self.sort)

    @property
    def total(self) -> int:
        return self.summary.count

    @property
    def page_ids(self) -> list[int] | None:
        """The page's ids in order, when the counting statement picked them (relevance order)."""
        return self.summary.page_ids if self.summary else None

    def page_rows(self) -> list[Article]:
        """The rows of `page`, in order."""
        if self.page_ids is not None:
            return in_id_order(self.matches.order_by().filter(pk__in=self.page_ids), self.page_ids)
        return ids_then_rows(self.ordered, self.page.offset, self.page.offset + self.page.size)

    @property
    def collapsed(self) -> bool:
        return self.cleaned.get("collapse") == "story"

    def other_copies(self, rows: list[Article]) -> dict[int, tuple[int, int]]:
        """Under collapse=story: for each shown row that has a story, (the story, how many of its
        other copies match too)."""
        if not self.collapsed or not rows:
            return {}
        stories = StoryMember.objects.filter(article__in=[row.pk for row in rows]).values_list(
            "article_id", "story_id"
        )
        story_of = dict(stories)
        if not story_of:
            return {}
        counted = dict(
            self.every_copy.order_by()
            .filter(story_member__story_id__in=set(story_of.values()))
            .values_list("story_member__story_id")
            .annotate(n=Count("pk"))
            .values_list("story_member__story_id", "n")
        )
        return {pk: (story, counted.get(story, 1) - 1) for pk, story in story_of.items()}

    def facets(self) -> dict[str, list[dict]]:
        """Exact drill-down counts: years, months, places, topics, people, organisations, sources."""
        return facets.search_facets(self.summary)


def _error_messages(filterset: ArticleFilter) -> tuple[str, ...]:
    messages = []
    for name, errors in filterset.form.errors.items():
        prefix = "" if name == "__all__" else f"{name}: "
        messages.extend(f"{prefix}{error}" for error in errors)
    return tuple(messages)


def _summary(matches: QuerySet, cleaned: dict, ranked: PageSlice | None, limit: int) -> MatchSummary:
    """Exact count, days and facets in one statement; browsing without words reads the
    archive-wide counts instead, while they are fresh (browse_counts)."""
    collapsed, tagged = cleaned.get("collapse") == "story", cleaned.get("tagged")
    if ranked is None:
        browsing = browse_counts.summary_for(cleaned, limit=limit)
        if browsing is not None:
            return browsing
        return match_summary.summarize(matches, limit=limit, collapsed=collapsed, tagged=tagged)
    return match_summary.summarize(
        matches, limit=limit, ranked_page=(ranked.offset, ranked.size), collapsed=collapsed, tagged=tagged
    )


def _one_copy_per_story(matches: QuerySet, sort: str) -> QuerySet:
    """The matches without any copy another matching copy of its story stands before: under
    relevance the best-ranked (rank, then newest, then id, as the page orders), else the earliest."""
    same_story = Q(story_member__story_id=OuterRef("story_member__story_id"))
    if sort == "relevance":
        rival = matches.filter(same_story).filter(
            Q(rank__gt=OuterRef("rank"))
            | Q(rank=OuterRef("rank"), published_on__gt=OuterRef("published_on"))
            | Q(rank=OuterRef("rank"), published_on=OuterRef("published_on"), pk__gt=OuterRef("pk"))
        )
    else:
        rival = matches.filter(same_story).filter(
            Q(published_on__lt=OuterRef("published_on"))
            | Q(published_on=OuterRef("published_on"), pk__lt=OuterRef("pk"))
        )
    # An article with no copy never meets the subquery.
    return matches.filter(Q(story_member__isnull=True) | ~Q(Exists(rival.order_by().values("pk"))))


def run(
    params,
    *,
    page: PageSlice | None = None,
    counted: bool = True,
    facet_limit: int = FACET_LIMIT,
    viewer=None,
) -> SearchResult:
    """Validate `params` (never silently dropping one), build the matches and, when `counted`,
    their exact counts (each place, topic and source facet its `facet_limit` commonest values);
    sorted by relevance, `page` is picked by the same statement. `viewer` (a user or None) decides
    which private collections `collection=` may name."""
    filterset = ArticleFilter(params, queryset=Article.objects.published().for_listing(), viewer=viewer)
    if not filterset.is_valid():
        return SearchResult(errors=_error_messages(filterset), filterset=filterset)
    compiled = filterset.compiled_query()
    matches = filterset.qs
    cleaned = filterset.form.cleaned_data
    sort = cleaned.get("sort") or ("relevance" if compiled else "newest")
    if sort == "relevance":
        if compiled and not compiled.is_empty:
            matches = matches.annotate(rank=compiled.rank())
        else:
            sort = "newest"
    ranked = page if sort == "relevance" else None
    shown = _one_copy_per_story(matches, sort) if cleaned.get("collapse") == "story" else matches
    return SearchResult(
        filterset=filterset,
        compiled=compiled,
        sort=sort,
        matches=shown,
        every_copy=matches,
        summary=_summary(matches, cleaned, ranked, facet_limit) if counted else None,
        page=page,
    )
