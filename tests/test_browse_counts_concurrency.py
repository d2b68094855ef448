"""Fresh browse counts under racing writers: whenever a reader finds them fresh, they are what counting
the matches finds in the same snapshot — collapse=story's stories included."""

from __future__ import annotations

import json
import threading
import time

import pytest
from django.db import connection, transaction
from django.http import QueryDict

from archive import search
from archive.derived.refresh import refresh_browse_counts
from archive.models import Article
from archive.search import browse_counts, match_summary
from tests import republications
from tests.import_helpers import REUTERS, run_import
from tests.test_import_concurrency import on_own_connection

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SEARCHES = ("collapse=story", "collapse=story&place=usa", "collapse=story&source=reuters", "place=usa")


def _compare_in_one_snapshot(params: str) -> str | None:
    """'stale', or None when the browse counts equal the counted matches, else what differs."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        result = search.run(QueryDict(params), counted=False)
        browsed = browse_counts.summary_for(result.cleaned)
        if browsed is None:
            return "stale"
        collapsed = result.collapsed
        counted = match_summary.summarize(result.every_copy, collapsed=collapsed)
        for part in ("days", "trees", "periods"):
            if getattr(browsed, part) != getattr(counted, part):
                return f"{params}: {part} differ"
    return None


def test_fresh_browse_counts_always_equal_the_counted_stories_while_writers_run(tmp_path):
    run_import(REUTERS / "reut2-000.sgm")
    originals = republications.originals(REUTERS / "reut2-000.sgm", count=20)
    path = tmp_path / "copies.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in republications.records(originals)))
    stop, outcomes = threading.Event(), []

    def read_until_stopped():
        try:
            while not stop.is_set():
                for params in SEARCHES:
                    outcomes.append(_compare_in_one_snapshot(params))
        except Exception as error:  # reported below, never a silent stop
            outcomes.append(f"reader failed: {error!r}")

    reader = threading.Thread(target=on_own_connection, args=(read_until_stopped,))
    importer = threading.Thread(target=on_own_connection, args=(lambda: run_import(path, batch_size=5),))
    reader.start()
    importer.start()
    try:
        for original in originals[::4]:  # an editor rewrites originals, the counts refreshed after each
            article = Article.objects.get(source__slug="reuters", external_id=original.external_id)
            article.body = f"Rewritten by an editor: {article.headline}. " + "None of the wire is left. " * 6
            article.save()
            refresh_browse_counts()
        importer.join()
        refresh_browse_counts()
        checked, deadline = len(outcomes), time.monotonic() + 120
        while len(outcomes) < checked + 2 * len(SEARCHES) and reader.is_alive():  # the final counts too
            assert time.monotonic() < deadline, "the reader made no progress"
            stop.wait(0.05)
    finally:
        stop.set()
        importer.join()
        reader.join()
    differing = [outcome for outcome in outcomes if outcome not in (None, "stale")]
    assert not differing, differing[:5]
    assert outcomes.count(None) >= 2 * len(SEARCHES)
    assert Article.objects.filter(external_id__startswith="verbatim-").count() == 20
