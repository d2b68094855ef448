"""How cost grows with the archive: bench_search's CSVs at several sizes as one table and one chart.

    .venv/bin/python bench/scaling.py --corpus varied --sizes 250000 1000000 3000000

reads bench/results/search-<size>.csv (search-plain-<size>.csv for --corpus plain), each a run of
bench/bench_search.py on a corpus of that size, and writes bench/results/scaling-<corpus>.md (p50 / p95
per class and size, for our page, our API and each peer, and the median matches) and
bench/results/scaling-<corpus>.svg (one panel per class, ms against articles on log scales).
"""

from __future__ import annotations

import argparse
import csv
import statistics
from pathlib import Path

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402
from bench_search import percentile  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
SERIES = {"page": "full_stack_ms", "API": "api_ms", "SQLite": "sqlite_ms", "tantivy": "tantivy_ms"}
COLOURS = {"page": "#1f4e8c", "API": "#5b8fd1", "SQLite": "#b5651d", "tantivy": "#2e7d32"}


def load(corpus: str, size: int) -> dict[str, list[dict]]:
    """One run's rows by class."""
    name = f"search-{'' if corpus == 'varied' else corpus + '-'}{size}.csv"
    by_class: dict[str, list[dict]] = {}
    with (RESULTS / name).open() as handle:
        for row in csv.DictReader(handle):
            by_class.setdefault(row["class"], []).append(row)
    return by_class


def figures(rows: list[dict]) -> dict[str, tuple[float, float] | None]:
    """(p50, p95) of each series over one class's rows; None where the run has no value."""
    out: dict[str, tuple[float, float] | None] = {}
    for label, column in SERIES.items():
        values = [float(r[column]) for r in rows if r.get(column)]
        out[label] = (percentile(values, 0.5), percentile(values, 0.95)) if values else None
    return out


def table(runs: dict[int, dict[str, list[dict]]]) -> str:
    classes = list(dict.fromkeys(k for by_class in runs.values() for k in by_class))
    heads = ["class", "articles", "matches (median)", *(f"{label} p50 / p95" for label in SERIES)]
    lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    for klass in classes:
        for size, by_class in runs.items():
            rows = by_class.get(klass)
            if not rows:
                continue
            matches = statistics.median(int(r["matches"] or 0) for r in rows)
            cells = [
                "n/a" if pair is None else f"{pair[0]:,.0f} / {pair[1]:,.0f}"
                for pair in figures(rows).values()
            ]
            lines.append(f"| {klass} | {size:,} | {matches:,.0f} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def chart(runs: dict[int, dict[str, list[dict]]], path: Path, corpus: str) -> None:
    classes = list(dict.fromkeys(k for by_class in runs.values() for k in by_class))
    columns = 4
    rows_needed = -(-len(classes) // columns)
    fig, axes = plt.subplots(rows_needed, columns, figsize=(4 * columns, 3.2 * rows_needed), squeeze=False)
    sizes = sorted(runs)
    for ax, klass in zip(axes.flat, classes, strict=False):
        for label in SERIES:
            points = [(size, figures(runs[size][klass])[label]) for size in sizes if klass in runs[size]]
            points = [(size, pair) for size, pair in points if pair is not None]
            if not points:
                continue
            xs = [size for size, _ in points]
            ax.plot(xs, [pair[0] for _, pair in points], "-o", color=COLOURS[label], label=f"{label} p50")
            ax.plot(xs, [pair[1] for _, pair in points], "--", color=COLOURS[label], label=f"{label} p95")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(klass, fontsize=10)
        ax.minorticks_off()
        ax.set_xticks(sizes, [f"{size / 1e6:g}M" for size in sizes])
        ax.set_ylabel("ms")
    for ax in list(axes.flat)[len(classes) :]:
        ax.axis("off")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(labels), fontsize=8)
    fig.suptitle(f"Search page work against archive size ({corpus} corpus): p50 solid, p95 dashed")
    fig.tight_layout(rect=(0, 0.05, 1, 0.96))
    fig.savefig(path, format="svg", metadata={"Date": None})
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="varied", choices=("varied", "plain"))
    parser.add_argument("--sizes", type=int, nargs="+", default=[250_000, 1_000_000, 3_000_000])
    args = parser.parse_args()
    runs = {size: load(args.corpus, size) for size in args.sizes if _exists(args.corpus, size)}
    text = table(runs)
    (RESULTS / f"scaling-{args.corpus}.md").write_text(text)
    chart(runs, RESULTS / f"scaling-{args.corpus}.svg", args.corpus)
    print(text)


def _exists(corpus: str, size: int) -> bool:
    return (RESULTS / f"search-{'' if corpus == 'varied' else corpus + '-'}{size}.csv").exists()


if __name__ == "__main__":
    main()
