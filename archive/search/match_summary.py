"""A search's matches computed once, then counted by day and faceted by place, topic and source.

One statement per page: the matching rows are materialized (the costly part of a broad search:
the GIN index plus a visit of every match), and every count the page shows reads that set —
the exact total, the year and month facets, the timeline, and the tree facets, counted from each
article's rolled-up place and topic ids (every node it sits in, kept by triggers from the links and
the closure tables). What a facet shows is what the same search with that filter added returns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Case, F, QuerySet, SmallIntegerField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, NullIf

from archive import tag_origins
from archive.models import Article, Place, Source, Topic
from archive.replicas import read_alias, read_connection

FACET_LIMIT = 12
LANGUAGE_FACET_LIMIT = 50  # every language an archive is likely to hold
TOPIC_FACETS = ("topic", "person", "organisation")  # subject and other topics are "topic"
FACET_NAMES = ("place", *TOPIC_FACETS, "source", "language", "agency")
GROUP_TABLE = "archive_facet_group"  # and archive_article.facet_group_id, kept by a trigger (migration 0017)


@dataclass(frozen=True)
class MatchSummary:
    """Exact counts of one search's matches."""

    days: dict[dt.date, int] = field(default_factory=dict)  # matches per publication day
    trees: dict[str, list[dict]] = field(default_factory=dict)  # place/topic/person/organisation/source
    page_ids: list[int] | None = None  # one page of the matches by relevance, when asked for
    # Collapsed to stories: the stories with a matching copy per year ("1987") and month ("1987-03");
    # None when every article counts once (then the days tell the years and months).
    periods: dict[str, int] | None = None

    @property
    def count(self) -> int:
        return sum(self.days.values())


# Relevance order, as paging.ORDERINGS["relevance"] (rank, then newest, then id).
RANKED_PAGE = """
    (SELECT coalesce(json_agg(id ORDER BY rank DESC, published_on DESC, id DESC), '[]'::json) FROM (
        SELECT id, rank, published_on FROM matched
        ORDER BY rank DESC, published_on DESC, id DESC LIMIT %s OFFSET %s) ranked_page)
"""
# The materialized matches of a broad search outgrow the default work_mem (about 50 bytes a match).
# Handing a match from a parallel worker to the leader costs far less than the default
# parallel_tuple_cost supposes next to the match itself (a tsvector test and a rank): with the
# default, the planner never scans in parallel into the materialized set. Scanning in parallel cut
# `q=said` (72 % of a million articles) from 1.75 s to 1.15 s on two cores. The leader scans too
# (the default): keeping it out only to store the workers' rows was faster on one loaded machine,
# but slower and twice as variable on a quiet one (`q=said`, 12 runs: median 916 ms and max
# 1,039 ms without it, 849 and 962 with it; `q=company` 806/898 against 690/790).
SUMMARY_SETTINGS = {
    "work_mem": "128MB",
    "parallel_tuple_cost": "0.001",
}


