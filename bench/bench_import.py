"""Benchmark: import all 22 Reuters-21578 files into a fresh database holding the demo fixtures and the
whole gazetteer (`load_gazetteer`), so places are found in the text as a real import finds them
(`--no-find` leaves that out).

Prints the wall-clock time of `manage.py import_articles` (Django start-up included, GIN index present at
the end), articles per second and the import's peak resident memory; then the same again (an idempotent
re-run that changes nothing). Run with `make bench-import`; `make bench-import ARGS="--files …"` imports
other files once instead (the million-record JSON Lines corpus of bench/jsonl_corpus.py, issue 21 §5).
A benchmark, not a test: figures vary with the machine's load.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[1]
REUTERS = ROOT.parent / "shared" / "data" / "reuters21578"
BENCH_DB = "archive_bench_import"


def manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )


def recreate_database(name: str = BENCH_DB) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")
        cursor.execute(f"CREATE DATABASE {name}")
    connection.close()


def rss_mb(pid: int) -> int:
    """The process's resident memory now, in MB (0 once it is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) // 1024 for line in status.splitlines() if line.startswith("VmRSS")), 0)


def watch(pid: int, every: float, started: float, stop: threading.Event) -> None:
    """Every `every` seconds: the articles committed so far, the rate since the last line, and RSS."""
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    connection = psycopg.connect(
        dbname=BENCH_DB, host=db["HOST"], port=db["PORT"] or None, user=db["USER"], password=db["PASSWORD"]
    )
    connection.autocommit = True
    last_count, last_time = None, started
    while not stop.wait(every):
        count = connection.execute("SELECT count(*) FROM archive_article").fetchone()[0]
        now = time.perf_counter()
        rate = "" if last_count is None else f"{(count - last_count) / (now - last_time):,.0f} articles/s"
        line = f"{now - started:7.0f} s  {count:10,} articles  {rate:>17}  RSS {rss_mb(pid):,} MB"
        print("  " + line, flush=True)
        last_count, last_time = count, now
    connection.close()


def timed_import(
    env: dict, files: list[str], every: float = 0, options: tuple[str, ...] = ()
) -> tuple[float, str, int]:
    """Seconds, the import's summary line and its peak resident memory in MB (wait4's own rusage);
    with `every`, a line of progress that often while it runs; `options` go to import_articles."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "import_articles", *options, *files],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(process.pid, every, started, stop), daemon=True)
    if every:
        watcher.start()
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    stop.set()
    if every:
        watcher.join()
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"import_articles failed:\n{output}")
    lines = output.strip().splitlines()
    return seconds, lines[-2] if len(lines) > 1 else output.strip(), usage.ru_maxrss // 1024


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--files",
        nargs="+",
        help="import these files instead of the 22 Reuters ones, once (e.g. the million records "
        "bench/jsonl_corpus.py writes: --files /var/tmp/bench-jsonl-1000000/part-*.jsonl)",
    )
    parser.add_argument(
        "--every",
        type=float,
        default=0,
        help="print the articles committed, the rate and the import's RSS every so many seconds",
    )
    parser.add_argument("--batch-size", type=int, help="import_articles --batch-size (default: its own)")
    parser.add_argument("--no-find", action="store_true", help="import_articles --no-find (no places found)")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    recreate_database()
    env = {**os.environ, "DJANGO_DB_NAME": BENCH_DB}
    manage("migrate", "--noinput", env=env)
    manage("load_demo", env=env)
    manage("load_gazetteer", env=env)  # as `make bootstrap` does: the finder matches 34,000 cities
    files = args.files or sorted(str(p) for p in REUTERS.glob("reut2-*.sgm"))
    options = (("--batch-size", str(args.batch_size)) if args.batch_size else ()) + (
        ("--no-find",) if args.no_find else ()
    )
    seconds, summary, peak = timed_import(env, files, args.every, options)
    records = (
        int(summary.split(" records read")[0].split()[-1].replace(",", ""))
        if "records read" in summary
        else 0
    )
    print(
        f"first import:  {seconds:6.1f} s  {records / seconds:8,.0f} articles/s  "
        f"peak RSS {peak:,} MB   {summary}"
    )
    if args.files:
        return
    seconds, summary, peak = timed_import(env, files, options=options)
    print(
        f"re-import:     {seconds:6.1f} s  {records / seconds:8,.0f} records/s   "
        f"peak RSS {peak:,} MB   {summary}"
    )


if __name__ == "__main__":
    main()
