"""Browsing without words: a search's counts read from the archive-wide counts while they are fresh.

`summary_for(cleaned)` answers a search with no `q`, no language and at most one place, topic,
person, organisation or source (one value, not a list) — with dates only when no node is chosen —
from the browse tables (archive/derived/sql/tables/archive_browse_*.sql), in one statement that first
checks that the counts are fresh. Under collapse=story the same, without dates: the stories' rows
(archive_browse_story_*) correct the articles' counts so that each story counts once.
Anything else, or stale counts, gives None and the caller counts the matches themselves.
"""

from __future__ import annotations

import datetime as dt

from archive.models import Place, Source, Topic
from archive.replicas import read_connection
from archive.search import match_summary
from archive.search.match_summary import FACET_LIMIT, FACET_NAMES, LANGUAGE_FACET_LIMIT, MatchSummary, entries
from archive.search.params import FILTERS, filters_where

FACETS = {Place: 0, Topic: 1, Source: 2}  # key = node id * 4 + facet
NODE_FILTERS = filters_where(browse="node")


def _is_set(value) -> bool:
    return bool(value.strip()) if isinstance(value, str) else bool(value)


def _browsable(cleaned: dict) -> bool:
    """Deny by default: every filter in use must be one the browse counts know how to answer."""
    browse = {spec.name: spec.browse for spec in FILTERS}
    return not any(browse.get(name, "never") == "never" and _is_set(value) for name, value in cleaned.items())


def _chosen_key(cleaned: dict) -> int | None | bool:
    """The one node (as a key) the search narrows to, None for none, False when it is not that simple."""
    groups = [group for name in NODE_FILTERS for group in cleaned.get(name) or []]
    sources = cleaned.get("source") or []
    if len(groups) + len(sources) > 1 or any(len(group) != 1 for group in groups):
        return False
    if groups:
        node = groups[0][0]
        return node.pk * 4 + FACETS[type(node)]
    return sources[0].pk * 4 + FACETS[Source] if sources else None


def _trees(counted: list | None, limit: int) -> dict[str, list[dict]]:
    per_facet: dict[str, list] = {name: [] for name in FACET_NAMES}
    for facet, *item in counted or []:  # ordered by facet, then count
        per_facet[facet].append(item)
    limits = {"language": LANGUAGE_FACET_LIMIT}
    return {name: entries(items[: limits.get(name, limit)]) for name, items in per_facet.items()}


def _days(rows: list | None) -> dict[dt.date, int]:
    return {dt.date.fromisoformat(day): n for day, n in rows or []}


def _story_browse_key(cleaned: dict) -> int | None | bool:
    """Under collapse=story: the one node (as a key) a simple browse narrows to, None for none, False
    when the browse counts cannot answer it (a filter they do not know, more than one node, dates)."""
    uncollapsed = {name: value for name, value in cleaned.items() if name != "collapse"}
    if not _browsable(uncollapsed) or uncollapsed.get("from") or uncollapsed.get("to"):
        return False
    return _chosen_key(uncollapsed)


def summary_for(cleaned: dict, *, limit: int = FACET_LIMIT) -> MatchSummary | None:
    """The counts of a simple browse, or None (not simple, or counts not fresh)."""
    if cleaned.get("collapse") == "story":
        return _story_summary_for(cleaned, limit)
    if not _browsable(cleaned):
        return None
    key = _chosen_key(cleaned)
    first, last = cleaned.get("from"), cleaned.get("to")
    if key is False or (key is not None and (first or last)):
        return None
    with read_connection().cursor() as cursor:
        cursor.execute(_STATEMENT, {"key": key, "first": first, "last": last, "limit": limit})
        row = cursor.fetchone()
    if row is None:
        return None
    days, counted = row
    return MatchSummary(days=_days(days), trees=_trees(counted, limit))


