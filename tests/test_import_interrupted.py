"""Runs killed part-way or started together: marked interrupted, serialised, complete when run again."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from archive.importers.runs import mark_interrupted_runs
from archive.models import Article, ImportRun
from tests.import_helpers import HUFFPOST, HUFFPOST_MAP

ROOT = Path(__file__).resolve().parents[1]


def import_command() -> list[str]:
    maps = [arg for name, column in HUFFPOST_MAP.items() for arg in ("--map", f"{name}={column}")]
    return [
        sys.executable,
        "manage.py",
        "import_articles",
        str(HUFFPOST),
        "--format",
        "jsonl",
        "--source",
        "HuffPost",
        "--batch-size",
        "250",
        *maps,
    ]


def subprocess_env() -> dict:
    # The subprocess writes to this test's database.
    return {**os.environ, "DJANGO_DB_NAME": connection.settings_dict["NAME"]}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_killed_import_completes_without_duplicates_when_run_again():
    process = subprocess.Popen(
        import_command(), cwd=ROOT, env=subprocess_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    while Article.objects.count() < 4_000 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    assert process.poll() is None, "the import finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    partial = Article.objects.count()
    assert 4_000 <= partial < 9_998
    killed = ImportRun.objects.get()
    assert killed.status == ImportRun.Status.RUNNING and killed.counts["read"] >= 4_000
    assert mark_interrupted_runs() == [killed.pk]
    killed.refresh_from_db()
    assert killed.status == ImportRun.Status.INTERRUPTED and "run the same import again" in killed.report
    subprocess.run(import_command(), cwd=ROOT, env=subprocess_env(), check=True, capture_output=True)
    assert Article.objects.count() == 9_998
    assert Article.objects.values("url").distinct().count() == 9_998
    assert ImportRun.objects.filter(status=ImportRun.Status.FINISHED).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_imports_started_together_take_turns_and_both_finish():
    started = [
        subprocess.Popen(
            import_command(), cwd=ROOT, env=subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=300) for process in started]
    assert [process.returncode for process in started] == [0, 0], outputs
    assert any(b"this one waits for it to finish" in err for _, err in outputs)
    assert not any(b"Traceback" in err for _, err in outputs)
    assert Article.objects.count() == 9_998
    first, second = ImportRun.objects.order_by("finished")
    assert (first.counts["created"], second.counts["created"]) == (9_998, 0)
    assert second.counts["unchanged"] == 9_998
    assert {first.status, second.status} == {ImportRun.Status.FINISHED}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_killed_undo_is_marked_interrupted_and_resumes_where_it_stopped():
    subprocess.run(import_command(), cwd=ROOT, env=subprocess_env(), check=True, capture_output=True)
    run = ImportRun.objects.get()
    undo = [sys.executable, "manage.py", "undo_import", str(run.pk), "--batch-size", "100"]
    process = subprocess.Popen(undo, cwd=ROOT, env=subprocess_env(), stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while run.changes.filter(undone=True).count() < 1_000 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, "the undo finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert 1_000 <= 9_998 - Article.objects.count() < 9_998
    assert mark_interrupted_runs() == [run.pk]
    subprocess.run(undo, cwd=ROOT, env=subprocess_env(), check=True, capture_output=True)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.UNDONE and not Article.objects.exists()
    assert run.counts["undo"]["removed"] == 9_998
