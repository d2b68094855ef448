"""A search's matches computed once, then counted by day and faceted by place, topic and source.

One statement per page: the matching rows are materialized (the costly part of a broad search:
the GIN index plus a recheck of every match), and every count the page shows reads that set —
the exact total, the year and month facets, the timeline, and the tree facets rolled up through the
closure tables. What a facet shows is what the same search with that filter added returns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import QuerySet

from archive.models import Article, Place, PlaceClosure, Source, Topic, TopicClosure

FACET_LIMIT = 12
TOPIC_FACETS = ("topic", "person", "organisation")  # subject and other topics are "topic"


@dataclass(frozen=True)
class MatchSummary:
    """Exact counts of one search's matches."""

    days: dict[dt.date, int] = field(default_factory=dict)  # matches per publication day
    trees: dict[str, list[dict]] = field(default_factory=dict)  # place/topic/person/organisation/source
    page_ids: list[int] | None = None  # one page of the matches by relevance, when asked for

    @property
    def count(self) -> int:
        return sum(self.days.values())


def _link(field_name: str):
    through = Article._meta.get_field(field_name).remote_field.through._meta
    return through.db_table, f"{field_name[:-1]}_id"


# Relevance order, as paging.ORDERINGS["relevance"] (rank, then newest, then id).
RANKED_PAGE = """
    (SELECT coalesce(json_agg(id ORDER BY rank DESC, published_on DESC, id DESC), '[]'::json) FROM (
        SELECT id, rank, published_on FROM matched
        ORDER BY rank DESC, published_on DESC, id DESC LIMIT %s OFFSET %s) ranked_page)
"""


def _statement(matched_sql: str, *, ranked_page: bool) -> str:
    places, place_column = _link("places")
    topics, topic_column = _link("topics")
    place, place_closure = Place._meta.db_table, PlaceClosure._meta.db_table
    topic, topic_closure = Topic._meta.db_table, TopicClosure._meta.db_table
    items = "coalesce(json_agg(json_build_array(slug, name, n) ORDER BY n DESC, name), '[]'::json)"
    return f"""
        /* match summary */
        WITH matched AS MATERIALIZED ({matched_sql}),
        topic_counts AS (
            SELECT CASE WHEN node.kind IN ('person', 'organisation') THEN node.kind ELSE 'topic' END AS facet,
                   node.slug, node.name, COUNT(DISTINCT link.article_id) AS n
            FROM matched
            JOIN {topics} link ON link.article_id = matched.id
            JOIN {topic_closure} c ON c.descendant_id = link.{topic_column}
            JOIN {topic} node ON node.id = c.ancestor_id
            GROUP BY node.id
        ),
        topic_ranked AS (
            SELECT *, row_number() OVER (PARTITION BY facet ORDER BY n DESC, name) AS position
            FROM topic_counts
        )
        SELECT
            (SELECT coalesce(json_agg(json_build_array(published_on, n)), '[]'::json)
             FROM (SELECT published_on, COUNT(*) AS n FROM matched GROUP BY 1) days),
            (SELECT {items} FROM (
                SELECT node.slug, node.name, COUNT(DISTINCT link.article_id) AS n
                FROM matched
                JOIN {places} link ON link.article_id = matched.id
                JOIN {place_closure} c ON c.descendant_id = link.{place_column}
                JOIN {place} node ON node.id = c.ancestor_id
                GROUP BY node.id
                ORDER BY n DESC, node.name
                LIMIT %s) place_facet),
            (SELECT coalesce(json_object_agg(facet, entries), '{{}}'::json) FROM (
                SELECT facet, {items} AS entries FROM topic_ranked WHERE position <= %s GROUP BY facet
            ) topic_facets),
            (SELECT {items} FROM (
                SELECT source.slug, source.name, COUNT(*) AS n
                FROM matched JOIN {Source._meta.db_table} source ON source.id = matched.source_id
                GROUP BY source.id
                ORDER BY n DESC, source.name
                LIMIT %s) source_facet),
            {RANKED_PAGE if ranked_page else "NULL::json"}
    """


def _entries(rows: list) -> list[dict]:
    return [{"value": slug, "label": name, "count": n} for slug, name, n in rows]


def summarize(
    matches: QuerySet, *, limit: int = FACET_LIMIT, ranked_page: tuple[int, int] | None = None
) -> MatchSummary:
    """Every count of the search page in one statement (nothing to run when nothing can match).

    `ranked_page` = (offset, size) also picks that page of the matches by relevance from the same
    materialized rows (`matches` must carry the `rank` annotation): no second pass over them.
    """
    if matches.query.is_empty():
        trees = {name: [] for name in ("place", *TOPIC_FACETS, "source")}
        return MatchSummary(trees=trees, page_ids=[] if ranked_page else None)
    columns = ["id", "published_on", "source_id", *(["rank"] if ranked_page else [])]
    sql, params = matches.order_by().values(*columns).query.sql_with_params()
    page_params = [ranked_page[1], ranked_page[0]] if ranked_page else []
    with connection.cursor() as cursor:
        cursor.execute(
            _statement(sql, ranked_page=bool(ranked_page)), [*params, limit, limit, limit, *page_params]
        )
        days, places, topics, sources, page_ids = cursor.fetchone()
    trees = {"place": _entries(places), "source": _entries(sources)}
    trees.update({name: _entries(topics.get(name, [])) for name in TOPIC_FACETS})
    days = {dt.date.fromisoformat(day): n for day, n in days}
    return MatchSummary(days=days, trees=trees, page_ids=page_ids)


def day_counts(queryset: QuerySet) -> dict[dt.date, int]:
    """Rows of `queryset` per publication day."""
    if queryset.query.is_empty():
        return {}
    sql, params = queryset.order_by().values("published_on").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT published_on, COUNT(*) FROM ({sql}) picked GROUP BY 1", params)
        return dict(cursor.fetchall())


def held_per_day(first: dt.date | None, last: dt.date | None, *, interval: str = "day") -> dict[dt.date, int]:
    """Published articles per day (or per period starting that day) between two dates, either open.

    Read from the trigger-kept day counts; `interval` (day, week, month, year) groups in SQL, so a
    span of decades comes back as a few hundred rows.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT date_trunc(%s, day)::date, SUM(n) FROM archive_day_count
               WHERE day >= coalesce(%s, '-infinity'::date) AND day <= coalesce(%s, 'infinity'::date)
               GROUP BY 1 HAVING SUM(n) <> 0""",
            [interval, first, last],
        )
        return {day: int(n) for day, n in cursor.fetchall()}


def compact_day_counts() -> None:
    """Fold the day-count deltas into one row per day (after a bulk load)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT compact_day_counts()")
