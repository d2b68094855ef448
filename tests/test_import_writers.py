"""Imports outside a transaction write their batches on two threads at once: same result as one."""

from __future__ import annotations

import pytest

from archive.models import Article, ImportChange
from tests.import_helpers import HUFFPOST, HUFFPOST_MAP, run_import, write_jsonl

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _records(count: int, *, changed: set[int] = frozenset()) -> list:
    return [
        {
            "headline": f"Story {n}{' (revised)' if n in changed else ''}",
            "published": "2022-07-22",
            "external_id": f"w-{n}",
            "places": ["Kati"],
        }
        for n in range(count)
    ]


def test_small_batches_on_two_writers_land_every_record_once():
    run = run_import(HUFFPOST, format="jsonl", source="HuffPost", mapping=HUFFPOST_MAP, batch_size=97)
    assert run.counts["created"] + run.counts["duplicates"] == 10_000 and run.counts["duplicates"] >= 2
    assert Article.objects.filter(source__slug="huffpost").count() == run.counts["created"]
    assert ImportChange.objects.filter(run=run).count() == run.counts["created"]
    duplicate_lines = [int(line.split(":")[1]) for line in run.report.splitlines() if "collapsed" in line]
    assert duplicate_lines == sorted(duplicate_lines)


def test_updates_and_duplicates_across_batches_are_counted_exactly(tmp_path):
    path = write_jsonl(tmp_path / "w.jsonl", _records(300))
    first = run_import(path, source="Wire", batch_size=7)
    assert first.counts["created"] == 300
    revised = write_jsonl(tmp_path / "w2.jsonl", _records(300, changed={3, 150, 299}) + _records(5))
    second = run_import(revised, source="Wire", batch_size=7)
    counts = second.counts
    assert (counts["updated"], counts["unchanged"], counts["duplicates"], counts["created"]) == (3, 297, 5, 0)
    assert Article.objects.filter(headline__endswith="(revised)").count() == 3
    assert Article.objects.filter(source__slug="wire").count() == 300