# Collapsed to stories (collapse=story): an article with no copy counts as today (the singles, summed
# per day, facet group, language and agency); the copies of a story count once — the story on its first
# matching day, in a facet value when any of its matching copies carries it, in a year or month when one
# of its matching copies is in it. One hashed grouping pass over the matches makes every count's rows:
# - each story's combinations of facet group, language and agency (a story's copies share most of them;
#   the singles' combinations are the rows whose story is NULL), its first day and best rank;
# - per day, the singles and the copies that were their story's only member in their year or month
#   (archive_story_member.alone): such a copy counts in its year and month as it is, no story to group by;
# - the other copies' (story, year, month), each once: the only rows grouped by story for the periods.
# At a million articles of replicated Reuters (each copy of a story in another year) the copies grouped
# by story and month were as many as the copies, and that grouping took most of a broad search's time.
# A story with a member queued for catch_up (its day may have moved since `alone` was computed) is
# counted the long way, every copy grouped.
COLLAPSED_COUNTS = """
        counted AS (
            SELECT story_key, facet_group_id, language, agency, day, alone, shared_story, year, month,
                   min(published_on) AS first_day, {best_rank} AS best_rank, COUNT(*) AS n,
                   GROUPING(facet_group_id) = 0 AS by_combination, GROUPING(day) = 0 AS by_day
            FROM (
                SELECT matched.*,
                       CASE WHEN story_key IS NULL OR alone > 0 THEN published_on END AS day,
                       CASE WHEN alone < 2 THEN story_key END AS shared_story,
                       CASE WHEN alone < 2 THEN date_trunc('year', published_on::timestamp) END AS year,
                       CASE WHEN alone < 1 THEN date_trunc('month', published_on::timestamp) END AS month
                FROM matched
            ) keyed
            GROUP BY GROUPING SETS (
                (story_key, facet_group_id, language, agency), (day, alone), (shared_story, year, month)
            )
        ),
        singles AS (  -- as a GROUPING SETS ((published_on), (facet_group_id), (language), (agency)) would
            SELECT day AS published_on, NULL::integer AS facet_group_id, NULL::text AS language,
                   NULL::text AS agency, n
            FROM counted WHERE by_day AND alone IS NULL
            UNION ALL
            SELECT NULL, facet_group_id, language, agency, sum(n) FROM counted
            WHERE by_combination AND story_key IS NULL
            GROUP BY GROUPING SETS ((facet_group_id), (language), (agency))
        ),
        story_combinations AS (SELECT * FROM counted WHERE by_combination AND story_key IS NOT NULL),
        stories AS (
            SELECT story_key, min(first_day) AS first_day, max(best_rank) AS best_rank
            FROM story_combinations GROUP BY story_key
        ),
        by_day_and_group AS (  -- each day, language and agency once: the singles' and the stories' summed
            SELECT published_on, NULL::integer AS facet_group_id, NULL::text AS language,
                   NULL::text AS agency, SUM(n)::bigint AS n
            FROM (
                SELECT published_on, n FROM singles WHERE published_on IS NOT NULL
                UNION ALL
                SELECT first_day, 1 FROM stories
            ) days GROUP BY published_on
            UNION ALL
{value_counts}
            SELECT NULL, facet_group_id, NULL, NULL, n FROM singles WHERE facet_group_id IS NOT NULL
        ),
        copy_groups AS (
            SELECT copies.story_key, facet.source_id, facet.place_ids, facet.topic_ids
            FROM story_combinations copies JOIN {group} facet ON facet.id = copies.facet_group_id
        ),
        grouped AS (
            SELECT facet.source_id, facet.place_ids, facet.topic_ids, counted.n
            FROM by_day_and_group counted JOIN {group} facet ON facet.id = counted.facet_group_id
        ),
{node_counts}
        source_counts AS (
            SELECT source_id, SUM(n)::bigint AS n FROM (
                SELECT source_id, n FROM grouped
                UNION ALL
                SELECT source_id, COUNT(DISTINCT story_key) FROM copy_groups GROUP BY source_id
            ) both_kinds GROUP BY source_id
        ),"""
# A tree's nodes under collapse=story: the singles summed per facet group, the stories counted once.
COLLAPSED_NODE_COUNTS = """
        {tree}_counts AS (
            SELECT node_id, SUM(n)::bigint AS n FROM (
                SELECT node_id, n FROM grouped, unnest({tree}_ids) AS node_id
                UNION ALL
                SELECT node_id, COUNT(DISTINCT story_key) FROM copy_groups, unnest({tree}_ids) AS node_id
                GROUP BY node_id
            ) both_kinds GROUP BY node_id
        ),"""
