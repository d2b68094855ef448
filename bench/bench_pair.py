"""Benchmark: two versions of the search page side by side, query by query, on the same machine.

Two checkouts (each with its own .venv or a link to one), each against its own bench database, run
as two long-lived worker processes (bench/pair_worker.py: Django in-process, the same settings as
bench_search.py). Each query of a mix (the CSV of an earlier bench_search run, bench/results/
search-<N>.csv) goes to one then the other, the order alternating, --runs times; each side counts
with the median of its runs. Interleaving request by request keeps the machine's drift (these are
shared machines) out of the comparison, which separate runs minutes apart do not: two bench_search
runs of the same code differed by up to 30 % in a class's p50 here.

For each class: p50 / p95 of each side, their ratios, and the median of the per-query ratios; the
matches each side counted (the two corpora may differ). Example, the issue-18 code on the
English-only corpus beside this checkout on the mixed-language one:

    .venv/bin/python bench/bench_pair.py --before /tmp/old --before-db archive_bench_search_en \\
        --after-db archive_bench_search --queries bench/results/search-1000000.csv

A benchmark, not a test: figures vary with the machine's load.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
from pathlib import Path

from bench_search import percentile

ROOT = Path(__file__).resolve().parents[1]
WORKER = ROOT / "bench" / "pair_worker.py"


class Side:
    """One version's worker process: sends a query string, reads back (ms, status, matches)."""

    def __init__(self, checkout: Path, database: str):
        self.process = subprocess.Popen(
            [str(checkout / ".venv" / "bin" / "python"), str(WORKER), database],
            cwd=checkout,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=os.environ.copy(),
        )
        ready = self.process.stdout.readline().strip()
        if ready != "ready":
            raise SystemExit(f"the worker in {checkout} did not start (see its output above)")

    def ask(self, query_string: str) -> tuple[float, int, int | None]:
        self.process.stdin.write(query_string + "\n")
        self.process.stdin.flush()
        elapsed, status, matches = json.loads(self.process.stdout.readline())
        return elapsed, status, matches

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


def measure(before: Side, after: Side, query_string: str, runs: int, turn: int) -> tuple | None:
    """Each side's median over `runs`, alternating which goes first; each side warmed once. None
    when a side does not answer 200 (page 5,000 of a query with fewer matches on one side)."""
    _, before_status, before_matches = before.ask(query_string)
    _, after_status, after_matches = after.ask(query_string)
    if before_status != 200 or after_status != 200:
        print(f"  skipped {query_string}: {before_status} before, {after_status} after", flush=True)
        return None
    times: dict[str, list[float]] = {"before": [], "after": []}
    for run in range(runs):
        order = [("before", before), ("after", after)]
        for name, side in order if (run + turn) % 2 == 0 else reversed(order):
            times[name].append(side.ask(query_string)[0])
    return (
        statistics.median(times["before"]),
        statistics.median(times["after"]),
        before_matches,
        after_matches,
    )


def compare_class(before: Side, after: Side, queries: list[str], runs: int) -> dict:
    measured = [measure(before, after, q, runs, turn) for turn, q in enumerate(queries)]
    rows = [row for row in measured if row is not None]
    old, new = [r[0] for r in rows], [r[1] for r in rows]
    return {
        "n": len(rows),
        "skipped": len(measured) - len(rows),
        "before": (statistics.median(old), percentile(old, 0.95)),
        "after": (statistics.median(new), percentile(new, 0.95)),
        "paired": statistics.median(b / a for a, b in zip(old, new, strict=True)),
        "matches": (statistics.median(r[2] or 0 for r in rows), statistics.median(r[3] or 0 for r in rows)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the other checkout")
    parser.add_argument("--before-db", required=True, help="its bench database")
    parser.add_argument("--after", type=Path, default=ROOT, help="this checkout (default)")
    parser.add_argument("--after-db", default="archive_bench_search", help="its bench database")
    parser.add_argument(
        "--queries", type=Path, required=True, help="a bench_search CSV (class, query_string)"
    )
    parser.add_argument("--classes", help="comma-separated classes (default: every class in the CSV)")
    parser.add_argument("--runs", type=int, default=5, help="runs per query and side; medians (default 5)")
    args = parser.parse_args()
    with args.queries.open(newline="") as handle:
        mix = [(row["class"], row["query_string"]) for row in csv.DictReader(handle)]
    classes = args.classes.split(",") if args.classes else list(dict.fromkeys(k for k, _ in mix))
    before, after = Side(args.before, args.before_db), Side(args.after, args.after_db)
    header = "before p50   p95 | after p50   p95 | p50 ×  p95 × | paired × | matches before → after"
    print(f"{'class':14} {'n':>3} | {header}")
    try:
        for klass in classes:
            c = compare_class(before, after, [q for k, q in mix if k == klass], args.runs)
            (b50, b95), (a50, a95), (mb, ma) = c["before"], c["after"], c["matches"]
            print(
                f"{klass:14} {c['n']:>3} | {b50:10.1f} {b95:5.0f} | {a50:9.1f} {a95:5.0f} | "
                f"{a50 / b50:5.2f} {a95 / b95:5.2f} | {c['paired']:8.2f} | {mb:,.0f} → {ma:,.0f}",
                flush=True,
            )
    finally:
        before.close()
        after.close()
    print(f"ms, full page in-process, median of {args.runs} runs a query; × = after / before")


if __name__ == "__main__":
    main()
