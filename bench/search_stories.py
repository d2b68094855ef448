"""The search benchmark's stories (collapse=story): formed once, kept in `archive_story_member`.

1. The base (copy 0, Reuters-21578 as imported) gets its real stories from the app itself: its articles
   are queued and `stories.catch_up` compares them (a rebuilt corpus already has them: the importer
   ran it batch by batch).
2. Copy k of a base story differs from copy 0 in its rare words only, and from copy j (j ≥ 1) in the
   same places, so the app's own overlap rule (`overlap.measure`) is applied once per base story,
   to copies 0 and 1: when they are copies, all the copies of that base story belong to its story
   (the base story's own, or a new one named by the base id). Running `find_stories` over the million
   instead would compare each story's 46 copies pairwise, about a billion 5-gram counts in Python.
3. Each story's agency is its earliest copy's that names one, whether each copy is alone in its year
   or month (archive_story_member.alone), and the per-day count of stories (archive_story_day), as
   `stories.catch_up` keeps them; then the browse counts, which forming the stories made stale.

The copies' INSERT queued a million articles for the stories: the queue is emptied, as the stories are
now formed. The result is a collapsed worst case: most articles are one of a story's 46 copies.
"""

from __future__ import annotations

import time

import psycopg
from search_corpus import ID_STRIDE, ROOT, connect, log, manage

CATCH_UP = "from archive.derived import stories; stories.catch_up()"
# What stories.catch_up keeps per day as it re-forms stories (and migration 0029 fills the same way).
STORY_DAYS = """
    INSERT INTO archive_story_day (day, n)
    SELECT day, sum(n) FROM (
        SELECT published_on AS day, -1 AS n FROM archive_story_member
        UNION ALL
        SELECT min(published_on), 1 FROM archive_story_member GROUP BY story_id
    ) counted GROUP BY day HAVING sum(n) <> 0
"""


# Whether each member is its story's only one in its year (2) or month (1), as the story maintenance
# keeps it (reform.alone) and migration 0033 filled it.
ALONE = """
    UPDATE archive_story_member member SET alone = computed.alone FROM (
        SELECT article_id, CASE
            WHEN count(*) OVER (PARTITION BY story_id, date_trunc('year', published_on::timestamp)) = 1
                THEN 2
            WHEN count(*) OVER (PARTITION BY story_id, date_trunc('month', published_on::timestamp)) = 1
                THEN 1
            ELSE 0 END AS alone
        FROM archive_story_member
    ) computed
    WHERE computed.article_id = member.article_id AND computed.alone <> member.alone
"""


def formed(conn: psycopg.Connection) -> bool:
    return conn.execute(
        "SELECT EXISTS (SELECT FROM archive_story_member WHERE article_id >= %s)", [ID_STRIDE]
    ).fetchone()[0]


def base_stories(conn: psycopg.Connection) -> None:
    """The base's stories by the app's own maintenance (skipped when the importer already formed them)."""
    if conn.execute("SELECT EXISTS (SELECT FROM archive_story_text)").fetchone()[0]:
        return
    conn.execute("TRUNCATE archive_story_dirty")
    conn.execute(
        "INSERT INTO archive_story_dirty "
        "SELECT id FROM archive_article WHERE id < %s AND status = 'published'",
        [ID_STRIDE],
    )
    conn.commit()
    manage("shell", "-c", CATCH_UP)


def copy_families(conn: psycopg.Connection) -> list[int]:
    """The base ids whose copies 0 and 1 are copies by the app's rule."""
    import sys

    sys.path.insert(0, str(ROOT))
    from archive.derived.stories import overlap, shingles

    rows = conn.execute(
        "SELECT base.id, base.body, base.summary, copy.body, copy.summary FROM archive_article base "
        "JOIN archive_article copy ON copy.id = base.id + %s WHERE base.id < %s",
        [ID_STRIDE, ID_STRIDE],
    )
    families = []
    for pk, body, summary, copy_body, copy_summary in rows:
        first = shingles.shingles(shingles.article_text(body, summary))
        second = shingles.shingles(shingles.article_text(copy_body, copy_summary))
        if overlap.measure(first, second).is_copy:
            families.append(pk)
    return families


def write_members(conn: psycopg.Connection, families: list[int]) -> None:
    """Every copy of a family in its base story's story (the base's own, else one named by the base)."""
    conn.execute("CREATE TEMPORARY TABLE bench_family (base_id integer PRIMARY KEY, story_id integer)")
    conn.execute(
        "INSERT INTO bench_family SELECT base.id, coalesce(member.story_id, base.id) "
        "FROM unnest(%s::int[]) AS base(id) "
        "LEFT JOIN archive_story_member member ON member.article_id = base.id",
        [families],
    )
    conn.execute(
        "INSERT INTO archive_story_member (article_id, story_id, published_on) "
        "SELECT article.id, family.story_id, article.published_on FROM archive_article article "
        "JOIN bench_family family ON family.base_id = article.id %% %s "
        "ON CONFLICT (article_id) DO NOTHING",  # a base story already in a story keeps its row
        [ID_STRIDE],
    )
    conn.execute(
        """
        WITH firsts AS (
            SELECT DISTINCT ON (member.story_id) member.story_id, article.agency
            FROM archive_story_member member JOIN archive_article article ON article.id = member.article_id
            WHERE article.agency <> '' ORDER BY member.story_id, article.published_on, article.id
        )
        UPDATE archive_story_member member SET agency = firsts.agency
        FROM firsts WHERE member.story_id = firsts.story_id AND member.agency <> firsts.agency
        """
    )
    conn.execute(ALONE)
    conn.execute("TRUNCATE archive_story_dirty, archive_story_day")
    conn.execute(STORY_DAYS)
    conn.execute("ANALYZE archive_story_member")


def ensure() -> None:
    """Form the stories unless the corpus has them; then the browse counts, which forming them made
    stale, are refreshed as an import's end refreshes them (archive/derived/refresh.py)."""
    with connect() as conn:
        if formed(conn):
            log("reusing the corpus's stories")
            refresh_browse_counts(conn)
            return
        started = time.perf_counter()
        base_stories(conn)
        families = copy_families(conn)
        log(f"{len(families):,} base stories are copied by their replicas; writing the stories")
        write_members(conn, families)
        conn.commit()
        members, stories = conn.execute(
            "SELECT count(*), count(DISTINCT story_id) FROM archive_story_member"
        ).fetchone()
        seconds = time.perf_counter() - started
        log(f"stories formed in {seconds:.0f} s: {members:,} articles in {stories:,} stories")
        refresh_browse_counts(conn)


def refresh_browse_counts(conn: psycopg.Connection) -> None:
    if not conn.execute("SELECT fresh FROM archive_browse_state").fetchone()[0]:
        started = time.perf_counter()
        conn.execute("SELECT refresh_browse_counts()")
        conn.commit()
        log(f"browse counts refreshed in {time.perf_counter() - started:.0f} s")