# A language's or an agency's row of by_day_and_group under collapse=story (the other columns NULL).
COLLAPSED_VALUE_COUNTS = """
            SELECT NULL, NULL, {language}, {agency}, SUM(n)::bigint FROM (
                SELECT {name} AS value, n FROM singles WHERE {name} IS NOT NULL
                UNION ALL
                SELECT {name}, COUNT(DISTINCT story_key) FROM story_combinations GROUP BY {name}
            ) counted GROUP BY value
            UNION ALL"""
ARTICLE_COUNTS = """
        by_day_and_group AS (  -- one pass over the matches for the four counts
            SELECT published_on, facet_group_id, language, agency, COUNT(*) AS n FROM matched
            GROUP BY GROUPING SETS ((published_on), (facet_group_id), (language), (agency))
        ),
        grouped AS (
            SELECT facet.source_id, facet.place_ids, facet.topic_ids, counted.n
            FROM by_day_and_group counted JOIN {group} facet ON facet.id = counted.facet_group_id
        ),
{node_counts}
        source_counts AS (SELECT source_id, SUM(n)::bigint AS n FROM grouped GROUP BY 1),"""
# A tree's nodes, every article once (the facet groups' rolled-up arrays).
ARTICLE_NODE_COUNTS = """
        {tree}_counts AS (
            SELECT node_id, SUM(n)::bigint AS n FROM grouped, unnest({tree}_ids) AS node_id GROUP BY node_id
        ),"""
# Under tagged=: a tree's nodes counted from the links of those provenances only, each node with every
# node above it (the closure), each article — or under collapse=story each story — once per node.
TAGGED_NODE_COUNTS = """
        {tree}_counts AS (
            SELECT closure.ancestor_id AS node_id, COUNT(DISTINCT {unit})::bigint AS n
            FROM matched
            JOIN archive_article_{tree}s link
                 ON link.article_id = matched.id AND link.provenance = ANY({kinds})
            JOIN archive_{tree}closure closure ON closure.descendant_id = link.{tree}_id
            GROUP BY closure.ancestor_id
        ),"""
# Under collapse=story a year or month counts the stories with a matching copy in it (its click), which
# the days (each story on its first matching day, for the timeline) cannot tell: the singles and the
# copies alone in their year or month as they are, the other copies' stories once per year and month.
COLLAPSED_PERIODS = """
    (SELECT coalesce(json_agg(json_build_array(period, n)), '[]'::json) FROM (
        SELECT period, SUM(n)::bigint AS n FROM (
            SELECT to_char(day, 'YYYY-MM') AS period, n FROM counted WHERE by_day AND day IS NOT NULL
            UNION ALL
            SELECT to_char(day, 'YYYY'), n FROM counted
            WHERE by_day AND day IS NOT NULL AND alone IS DISTINCT FROM 1  -- a single's or alone in its year
            UNION ALL
            SELECT to_char(month, 'YYYY-MM'), n FROM (
                SELECT month, COUNT(*) AS n FROM counted WHERE month IS NOT NULL GROUP BY month
            ) story_months
            UNION ALL
            SELECT to_char(year, 'YYYY'), n FROM (
                SELECT year, COUNT(DISTINCT shared_story) AS n FROM counted
                WHERE shared_story IS NOT NULL GROUP BY year
            ) story_years
        ) both_kinds GROUP BY period) periods)
"""
# The best-ranked matching copy of each story stands for it on a relevance page (as result.shown): only
# the stories whose best rank is among the page's (offset + size) best can reach it, so only their
# best-ranked copies are looked up (ties kept: the copy's date and id break them, as the page orders).
COLLAPSED_RANKED_PAGE = """
    (SELECT coalesce(json_agg(id ORDER BY rank DESC, published_on DESC, id DESC), '[]'::json) FROM (
        SELECT id, rank, published_on FROM (
            SELECT id, rank, published_on FROM matched WHERE story_key IS NULL
            UNION ALL
            SELECT * FROM (
                SELECT DISTINCT ON (matched.story_key) matched.id, matched.rank, matched.published_on
                FROM matched JOIN (
                    SELECT story_key, best_rank FROM stories
                    ORDER BY best_rank DESC FETCH FIRST %s ROWS WITH TIES
                ) reaching ON reaching.story_key = matched.story_key AND matched.rank = reaching.best_rank
                ORDER BY matched.story_key, matched.published_on DESC, matched.id DESC
            ) best_copies
        ) shown
        ORDER BY rank DESC, published_on DESC, id DESC LIMIT %s OFFSET %s) ranked_page)
"""