def _story_summary_for(cleaned: dict, limit: int) -> MatchSummary | None:
    """Under collapse=story: one node or none, no dates; each story counted once in the total, the
    facets, the years and months, and on its first day among its copies carrying the node."""
    key = _story_browse_key(cleaned)
    if key is False:
        return None
    with read_connection().cursor() as cursor:
        cursor.execute(_STORY_STATEMENT, {"key": key})
        row = cursor.fetchone()
    if row is None:
        return None
    days, counted, periods = row
    return MatchSummary(days=_days(days), trees=_trees(counted, limit), periods=dict(periods or []))


def story_days_for(cleaned: dict) -> dict[dt.date, int] | None:
    """Under collapse=story, the stories per day of a simple browse with one node or none and no
    dates (each on its first day among its copies carrying the node), or None (not that simple, or
    counts not fresh). With no node, the archive's collapsed day counts (always exact)."""
    key = _story_browse_key(cleaned)
    if key is False:
        return None
    if key is None:
        return match_summary.held_per_day(None, None, collapsed=True)
    with read_connection().cursor() as cursor:
        cursor.execute(_STORY_DAYS, {"key": key})
        row = cursor.fetchone()
    if row is None:
        return None
    return _days(row[0])


# One node's days, each story once: its day counts plus their correction (while the counts are fresh).
_STORY_DAYS = """
    SELECT (SELECT json_agg(json_build_array(day, n)) FROM (
        SELECT day, sum(n) AS n FROM (
            SELECT day, n FROM archive_browse_day WHERE key = %(key)s
            UNION ALL
            SELECT day, n FROM archive_browse_story_day WHERE key = %(key)s
        ) both_counts GROUP BY day HAVING sum(n) <> 0
    ) days)
    FROM archive_browse_state WHERE fresh
"""


# The facet, slug and name of each key of `counted` (key, n): nodes, sources, languages and agencies.
_NAMED = f"""    named AS (
        SELECT 'place' AS facet, node.slug, node.name, counted.n
        FROM counted JOIN {Place._meta.db_table} node ON node.id = counted.key / 4 AND counted.key %% 4 = 0
        UNION ALL
        SELECT CASE WHEN node.kind IN ('person', 'organisation') THEN node.kind ELSE 'topic' END,
               node.slug, node.name, counted.n
        FROM counted JOIN {Topic._meta.db_table} node ON node.id = counted.key / 4 AND counted.key %% 4 = 1
        UNION ALL
        SELECT 'source', node.slug, node.name, counted.n
        FROM counted JOIN {Source._meta.db_table} node ON node.id = counted.key / 4 AND counted.key %% 4 = 2
        UNION ALL
        SELECT 'language', language_key.language, language_key.language, counted.n
        FROM counted JOIN archive_browse_language language_key ON language_key.key = counted.key
        UNION ALL
        SELECT 'agency', agency_key.agency, agency_key.agency, counted.n
        FROM counted JOIN archive_browse_agency agency_key ON agency_key.key = counted.key
    )
"""
_FACETS = """(SELECT json_agg(json_build_array(facet, slug, name, n) ORDER BY facet, n DESC, name, slug)
         FROM named)"""


