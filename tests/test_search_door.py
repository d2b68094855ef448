"""archive.search.run is the one door: every reader goes through it, and its result is fixed when built."""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import QueryDict

from archive import search
from tests.factories import make_article

ROOT = Path(__file__).resolve().parent.parent


def test_the_door_imports_from_a_plain_python():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "-c", "from archive.search import run; print(run.__module__)"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "archive.search.result"


def test_nothing_outside_the_search_builds_the_filterset_itself():
    """Views, analysis, exports and browse reach the matches only through search.run."""
    builders = []
    for path in (ROOT / "archive").rglob("*.py"):
        if "search" in path.relative_to(ROOT / "archive").parts[:1] or "migrations" in path.parts:
            continue
        text = path.read_text()
        if re.search(r"\bArticleFilter\(|match_summary\.summarize\(|browse_counts\.summary_for\(", text):
            builders.append(str(path.relative_to(ROOT)))
    assert builders == []


@pytest.mark.django_db
def test_the_result_is_frozen_and_its_page_fixed_when_built():
    for n in range(25):
        make_article(f"Wheat note {n}", body="wheat " * (n % 5 + 1))
    query = QueryDict("q=wheat")
    result = search.run(query, page=search.PageSlice(20, 20))
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.page = search.PageSlice(0, 20)
    expected = list(search.run(query, counted=False).ordered.values_list("pk", flat=True))
    assert [a.pk for a in result.page_rows()] == expected[20:]  # read before or after the counts
    assert result.total == 25 and result.page_ids == expected[20:]


@pytest.mark.django_db
def test_an_invalid_search_says_why_and_counts_nothing():
    result = search.run(QueryDict("from=1987-13&sort=sideways"))
    assert result.errors and result.summary is None and result.matches is None