def _node_counts(*, collapsed: bool, tagged: tuple[str, ...]) -> str:
    """The place_counts and topic_counts CTEs of the statement."""
    if tagged:  # validated against tag_origins.PROVENANCES: written into the statement as they are
        kinds = "ARRAY[" + ", ".join(f"'{kind}'" for kind in tagged if kind in tag_origins.PROVENANCES) + "]"
        unit = "CASE WHEN matched.story_key IS NULL THEN -matched.id ELSE matched.story_key END"
        template = TAGGED_NODE_COUNTS.replace("{unit}", unit if collapsed else "matched.id")
        return "".join(template.format(tree=tree, kinds=kinds) for tree in ("place", "topic"))
    template = COLLAPSED_NODE_COUNTS if collapsed else ARTICLE_NODE_COUNTS
    return "".join(template.format(tree=tree) for tree in ("place", "topic"))


def _statement(matched_sql: str, *, ranked_page: bool, collapsed: bool = False, tagged=()) -> str:
    place, topic, source = Place._meta.db_table, Topic._meta.db_table, Source._meta.db_table
    items = "coalesce(json_agg(json_build_array(slug, name, n) ORDER BY n DESC, name, slug), '[]'::json)"
    node_counts = _node_counts(collapsed=collapsed, tagged=tuple(tagged))
    value_counts = "".join(
        COLLAPSED_VALUE_COUNTS.format(
            name=name, **{column: "value" if column == name else "NULL" for column in ("language", "agency")}
        )
        for name in ("language", "agency")
    )
    best_rank = "max(rank)" if ranked_page else "NULL::real"
    counts = (COLLAPSED_COUNTS if collapsed else ARTICLE_COUNTS).format(
        group=GROUP_TABLE, node_counts=node_counts, value_counts=value_counts, best_rank=best_rank
    )
    page = (COLLAPSED_RANKED_PAGE if collapsed else RANKED_PAGE) if ranked_page else "NULL::json"
    # The matches are counted per facet group (migration 0017: one distinct source, rolled-up places
    # and rolled-up topics); a group's arrays hold every node its articles sit in once, so summing
    # the groups' counts per node is the drill-down count, with no join per match and no DISTINCT.
    return f"""
        /* match summary */
        WITH matched AS MATERIALIZED ({matched_sql}),{counts}
        topic_ranked AS (
            SELECT *, row_number() OVER (PARTITION BY facet ORDER BY n DESC, name, slug) AS position FROM (
                SELECT CASE WHEN node.kind IN ('person', 'organisation') THEN node.kind ELSE 'topic' END
                       AS facet, node.slug, node.name, counted.n
                FROM topic_counts counted JOIN {topic} node ON node.id = counted.node_id
            ) named
        )
        SELECT
            (SELECT coalesce(json_agg(json_build_array(published_on, n)), '[]'::json)
             FROM by_day_and_group WHERE published_on IS NOT NULL),
            (SELECT {items} FROM (
                SELECT node.slug, node.name, counted.n
                FROM place_counts counted JOIN {place} node ON node.id = counted.node_id
                ORDER BY counted.n DESC, node.name, node.slug
                LIMIT %s) place_facet),
            (SELECT coalesce(json_object_agg(facet, entries), '{{}}'::json) FROM (
                SELECT facet, {items} AS entries FROM topic_ranked WHERE position <= %s GROUP BY facet
            ) topic_facets),
            (SELECT {items} FROM (
                SELECT source.slug, source.name, counted.n
                FROM source_counts counted JOIN {source} source ON source.id = counted.source_id
                ORDER BY counted.n DESC, source.name, source.slug
                LIMIT %s) source_facet),
            (SELECT {items} FROM (
                SELECT language AS slug, language AS name, n FROM by_day_and_group
                WHERE language IS NOT NULL ORDER BY n DESC, language LIMIT %s) language_facet),
            (SELECT {items} FROM (
                SELECT agency AS slug, agency AS name, n FROM by_day_and_group
                WHERE agency IS NOT NULL AND agency <> '' ORDER BY n DESC, agency LIMIT %s) agency_facet),
            {page},
            {COLLAPSED_PERIODS if collapsed else "NULL::json"}
    """


