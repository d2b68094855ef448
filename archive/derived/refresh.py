"""The one refresh after a write: what the triggers cannot keep exact row by row.

Triggers keep the rolled-up ids, facet groups, closures and day-count deltas in the same
transaction as every write. Three things are refreshed after a batch of writes instead:
the day-count and language-count deltas are folded, the browse counts are recounted, and the
did-you-mean vocabulary is rebuilt. The importer, `undo_import` and the refresh commands call
`refresh_after_write`; nothing on the read side writes these tables.
"""

from __future__ import annotations

import threading

from django.db import connection

ANALYZED_TABLES = ("archive_article", "archive_article_places", "archive_article_topics")


def refresh_vocabulary() -> None:
    """Rebuild the did-you-mean vocabulary from the published articles.

    Concurrently once it holds data (through its unique index), so searches read the old words
    meanwhile instead of waiting on the refresh's lock.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT ispopulated FROM pg_matviews WHERE matviewname = 'archive_vocabulary'")
        populated = (cursor.fetchone() or [False])[0]
        cursor.execute(f"REFRESH MATERIALIZED VIEW {'CONCURRENTLY ' if populated else ''}archive_vocabulary")


def refresh_browse_counts() -> None:
    """Recount the archive for browsing (holds writers back while it runs)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT refresh_browse_counts()")


def compact_day_counts() -> None:
    """Fold the day-count and language-count deltas into one row per day and per language."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT compact_day_counts(), compact_language_counts()")


def analyze_after_bulk_write() -> None:
    """Fresh planner statistics, so the first searches after a big load get sane plans."""
    with connection.cursor() as cursor:
        for table in ANALYZED_TABLES:
            cursor.execute(f"ANALYZE {table}")


def _vocabulary_on_own_connection(errors: list[BaseException]) -> None:
    """`refresh_vocabulary` on this thread's own connection, keeping its error for the caller."""
    try:
        refresh_vocabulary()
    except BaseException as error:
        errors.append(error)
    finally:
        connection.close()


def refresh_after_write(*, changed: bool = True) -> None:
    """Everything derived made fresh after a batch of writes.

    `changed=False` (nothing created or updated) only rebuilds the vocabulary, whose words may
    still name articles changed since. Outside a transaction the vocabulary is rebuilt on a second
    connection while the planner statistics are gathered and the browse counts recounted (each is one
    backend's work: at a million articles about 20 s apiece, one after the other before). The
    statistics come first on the same connection as the recount, whose lock (SHARE) they would wait
    for otherwise, and whose plans they serve.
    """
    if not changed:
        refresh_vocabulary()
        return
    compact_day_counts()
    if connection.in_atomic_block:
        analyze_after_bulk_write()
        refresh_vocabulary()
        refresh_browse_counts()
        return
    errors: list[BaseException] = []
    helper = threading.Thread(target=_vocabulary_on_own_connection, args=(errors,), name="derived-vocabulary")
    helper.start()
    try:
        analyze_after_bulk_write()
        refresh_browse_counts()
    finally:
        helper.join()
    if errors:
        raise errors[0]
