"""Compressed bombs and over-long lines: bounded memory, a clear line in the report, the rest imported."""

import gzip
import json
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from archive.importers import records, reuters
from archive.models import Article
from tests.import_helpers import run_import
from tests.test_import_interrupted import ROOT, subprocess_env

GOOD = json.dumps({"headline": "After the bomb", "published": "2022-07-29", "external_id": "after"})


def write_gzip_bomb(path: Path, *, line_mib: int) -> Path:
    """A small .gz whose first line is `line_mib` MiB of one letter, then a good record."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: a gzip header
    block = b'{"headline": "' + b"a" * (2**20 - 14)
    with open(path, "wb") as handle:
        for _ in range(line_mib):
            handle.write(packer.compress(block))
        handle.write(packer.compress(b'"}\n' + GOOD.encode() + b"\n"))
        handle.write(packer.flush())
    return path


# A small Python runs the command and reports its peak memory. Measured from the test process itself,
# the child's peak would include the test process's own size at the fork (Linux keeps it across exec).
MEASURE = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""


def peak_memory_mib(command: list[str]) -> tuple[int, float]:
    """Run a command; (exit status, its peak resident memory in MiB)."""
    measured = subprocess.run(
        [sys.executable, "-c", MEASURE, *command],
        cwd=ROOT,
        env=subprocess_env(),
        capture_output=True,
        check=True,
    )
    status, peak_kib = measured.stdout.split()
    return int(status), int(peak_kib) / 1024


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_gzipped_line_of_hundreds_of_mib_is_skipped_in_bounded_memory(tmp_path):
    bomb = write_gzip_bomb(tmp_path / "bomb.jsonl.gz", line_mib=400)
    assert bomb.stat().st_size < 2 * 2**20
    status, peak = peak_memory_mib([sys.executable, "manage.py", "import_articles", str(bomb)])
    assert status == 0
    assert peak < 250, f"the import held {peak:.0f} MiB"
    assert Article.objects.get().headline == "After the bomb"


@pytest.mark.django_db
def test_an_over_long_line_is_reported_by_number_and_the_rest_lands(tmp_path, monkeypatch):
    monkeypatch.setattr(records, "MAX_LINE_BYTES", 1000)
    long_line = json.dumps({"headline": "Long", "published": "2022-07-29", "body": "b" * 5000})
    path = tmp_path / "long.jsonl"
    path.write_text(f"{long_line}\n{GOOD}\n", encoding="utf-8")
    run = run_import(path)
    assert run.counts["created"] == 1 and run.counts["skipped"] == 1
    assert f"{path}:1: skipped: line longer than" in run.report


@pytest.mark.django_db
def test_an_over_long_csv_line_is_reported_and_the_rows_after_it_land(tmp_path, monkeypatch):
    monkeypatch.setattr(records, "MAX_LINE_BYTES", 1000)
    path = tmp_path / "long.csv"
    path.write_text(
        "headline,published,body\nFirst,2022-07-28,x\nLong,2022-07-29,"
        + "b" * 5000
        + "\nLast,2022-07-30,y\n",
        encoding="utf-8",
    )
    run = run_import(path)
    assert sorted(Article.objects.values_list("headline", flat=True)) == ["First", "Last"]
    assert f"{path}:3: skipped: line longer than" in run.report


@pytest.mark.django_db
def test_decompressed_size_over_the_limit_stops_that_file_with_a_clear_line(tmp_path, monkeypatch):
    monkeypatch.setattr(records, "MAX_INPUT_BYTES", 5000)
    lines = [
        json.dumps({"headline": f"Story {n}", "published": "2022-07-29", "external_id": str(n)})
        for n in range(200)
    ]
    path = tmp_path / "many.jsonl.gz"
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    run = run_import(path)
    assert 0 < run.counts["created"] < 200
    assert "once decompressed; the rest of the file is not read" in run.report


def test_a_reuters_record_without_end_is_dropped_as_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(reuters, "MAX_LINE_BYTES", 2000)
    monkeypatch.setattr(reuters, "BLOCK_SIZE", 1000)
    path = tmp_path / "reut2-999.sgm"
    path.write_bytes(
        b'<REUTERS NEWID="1"><BODY>' + b"x" * 10_000 + b'\n<REUTERS NEWID="2"><TITLE>T</TITLE></REUTERS>'
    )
    first, second = reuters.read_reuters(path)
    assert "with no </REUTERS>; skipped" in first.error
    assert second.line == 2 and "longer" not in (second.error or "")


@pytest.mark.django_db
@pytest.mark.parametrize("damage", ["cut short", "not gzip"])
def test_a_broken_gzip_file_is_reported_on_one_line(tmp_path, damage):
    lines = [
        json.dumps({"headline": f"Story {n}", "published": "2022-07-29", "external_id": str(n)})
        for n in range(50)
    ]
    packed = gzip.compress(("\n".join(lines) + "\n").encode())
    path = tmp_path / "broken.jsonl.gz"
    path.write_bytes(packed[:-30] if damage == "cut short" else b"plain text, not gzip\n")
    run = run_import(path)
    assert "the compressed file is corrupt or cut short" in run.report
    assert run.status == "finished"
