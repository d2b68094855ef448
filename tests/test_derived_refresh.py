"""The one refresh after a write, outside a transaction (as an import ends): the vocabulary rebuilt on
a second connection beside the statistics and the browse recount, and its failure reaching the caller."""

from __future__ import annotations

import pytest
from django.db import connection

from archive.derived import refresh
from tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _in_vocabulary(word: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT FROM archive_vocabulary WHERE word = %s)", [word])
        return cursor.fetchone()[0]


def _browse_counts_fresh() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT fresh FROM archive_browse_state")
        return cursor.fetchone()[0]


def test_after_a_write_the_vocabulary_and_the_browse_counts_are_fresh():
    make_article("Quarterly zanzibarite shipments", body="The zanzibarite trade grew again.")
    assert not connection.in_atomic_block and not _browse_counts_fresh()
    refresh.refresh_after_write()
    assert _in_vocabulary("zanzibarite") and _browse_counts_fresh()


def test_a_failed_vocabulary_rebuild_reaches_the_caller_once_the_recount_is_done(monkeypatch):
    make_article("Quarterly quokkalite shipments", body="The quokkalite trade grew again.")

    def broken() -> None:
        raise RuntimeError("vocabulary rebuild failed")

    monkeypatch.setattr(refresh, "refresh_vocabulary", broken)
    with pytest.raises(RuntimeError, match="vocabulary rebuild failed"):
        refresh.refresh_after_write()
    assert _browse_counts_fresh() and not _in_vocabulary("quokkalite")
