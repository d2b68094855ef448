"""`make load` / `make fault`: locust, headless, against gunicorn serving the Reuters collection.

Imports Reuters-21578 into its own database once (archive_load), starts gunicorn as `make run` does
(gthread workers, psycopg pool, rate limits off), runs 50 concurrent clients for 60 s on the mix in
bench/locustfile.py, and prints requests/s and p50/p95 per kind. An error is a 5xx, a connection
failure or an answer slower than 30 s; any error makes the run fail.

With --fault, PostgreSQL is stopped 20 s into the run and started again at 30 s; a probe records the
status of `/` every 0.25 s and the report shows the 503 window, when 200s came back, and whether the
gunicorn master is the same process. Errors inside that window are expected and reported apart.

With --replicas N, the same mix runs in one run against the primary alone (make run) and against
the primary and N hot standbys (make cluster REPLICAS=N, started here if need be), alternating for
--rounds rounds (2), and the totals are printed side by side.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.bench_export import free_port, start_server, wait_until_up  # noqa: E402

LOAD_DB = "archive_load"
REUTERS = ROOT.parent / "shared" / "data" / "reuters21578"
LOCUST = ROOT / ".venv-load" / "bin" / "locust"
OUT = Path("/var/tmp/news-archive-load")


def manage(*args: str, env: dict) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def prepare_database(env: dict) -> None:
    """Create and fill archive_load once: migrations, then every Reuters file."""
    import psycopg

    from config import embedded_pg

    settings = embedded_pg.connection_settings()
    with psycopg.connect(
        dbname="postgres",
        host=settings["HOST"],
        port=settings["PORT"],
        user=settings["USER"],
        autocommit=True,
    ) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [LOAD_DB]).fetchone():
            conn.execute(f"CREATE DATABASE {LOAD_DB}")
    manage("migrate", "--noinput", env=env)
    count = manage(
        "shell", "-c", "from archive.models import Article; print(Article.objects.count())", env=env
    )
    if int(count.strip().splitlines()[-1]) < 21_000:
        print("importing Reuters-21578 into archive_load (once)…", flush=True)
        manage("import_articles", *sorted(str(p) for p in REUTERS.glob("reut2-*.sgm")), env=env)


DATA_SCRIPT = """
import json, sys
from django.db import connection
from archive.models import Article, Place, Topic
with connection.cursor() as c:
    c.execute("SELECT word FROM archive_vocabulary WHERE ndoc BETWEEN 5 AND 400 "
              "AND length(word) > 3 ORDER BY md5(word) LIMIT 600")
    words = [r[0] for r in c.fetchall()]
    c.execute("SELECT word FROM archive_vocabulary WHERE ndoc > 1000 AND length(word) > 3 "
              "ORDER BY ndoc DESC LIMIT 60")
    common = [r[0] for r in c.fetchall()]
    c.execute("SELECT word FROM archive_vocabulary WHERE ndoc BETWEEN 2 AND 20 AND length(word) > 4 "
              "LIMIT 200")
    rare = [r[0] for r in c.fetchall()]