# One statement, one snapshot: no rows at all unless the counts are fresh. With a node, its days
# and the pairs it forms; without one, the nodes' days within the dates (or their all-time totals,
# the pairs of each node with itself, when no date is given).
_STATEMENT = f"""
    /* browse counts */
    WITH fresh AS (SELECT 1 FROM archive_browse_state WHERE fresh),
    counted AS (
        SELECT other AS key, n FROM archive_browse_pair
        WHERE %(key)s::bigint IS NOT NULL AND key = %(key)s
        UNION ALL
        SELECT key, n FROM archive_browse_pair
        WHERE %(key)s::bigint IS NULL AND %(first)s::date IS NULL AND %(last)s::date IS NULL AND key = other
        UNION ALL
        SELECT key, sum(n)::integer FROM archive_browse_day
        WHERE %(key)s::bigint IS NULL AND (%(first)s::date IS NOT NULL OR %(last)s::date IS NOT NULL)
          AND day >= coalesce(%(first)s::date, '-infinity') AND day <= coalesce(%(last)s::date, 'infinity')
        GROUP BY key
    ),
{_NAMED}    SELECT
        (SELECT json_agg(json_build_array(day, total)) FROM (
            SELECT day, n AS total FROM archive_browse_day
            WHERE %(key)s::bigint IS NOT NULL AND key = %(key)s
            UNION ALL
            SELECT day, sum(n) FROM archive_day_count
            WHERE %(key)s::bigint IS NULL AND day >= coalesce(%(first)s::date, '-infinity')
              AND day <= coalesce(%(last)s::date, 'infinity')
            GROUP BY day HAVING sum(n) <> 0
        ) days),
        {_FACETS}
    FROM fresh
"""


# Under collapse=story, one snapshot as above, with one node or none and no dates: the articles'
# counts plus the stories' corrections — the pairs (the facets), the days (each story on its first
# day among its copies carrying the node; without one, the archive's trigger-kept day counts plus the
# whole archive's correction, key 0, counted by the refresh from the members as they are, not
# archive_story_day, which waits for catch_up) and the years and months (each story once in every
# period one of its copies carrying the node is in). A node's days and its story days are each one
# row a day (the refresh groups them), so they meet in one merge join; the periods are named from the
# months, not from every day.
_STORY_STATEMENT = f"""
    /* browse counts, stories */
    WITH fresh AS (SELECT 1 FROM archive_browse_state WHERE fresh),
    counted AS (
        SELECT key, sum(n)::bigint AS n FROM (
            SELECT other AS key, n FROM archive_browse_pair
            WHERE %(key)s::bigint IS NOT NULL AND key = %(key)s
            UNION ALL
            SELECT other, n FROM archive_browse_story_pair
            WHERE %(key)s::bigint IS NOT NULL AND key = %(key)s
            UNION ALL
            SELECT key, n FROM archive_browse_pair WHERE %(key)s::bigint IS NULL AND key = other
            UNION ALL
            SELECT key, n FROM archive_browse_story_pair WHERE %(key)s::bigint IS NULL AND key = other
        ) both_counts GROUP BY key HAVING sum(n) <> 0
    ),
    articles_per_day AS (
        SELECT day, n FROM archive_browse_day WHERE %(key)s::bigint IS NOT NULL AND key = %(key)s
        UNION ALL
        SELECT day, sum(n) FROM archive_day_count WHERE %(key)s::bigint IS NULL GROUP BY day
    ),
    articles_per_month AS (
        SELECT date_trunc('month', day::timestamp) AS month, sum(n) AS n FROM articles_per_day GROUP BY 1
    ),
{_NAMED}    SELECT
        (SELECT json_agg(json_build_array(day, n)) FROM (
            SELECT day, coalesce(articles.n, 0) + coalesce(correction.n, 0) AS n
            FROM articles_per_day articles FULL JOIN (
                SELECT day, n FROM archive_browse_story_day WHERE key = coalesce(%(key)s::bigint, 0)
            ) correction USING (day)
            WHERE coalesce(articles.n, 0) + coalesce(correction.n, 0) <> 0
        ) days),
        {_FACETS},
        (SELECT json_agg(json_build_array(period, n)) FROM (
            SELECT period, sum(n) AS n FROM (
                SELECT to_char(month, 'YYYY') AS period, n FROM articles_per_month
                UNION ALL
                SELECT to_char(month, 'YYYY-MM'), n FROM articles_per_month
                UNION ALL
                SELECT period, n FROM archive_browse_story_period WHERE key = coalesce(%(key)s::bigint, 0)
            ) both_counts GROUP BY period HAVING sum(n) <> 0
        ) periods)
    FROM fresh
"""
