"""Fresh browse counts under racing writers: whenever a reader finds them fresh, they are what counting
the matches finds in the same snapshot — collapse=story's stories included."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time

import psycopg
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
from tests.test_import_interrupted import ROOT, subprocess_env

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


def _snapshot_of_browse_tables() -> list:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT array_agg(t ORDER BY t) FROM archive_browse_story_pair t),"
            " (SELECT array_agg(t ORDER BY t) FROM archive_browse_story_period t),"
            " (SELECT array_agg(t ORDER BY t) FROM archive_browse_story_day t),"
            " (SELECT array_agg(t ORDER BY t) FROM archive_browse_pair t),"
            " (SELECT fresh FROM archive_browse_state)"
        )
        return list(cursor.fetchone())


def test_a_refresh_killed_half_way_leaves_the_old_counts_and_a_rerun_makes_them_exact(tmp_path):
    """The refresh is held at its last step (marking the counts fresh: another transaction holds that
    row), its process and its server session are killed there, and nothing it had recounted shows."""
    run_import(REUTERS / "reut2-000.sgm")
    originals = republications.originals(REUTERS / "reut2-000.sgm", count=10)
    path = tmp_path / "copies.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in republications.records(originals)))
    run_import(path)
    copy = Article.objects.get(external_id=f"verbatim-{originals[0].external_id}")
    Article.objects.filter(pk=copy.pk).update(published_on=copy.published_on.replace(year=1990))
    before = _snapshot_of_browse_tables()
    assert before[-1] is False  # stale: the redated copy moved a count
    blocker = psycopg.connect(**connection.get_connection_params())
    blocker.execute("UPDATE archive_browse_state SET fresh = fresh")  # held, uncommitted
    process = subprocess.Popen(
        [sys.executable, "manage.py", "refresh_browse_counts"],
        cwd=ROOT,
        env=subprocess_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        waiting, deadline = None, time.monotonic() + 60
        while waiting is None:
            assert time.monotonic() < deadline and process.poll() is None, "the refresh never reached its end"
            blocker.execute("SELECT pg_stat_clear_snapshot()")  # the blocker's transaction sees it anew
            waiting = blocker.execute(
                "SELECT pid FROM pg_stat_activity WHERE query LIKE '%refresh_browse_counts()%'"
                " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            ).fetchone()
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait()
        blocker.execute("SELECT pg_terminate_backend(%s)", waiting)
    finally:
        blocker.rollback()
        blocker.close()
    assert _snapshot_of_browse_tables() == before  # nothing of the half-done recount
    assert browse_counts.summary_for({"collapse": "story"}) is None
    refresh_browse_counts()
    cleaned = search.run(QueryDict("collapse=story"), counted=False)
    browsed = browse_counts.summary_for(cleaned.cleaned)
    counted = match_summary.summarize(cleaned.every_copy, collapsed=True)
    assert (browsed.days, browsed.trees, browsed.periods) == (counted.days, counted.trees, counted.periods)