months = sorted({d.strftime('%Y-%m') for d in Article.objects.dates('published_on', 'month')})
json.dump({
    'words': words, 'common': common, 'rare': rare, 'months': months,
    'articles': list(Article.objects.published().order_by('?').values_list('id', flat=True)[:2000]),
    'places': list(Place.objects.filter(articles__isnull=False).distinct()
                   .values_list('slug', flat=True)[:300]),
    'topics': list(Topic.objects.filter(articles__isnull=False).distinct()
                   .values_list('slug', flat=True)[:300]),
}, sys.stdout)
"""


class Probe(threading.Thread):
    """GET / every 0.25 s: (seconds since start, status or 'refused')."""

    def __init__(self, url: str, started: float):
        super().__init__(daemon=True)
        self.url, self.started, self.samples, self.running = url, started, [], True

    def run(self) -> None:
        while self.running:
            try:
                with urllib.request.urlopen(self.url, timeout=30) as response:
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            except TimeoutError:
                status = "slower than 30 s"
            except urllib.error.URLError as error:
                status = "slower than 30 s" if isinstance(error.reason, TimeoutError) else "refused"
            except OSError:
                status = "refused"
            self.samples.append((time.monotonic() - self.started, status))
            time.sleep(0.25)


def fault(started: float, log: list) -> None:
    """Stop PostgreSQL 20 s in, start it again at 30 s."""
    pg = [sys.executable, str(ROOT / "config" / "embedded_pg.py")]
    time.sleep(max(0.0, 20 - (time.monotonic() - started)))
    subprocess.run([*pg, "stop"], cwd=ROOT, capture_output=True)
    log.append(("stopped", time.monotonic() - started))
    time.sleep(max(0.0, 30 - (time.monotonic() - started)))
    subprocess.run([*pg, "start"], cwd=ROOT, capture_output=True)
    log.append(("accepting", time.monotonic() - started))


def summary(prefix: Path) -> tuple[list[dict], int]:
    rows = list(csv.DictReader(open(f"{prefix}_stats.csv", encoding="utf-8")))
    return rows, sum(int(r["Failure Count"]) for r in rows if r["Name"] != "Aggregated")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fault", action="store_true", help="stop PostgreSQL from 20 s to 30 s")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--replicas", type=int, default=0, help="also run the mix against N read replicas")
    parser.add_argument("--rounds", type=int, default=2, help="with --replicas: alternating rounds of each")
    args = parser.parse_args()

    env = {**os.environ, "DJANGO_DB_NAME": LOAD_DB, "DJANGO_RATE_LIMITS": "0", "DJANGO_DB_POOL": "1"}
    prepare_database(env)
    OUT.mkdir(parents=True, exist_ok=True)
    data = OUT / "data.json"
    data.write_text(manage("shell", "-c", DATA_SCRIPT, env=env).strip().splitlines()[-1])

    os.environ.update({"DJANGO_RATE_LIMITS": "0", "DJANGO_DB_POOL": "1"})
    if args.replicas:
        from config import embedded_pg

        if embedded_pg.start_replicas(args.replicas) != 0:
            sys.exit("the replicas did not start")
        urls = ",".join(embedded_pg.replica(n).url() for n in range(1, args.replicas + 1))
        runs = []
        for round_ in range(1, args.rounds + 1):  # alternating, so neither gets the warmer caches
            runs.append((f"primary alone, round {round_}", {}))
            runs.append(
                (f"primary + {args.replicas} replica(s), round {round_}", {"DATABASE_REPLICA_URLS": urls})
            )
    else:
        runs = [("", {})]
    outcomes = [
        (label, *serve_and_load(args, data, label, extra, n)) for n, (label, extra) in enumerate(runs)
    ]
    verdicts = [
        report(prefix, args, samples, events, master) for _, prefix, samples, events, master in outcomes
    ]
    ok = all(verdicts)
    if len(outcomes) > 1:
        compare(outcomes)
    sys.exit(0 if ok else 1)


def serve_and_load(
    args, data: Path, label: str, extra_env: dict, number: int = 0
) -> tuple[Path, list, list, bool]:
    """Start gunicorn (with `extra_env`), run locust against it, stop it."""
    port = free_port()
    saved = {name: os.environ.get(name) for name in extra_env}
    os.environ.update(extra_env)
    server = start_server(
        LOAD_DB,
        port,
        log=OUT / "server.log",
        workers=int(os.environ.get("WEB_WORKERS", "2")),
        threads=int(os.environ.get("WEB_THREADS", "8")),
    )
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name)
        else:
            os.environ[name] = value
    base = f"http://127.0.0.1:{port}"
    master = server.pid
    events: list = []
    suffix = f"-{number}" if label else ""
    prefix = OUT / (("fault" if args.fault else "load") + suffix)
    if label:
        print(f"\n== {label}", flush=True)
    try:
        wait_until_up(base)
        before = transactions_per_server()
        started = time.monotonic()
        probe = Probe(base + "/", started)
        probe.start()
        if args.fault:
            threading.Thread(target=fault, args=(started, events), daemon=True).start()
        subprocess.run(
            [
                str(LOCUST),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "-u",
                str(args.users),
                "-r",
                str(args.users),
                "-t",
                f"{args.seconds}s",
                "--host",
                base,
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "ERROR",
            ],
            cwd=ROOT,
            env={**os.environ, "LOAD_DATA": str(data)},
            check=False,
        )
        probe.running = False
        same_master = server.poll() is None and server.pid == master
        served = {name: n - before.get(name, 0) for name, n in transactions_per_server().items()}
        print("transactions committed during the run: " + ", ".join(f"{k} {v:,}" for k, v in served.items()))
    finally:
        server.terminate()
        server.wait(timeout=30)
    return prefix, probe.samples, events, same_master


def transactions_per_server() -> dict[str, int]:
    """Transactions committed in archive_load so far, per running server (which one served the reads)."""
    import psycopg

    from config import embedded_pg

    ports = {"primary": embedded_pg.PORT, **{s.name: s.port for s in embedded_pg.existing_replicas()}}
    counts = {}
    for name, port in ports.items():
        try:
            with psycopg.connect(
                host=str(embedded_pg.SOCKET_DIR), port=port, user="postgres", dbname="postgres"
            ) as conn:
                sql = "SELECT xact_commit FROM pg_stat_database WHERE datname = %s"
                counts[name] = conn.execute(sql, [LOAD_DB]).fetchone()[0]
        except psycopg.Error:
            continue
    return counts


def compare(outcomes: list) -> None:
    """The totals of each configuration, side by side."""
    print(f"\n{'configuration':28} {'requests':>9} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'errors':>7}")
    for label, prefix, *_ in outcomes:
        rows, failures = summary(prefix)
        total = next(r for r in rows if r["Name"] == "Aggregated")
        print(
            f"{label:28} {int(total['Request Count']):>9,} {float(total['Requests/s']):>7.1f} "
            f"{total['50%']:>7} {total['95%']:>7} {failures:>7}"
        )


def report(prefix: Path, args, samples: list, events: list, same_master: bool) -> bool:
    rows, failures = summary(prefix)
    print(f"\n{args.users} clients, {args.seconds} s, gunicorn gthread (2 workers x 8 threads), psycopg pool")
    print(f"{'kind':26} {'requests':>9} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>8} {'errors':>7}")
    for row in rows:
        print(
            f"{row['Name']:26} {int(row['Request Count']):>9,} {float(row['Requests/s']):>7.1f} "
            f"{row['50%']:>7} {row['95%']:>7} {float(row['Max Response Time']):>8.0f} "
            f"{row['Failure Count']:>7}"
        )
    if args.fault:
        down = [t for t, status in samples if status != 200]
        print(f"\nPostgreSQL: {', '.join(f'{name} at {t:.1f} s' for name, t in events)}")
        if down:
            print(
                f"non-200 answers on / from {down[0]:.1f} s to {down[-1]:.1f} s "
                f"({sorted({str(s) for _, s in samples if s != 200})}); "
            )
        accepting = dict(events).get("accepting")
        back = next((t for t, status in samples if accepting and t > accepting and status == 200), None)
        if back is not None:
            print(
                f"200s again at {back:.1f} s: {back - accepting:.1f} s after PostgreSQL accepted connections"
            )
        print(f"same gunicorn master throughout: {same_master}")
        ok = same_master and back is not None and back - accepting <= 10
        if not all(s in (200, 503) for _, s in samples):
            ok = False
            print("some answers were neither 200 nor 503")
    else:
        slow = [r for r in rows if float(r["Max Response Time"]) > 30_000]
        ok = failures == 0 and not slow
        print(f"\nerrors: {failures}")
    (prefix.parent / f"{prefix.name}-report.json").write_text(
        json.dumps({"rows": rows, "samples": samples[:2000]})
    )
    return ok


if __name__ == "__main__":
    main()
