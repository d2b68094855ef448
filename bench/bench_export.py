"""Benchmark: export every article of the one-million-article corpus as CSV through gunicorn.

Starts the production server configuration (config/gunicorn.conf.py: gthread workers) on the benchmark
database, streams `/export/?format=csv` over HTTP, counts the CSV records, and samples the worker's
resident memory (VmRSS) every 0.2 s. Prints the time, rows per second, and the worker's RSS before,
at its peak and the growth. Run with `make bench-export` (it builds the corpus first if needed).
A benchmark, not a test: figures vary with the machine's load.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = "archive_bench_search"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def worker_pids(master: int) -> list[int]:
    with open(f"/proc/{master}/task/{master}/children") as children:
        return [int(pid) for pid in children.read().split()]


class RssSampler(threading.Thread):
    """The peak resident memory of the gunicorn workers while the export runs."""

    def __init__(self, pids: list[int]):
        super().__init__(daemon=True)
        self.pids, self.peak, self.running = pids, 0, True

    def current(self) -> int:
        return max(rss_kib(pid) for pid in self.pids)

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, self.current())
            time.sleep(0.2)


def start_server(
    database: str, port: int, *, workers: int = 1, threads: int = 2, log: Path | None = None
) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_DB_NAME": database,
        "DJANGO_DEBUG": "0",
        "DJANGO_RATE_LIMITS": "0",
        "DJANGO_STATEMENT_TIMEOUT_MS": "0",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_WORKERS": str(workers),
        "WEB_THREADS": str(threads),
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    return subprocess.Popen(
        [str(gunicorn), "--config", "config/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=open(log, "w") if log else subprocess.DEVNULL,  # noqa: SIM115 (the server owns it)
        stderr=subprocess.STDOUT,
    )


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the server did not start")


def count_csv_records(url: str) -> tuple[int, int, list[str]]:
    """(records, X-Total-Count, header) of a streamed CSV export, read as it arrives."""
    with urllib.request.urlopen(url, timeout=3600) as response:
        total = int(response.headers["X-Total-Count"])
        reader = csv.reader(io.TextIOWrapper(response, encoding="utf-8", newline=""))
        header = next(reader)
        return sum(1 for _ in reader), total, header


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=DEFAULT_DB, help="database holding the corpus")
    parser.add_argument("--query", default="format=csv", help="export parameters (default: every article)")
    args = parser.parse_args()

    port = free_port()
    server = start_server(args.db, port)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base)
        count_csv_records(f"{base}/export/?format=csv&q=wheat")  # warm the worker: imports, connection
        sampler = RssSampler(worker_pids(server.pid))
        before = sampler.current()
        sampler.start()
        started = time.monotonic()
        records, total, header = count_csv_records(f"{base}/export/?{args.query}")
        seconds = time.monotonic() - started
        sampler.running = False
        sampler.join()
    finally:
        server.terminate()
        server.wait(timeout=30)

    growth = (sampler.peak - before) / 1024
    print(f"export /export/?{args.query} from database {args.db} through gunicorn (gthread, 1 worker)")
    print(f"columns: {', '.join(header)}")
    print(f"records: {records:,} (X-Total-Count {total:,}){'' if records == total else '  MISMATCH'}")
    print(f"time: {seconds:.1f} s, {records / seconds:,.0f} records/s")
    peak = sampler.peak / 1024
    print(f"worker RSS: {before / 1024:.0f} MB before, {peak:.0f} MB peak, growth {growth:.0f} MB")
    if records != total:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