def effective_agency() -> Coalesce:
    """An article's agency: its own, else its story's (the earliest copy naming one), else ""."""
    return Coalesce(NullIf(F("agency"), Value("")), F("story_member__agency"), Value(""))


def _alone() -> Case:
    """A copy's `alone` (archive_story_member), or 0 while any member of its story waits for catch_up
    (its day may have moved since `alone` was computed): then the story's copies are grouped."""
    waiting = RawSQL(
        "SELECT story_id FROM archive_story_member "
        "WHERE article_id IN (SELECT article_id FROM archive_story_dirty)",
        [],
    )
    return Case(
        When(story_member__story_id__in=waiting, then=Value(0)),
        default=F("story_member__alone"),
        output_field=SmallIntegerField(),
    )


def entries(rows: list) -> list[dict]:
    """(slug, name, count) rows as the facet entries pages and the API show."""
    return [{"value": slug, "label": name, "count": n} for slug, name, n in rows]


def summarize(
    matches: QuerySet,
    *,
    limit: int = FACET_LIMIT,
    ranked_page: tuple[int, int] | None = None,
    collapsed: bool = False,
    tagged: list[str] | None = None,
) -> MatchSummary:
    """Every count of the search page in one statement (nothing to run when nothing can match).

    `ranked_page` = (offset, size) also picks that page of the matches by relevance from the same
    materialized rows (`matches` must carry the `rank` annotation): no second pass over them.
    `collapsed`: count each story once (collapse=story), the singles as they are.
    `tagged`: count places and topics only through links of these provenances (tagged=).
    """
    if matches.query.is_empty():
        trees = {name: [] for name in FACET_NAMES}
        return MatchSummary(trees=trees, page_ids=[] if ranked_page else None)
    columns = [
        "id",
        "published_on",
        "facet_group_id",
        "language",
        "agency_shown",
        *(["rank"] if ranked_page else []),
    ]
    group = RawSQL(f'"{Article._meta.db_table}"."facet_group_id"', [])
    matches = matches.order_by().annotate(facet_group_id=group, agency_shown=effective_agency())
    if collapsed:
        matches = matches.annotate(story_key=F("story_member__story_id"), alone=_alone())
        columns = [*columns, "story_key", "alone"]
    sql, params = matches.values(*columns).query.sql_with_params()
    # The effective agency is selected as `agency` (the article's own column name the ORM would not reuse).
    sql = sql.replace('AS "agency_shown"', 'AS "agency"')
    page_params = [ranked_page[1], ranked_page[0]] if ranked_page else []
    if ranked_page and collapsed:  # the stories that can reach the page: its offset + size best
        page_params = [sum(ranked_page), *page_params]
    with transaction.atomic(using=read_alias()), read_connection().cursor() as cursor:
        # One round trip for every setting (no parameters: several statements are allowed).
        cursor.execute(" ".join(f"SET LOCAL {name} = '{value}';" for name, value in SUMMARY_SETTINGS.items()))
        cursor.execute(
            _statement(sql, ranked_page=bool(ranked_page), collapsed=collapsed, tagged=tagged or ()),
            [*params, limit, limit, limit, LANGUAGE_FACET_LIMIT, limit, *page_params],
        )
        days, places, topics, sources, languages, agencies, page_ids, periods = cursor.fetchone()
    trees = {
        "place": entries(places),
        "source": entries(sources),
        "language": entries(languages),
        "agency": entries(agencies),
    }
    trees.update({name: entries(topics.get(name, [])) for name in TOPIC_FACETS})
    days = {dt.date.fromisoformat(day): n for day, n in days}
    return MatchSummary(
        days=days, trees=trees, page_ids=page_ids, periods=dict(periods) if periods is not None else None
    )


