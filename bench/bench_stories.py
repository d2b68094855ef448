"""Benchmark and check of issue 20's Done-when: Reuters-21578, then republications of its stories.

Into a fresh database: import all 22 Reuters files (timed: stories found on import), then a file of
republications of N Reuters stories in three other outlets (verbatim with a credit line, trimmed,
lightly edited; one to five days later) and roundups of single sentences (tests/republications.py).
Prints the import speed, recall (republications in their original's story), roundups joined,
precision (a copy in a story with another original's copies only when the originals are one story
themselves), agencies, the collapsed and uncollapsed totals, and a timed `find_stories`.
Run with `make bench-stories` (ARGS="--originals 300"). A benchmark: figures vary with load.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bench_import

ROOT = Path(__file__).resolve().parents[1]
REUTERS = ROOT.parent / "shared" / "data" / "reuters21578"
BENCH_DB = "archive_bench_stories"
KINDS = ("verbatim", "trimmed", "edited")


def manage(*args: str, env: dict) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def setup() -> dict:
    bench_import.recreate_database(BENCH_DB)
    return {**os.environ, "DJANGO_DB_NAME": BENCH_DB}


def originals(count: int) -> list:
    from tests import republications

    found = []
    for path in sorted(REUTERS.glob("reut2-*.sgm")):
        found += republications.originals(path, count=count - len(found))
        if len(found) >= count:
            return found
    return found


def use_bench_database() -> None:
    """This process reads the bench database from now on (Django started on the default one)."""
    from django.db import connections

    connections.close_all()
    connections["default"].settings_dict["NAME"] = BENCH_DB


def check(env: dict, picked: list) -> dict:
    use_bench_database()
    from django.http import QueryDict

    from archive import search
    from archive.models import Article, StoryMember

    story_of = dict(StoryMember.objects.values_list("article_id", "story_id"))
    reuters = dict(Article.objects.filter(source__slug="reuters").values_list("external_id", "id"))
    copies = {a.external_id: a for a in Article.objects.exclude(source__slug="reuters")}
    found = missed = wrong = 0
    for original in picked:
        home = story_of.get(reuters[original.external_id])
        for kind in KINDS:
            copy = copies[f"{kind}-{original.external_id}"]
            if home is not None and story_of.get(copy.pk) == home:
                found += 1
            else:
                missed += 1
    for external_id, copy in copies.items():
        if "-" in external_id and not external_id.startswith("roundup-") and copy.pk in story_of:
            its_original = reuters[external_id.split("-", 1)[1]]
            if story_of.get(its_original) != story_of[copy.pk]:
                wrong += 1
    roundups = [a for key, a in copies.items() if key.startswith("roundup-")]
    credited = [copies[f"{kind}-{o.external_id}"].agency for o in picked for kind in ("verbatim", "trimmed")]
    inherited = StoryMember.objects.filter(
        article__in=[copies[f"edited-{o.external_id}"] for o in picked], agency="Reuters"
    ).count()
    every = search.run(QueryDict("")).total
    collapsed = search.run(QueryDict("collapse=story")).total
    return {
        "republications in their original's story": f"{found:,} of {found + missed:,}",
        "republications in another original's story": f"{wrong:,}",
        "roundups in a story": f"{sum(1 for r in roundups if r.pk in story_of)} of {len(roundups)}",
        "copies crediting '(Reuters)' or '— Reuters' read as Reuters": (
            f"{credited.count('Reuters'):,} of {len(credited):,}"
        ),
        "uncredited edited copies inheriting Reuters from their story": f"{inherited:,} of {len(picked):,}",
        "articles / stories (collapse=story)": f"{every:,} / {collapsed:,}",
        "stories of more than one article": f"{len(set(story_of.values())):,}",
    }


def story_sets() -> set[frozenset[int]]:
    from archive.models import StoryMember

    use_bench_database()
    by_story: dict[int, set[int]] = {}
    for article_id, story_id in StoryMember.objects.values_list("article_id", "story_id"):
        by_story.setdefault(story_id, set()).add(article_id)
    return {frozenset(members) for members in by_story.values()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--originals", type=int, default=100, help="stories republished (default 100)")
    args = parser.parse_args()
    env = setup()
    manage("migrate", "--noinput", env=env)
    files = [str(p) for p in sorted(REUTERS.glob("reut2-*.sgm"))]
    seconds = manage("import_articles", *files, env=env)
    print(f"Reuters-21578 import with stories: {seconds:.1f} s ({21578 / seconds:,.0f} articles/s)")
    from tests import republications

    picked = originals(args.originals)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "republications.jsonl"
        rows = republications.records(picked)
        path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
        seconds = manage("import_articles", str(path), env=env)
        print(f"republications: {len(rows):,} records in {seconds:.1f} s")
    for name, value in check(env, picked).items():
        print(f"{name}: {value}")
    kept = story_sets()
    seconds = manage("find_stories", env=env)
    same = "the same" if story_sets() == kept else "DIFFERENT"
    print(f"find_stories over the whole archive: {seconds:.1f} s; {same} stories as kept on import")


if __name__ == "__main__":
    main()
