"""Stories under concurrent writers and a killed recomputation: always what a recount finds."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time

import pytest
from django.db import connection, transaction

from archive.derived import stories
from archive.derived.stories import maintain
from archive.models import Article
from tests import republications
from tests.factories import make_article
from tests.import_helpers import REUTERS, run_import
from tests.test_import_concurrency import on_own_connection
from tests.test_import_interrupted import ROOT, subprocess_env
from tests.test_stories import assert_story_days_exact, story_sets

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _queued() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM archive_story_dirty")
        return cursor.fetchone()[0]


@pytest.mark.parametrize(
    ("copies", "counted"),
    [(republications.records, "verbatim-"), (republications.word_for_word, "reprint1-")],
    ids=["edited-copies", "word-for-word"],
)
def test_editors_rewriting_originals_while_their_copies_import(tmp_path, copies, counted):
    """Two writers (an import batch and an editor's save) re-form the same stories at once: copies
    found through their candidates, and reprints word for word found through the original itself
    (which the editor may be rewriting meanwhile)."""
    run_import(REUTERS / "reut2-000.sgm")
    originals = republications.originals(REUTERS / "reut2-000.sgm", count=30)
    path = tmp_path / "copies.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in copies(originals)))
    importer = threading.Thread(target=on_own_connection, args=(lambda: run_import(path, batch_size=5),))
    rewritten = []
    importer.start()
    for original in originals[::3]:
        article = Article.objects.get(source__slug="reuters", external_id=original.external_id)
        article.body = (
            f"Rewritten by an editor: {article.headline}. " + "Nothing of the wire copy is left. " * 6
        )
        article.save()  # autocommit: its stories are brought up to date at once (on commit)
        rewritten.append(article.pk)
    importer.join()
    assert rewritten and Article.objects.filter(external_id__startswith=counted).count() == 30
    assert _queued() == 0
    assert_story_days_exact()  # the per-day story counts the racing writers kept
    kept = story_sets()
    stories.find_all()
    assert story_sets() == kept
    for pk in rewritten:
        assert not any(pk in members for members in kept)


def test_an_original_deleted_while_its_reprint_links_to_it_leaves_no_story_behind(monkeypatch):
    """An import batch links a reprint to its original; the original is deleted (and committed)
    between finding it and re-forming the story. The batch re-forms the story without the original,
    so the deleting editor's catch_up reaches the reprint through its link, not a member row."""
    body = ". ".join(" ".join(f"s{n}w{i}" for i in range(12)) for n in range(10)) + "."
    original = make_article("Original", body=body)  # autocommit: its story work done on commit
    with connection.cursor() as cursor:  # stale browse counts (as during an import): the delete does
        cursor.execute("UPDATE archive_browse_state SET fresh = false")  # not wait on that row
    found, deleted = threading.Event(), threading.Event()
    link = maintain._link

    def link_after_the_delete(*args):
        found.set()
        assert deleted.wait(30)
        return link(*args)

    monkeypatch.setattr(maintain, "_link", link_after_the_delete)

    def import_batch() -> None:
        with transaction.atomic():
            reprint = make_article("Reprint", body=body)
            stories.catch_up(fresh={reprint.pk: body})  # as the importer does in each batch

    importer = threading.Thread(target=on_own_connection, args=(import_batch,))
    importer.start()
    assert found.wait(30)
    editor = threading.Thread(target=on_own_connection, args=(lambda: original.delete(),))
    editor.start()  # its catch_up waits for the importer's story lock, after its delete commits
    while Article.objects.filter(pk=original.pk).exists():
        time.sleep(0.01)
    deleted.set()
    importer.join()
    editor.join()
    monkeypatch.setattr(maintain, "_link", link)
    assert _queued() == 0 and story_sets() == set()
    reprint = Article.objects.get(headline="Reprint")
    with connection.cursor() as cursor:  # alone now, it holds its own samples for later copies
        cursor.execute("SELECT count(*) FROM archive_story_sample WHERE article_id = %s", [reprint.pk])
        assert cursor.fetchone()[0] > 0
    stories.find_all()
    assert story_sets() == set()


def test_a_killed_find_stories_leaves_the_rest_queued_and_a_rerun_finishes():
    run_import(REUTERS / "reut2-000.sgm", REUTERS / "reut2-001.sgm")
    expected = story_sets()
    assert expected
    command = [sys.executable, "manage.py", "find_stories", "--chunk", "50"]
    process = subprocess.Popen(
        command, cwd=ROOT, env=subprocess_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None and not 0 < _queued() < 1_500:
        time.sleep(0.01)
    assert process.poll() is None, "find_stories finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert _queued() > 0  # what it had not reached is still queued
    finished = subprocess.run(
        command, cwd=ROOT, env=subprocess_env(), check=True, capture_output=True, text=True
    )
    assert "stories with more than one copy" in finished.stdout
    assert _queued() == 0 and story_sets() == expected
    assert_story_days_exact()