def day_counts(queryset: QuerySet) -> dict[dt.date, int]:
    """Rows of `queryset` per publication day."""
    if queryset.query.is_empty():
        return {}
    sql, params = queryset.order_by().values("published_on").query.sql_with_params()
    with read_connection().cursor() as cursor:
        cursor.execute(f"SELECT published_on, COUNT(*) FROM ({sql}) picked GROUP BY 1", params)
        return dict(cursor.fetchall())


# PostgreSQL's own 'decade' puts the years 1-9 in a decade starting in 1 BC, a date Python cannot hold.
_PERIOD_START_SQL = """CASE WHEN %s = 'decade'
    THEN make_date(greatest(extract(year FROM day)::integer / 10 * 10, 1), 1, 1)
    ELSE date_trunc(%s, day)::date END"""


# Under collapse=story a story that began before `from` counts on its first day inside the dates.
STRADDLING_STORIES = """
    SELECT first_inside AS day, 1 AS n FROM (
        SELECT min(published_on) FILTER (WHERE published_on >= %(first)s) AS first_inside
        FROM archive_story_member GROUP BY story_id
        HAVING min(published_on) < %(first)s
    ) straddling WHERE first_inside IS NOT NULL
"""


def held_per_day(
    first: dt.date | None, last: dt.date | None, *, interval: str = "day", collapsed: bool = False
) -> dict[dt.date, int]:
    """Published articles per day (or per period starting that day) between two dates, either open;
    `collapsed`: each story once, on its first day within the dates (archive_story_day corrects the
    day counts, and the stories that began before `first` are counted on their first day after it).

    Read from the trigger-kept day counts; `interval` (day, week, month, year, decade) groups in SQL,
    so a span of decades comes back as a few hundred rows.
    """
    held = "SELECT day, n FROM archive_day_count"
    if collapsed:
        held += " UNION ALL SELECT day, n FROM archive_story_day"
        if first is not None:
            held += " UNION ALL " + STRADDLING_STORIES
    period = _PERIOD_START_SQL.replace("%s", "%(interval)s")
    with read_connection().cursor() as cursor:
        cursor.execute(
            f"""SELECT {period}, SUM(n) FROM ({held}) held
               WHERE day >= coalesce(%(first)s, '-infinity'::date)
                 AND day <= coalesce(%(last)s, 'infinity'::date)
               GROUP BY 1 HAVING SUM(n) <> 0""",
            {"interval": interval, "first": first, "last": last},
        )
        return {day: int(n) for day, n in cursor.fetchall()}


def story_day_counts(queryset: QuerySet) -> dict[dt.date, int]:
    """The stories of `queryset` (every copy) per day, each on its earliest day in it: a grouping by
    story, where a row per article asking for an earlier copy took minutes at a million articles."""
    if queryset.query.is_empty():
        return {}
    picked = queryset.order_by().annotate(article_key=F("pk"), story_key=F("story_member__story_id"))
    sql, params = picked.values("article_key", "published_on", "story_key").query.sql_with_params()
    with read_connection().cursor() as cursor:
        cursor.execute(
            f"SELECT day, COUNT(*) FROM (SELECT min(published_on) AS day FROM ({sql}) picked "
            "GROUP BY coalesce(story_key, article_key)) firsts GROUP BY 1",
            params,
        )
        return dict(cursor.fetchall())
