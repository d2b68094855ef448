"""A run killed part-way and run again ends complete and duplicate-free."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from archive.models import Article
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
    subprocess.run(import_command(), cwd=ROOT, env=subprocess_env(), check=True, capture_output=True)
    assert Article.objects.count() == 9_998
    assert Article.objects.values("url").distinct().count() == 9_998
