"""The project's own PostgreSQL server: found, initialised, started and stopped here.

Standard library only: the Makefile runs it before Django is configured, and the
settings import it to learn where the server listens when DATABASE_URL is unset.
Usage: python config/embedded_pg.py start | stop | status | start-replicas N | replica-urls N

Read replicas (make cluster) are hot standbys of this server made by `pg_basebackup -R` over the
unix socket, each with its own data folder and port; `stop` stops them too.
"""

from __future__ import annotations

import fcntl
import glob
import hashlib
import os
import pwd
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# One server per checkout, named from its path; kept outside the checkout because
# the postgres user cannot enter a clone under /root.
KEY = hashlib.sha1(str(PROJECT_ROOT).encode()).hexdigest()[:10]
STATE_DIR = Path(os.environ.get("ARCHIVE_PG_STATE_DIR", f"/var/tmp/news-archive-{KEY}"))
DATA_DIR = STATE_DIR / "data"
LOG_FILE = STATE_DIR / "postgres.log"
# A unix socket path may not exceed 107 bytes, so the socket lives in a short folder.
SOCKET_DIR = Path(os.environ.get("ARCHIVE_PG_SOCKET_DIR", f"/tmp/news-archive-{KEY}"))
PORT = "5432"
DB_NAME = "archive"
DB_USER = "archive"


def _buffer_megabytes() -> int:
    """A quarter of the machine's memory for shared buffers (PostgreSQL's usual advice), 128 MB to 8 GB.

    Searches visit every matching row to count and facet it: with the articles and their indexes in
    shared buffers rather than the OS page cache, a broad count costs a third (measured, README).
    """
    try:
        total_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal:")
        )
    except (OSError, StopIteration, ValueError):
        return 512
    return max(128, min(8192, total_kb // 1024 // 4))


SERVER_SETTINGS = {
    "listen_addresses": "''",
    "unix_socket_directories": f"'{SOCKET_DIR}'",
    "port": PORT,
    "max_connections": "200",
    "shared_buffers": f"'{_buffer_megabytes()}MB'",
    "work_mem": "'32MB'",
    "maintenance_work_mem": "'256MB'",
    "effective_cache_size": f"'{2 * _buffer_megabytes()}MB'",
    "random_page_cost": "1.1",
    "jit": "off",
    "log_min_messages": "warning",
    # Read replicas stream from here without replication slots (a stopped replica's slot would hold
    # back the primary's vacuum for as long as it is away): this much WAL is kept for a replica
    # briefly stopped; one away for longer is made again from a fresh base backup.
    "wal_keep_size": "'1GB'",
}
# A standby's own settings on top of the copied ones: its port, a smaller cache (it shares the
# machine with the primary), and feedback so that a long export's snapshot is not cancelled by
# the primary's vacuum.
STANDBY_SETTINGS = {
    "shared_buffers": f"'{max(128, _buffer_megabytes() // 2)}MB'",
    "effective_cache_size": f"'{2 * _buffer_megabytes()}MB'",
    "hot_standby": "on",
    "hot_standby_feedback": "on",
}
MISSING_BINARIES = (
    "PostgreSQL server binaries not found: install them with "
    "'apt-get install postgresql postgresql-contrib' (or set DATABASE_URL)."
)


def connection_settings() -> dict:
    """Django DATABASES entry for the embedded server."""
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DB_NAME,
        "USER": DB_USER,
        "HOST": str(SOCKET_DIR),
        "PORT": PORT,
    }


def find_bindir() -> Path | None:
    """The newest PostgreSQL server bin directory on this machine."""
    if os.environ.get("PG_BINDIR"):
        return Path(os.environ["PG_BINDIR"])
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
        key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0,
    )
    if candidates:
        return Path(candidates[-1]).parent
    on_path = shutil.which("pg_ctl")
    return Path(on_path).parent if on_path else None


def _server_user() -> str | None:
    """PostgreSQL refuses to run as root: as root, run it as the postgres user."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        subprocess.run(["useradd", "--system", "--home-dir", "/var/lib/postgresql", "postgres"], check=True)
    return "postgres"


def _as_server(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    user = _server_user()
    if user:
        kwargs.update(user=user, group=user, extra_groups=[])
    return subprocess.run(cmd, cwd="/", **kwargs)


def _chown(path: Path) -> None:
    user = _server_user()
    if user:
        entry = pwd.getpwnam(user)
        os.chown(path, entry.pw_uid, entry.pw_gid)


def is_ready(bindir: Path, port: str = PORT) -> bool:
    """True when the server on `port` accepts connections (a killed postmaster can look alive)."""
    result = subprocess.run(
        [str(bindir / "pg_isready"), "-q", "-h", str(SOCKET_DIR), "-p", port, "-U", "postgres"],
        cwd="/",
    )
    return result.returncode == 0


def _pg_ctl_start(bindir: Path, data_dir: Path, log_file: Path) -> None:
    # Without -l, pg_ctl keeps the caller's output open and anything capturing it hangs.
    log_file.touch()
    _chown(log_file)
    command = [str(bindir / "pg_ctl"), "-D", str(data_dir), "-l", str(log_file), "-w", "-t", "60", "start"]
    _as_server(command, check=True, stdout=subprocess.DEVNULL)


def _pg_ctl_stop(bindir: Path, data_dir: Path, mode: str = "fast") -> None:
    command = [str(bindir / "pg_ctl"), "-D", str(data_dir), "-m", mode, "-w", "stop"]
    _as_server(command, check=True, stdout=subprocess.DEVNULL)


def _initialise(bindir: Path) -> None:
    DATA_DIR.mkdir(mode=0o700)
    _chown(DATA_DIR)
    _as_server(
        [
            str(bindir / "initdb"),
            "-D",
            str(DATA_DIR),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    with open(DATA_DIR / "postgresql.conf", "a") as conf:
        conf.write("\ninclude_if_exists = 'archive.conf'\n")


def _write_settings() -> None:
    conf = DATA_DIR / "archive.conf"
    conf.write_text("".join(f"{k} = {v}\n" for k, v in SERVER_SETTINGS.items()))
    _chown(conf)


def _remove_stale_pid_file(data_dir: Path = DATA_DIR) -> None:
    """A pid file whose postmaster is gone (a killed server) would stop the next start."""
    pid_file = data_dir / "postmaster.pid"
    if not pid_file.exists():
        return
    pid = int(pid_file.read_text().splitlines()[0])
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        state = "gone"
    if state in ("gone", "Z", "X"):
        pid_file.unlink()


def _psql(bindir: Path, sql: str, database: str = "postgres", port: str = PORT) -> str:
    result = subprocess.run(
        [
            str(bindir / "psql"),
            "-h",
            str(SOCKET_DIR),
            "-p",
            port,
            "-U",
            "postgres",
            "-d",
            database,
            "-v",
            "ON_ERROR_STOP=1",
            "-tAc",
            sql,
        ],
        cwd="/",
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def _ensure_database(bindir: Path) -> None:
    if not _psql(bindir, f"SELECT 1 FROM pg_roles WHERE rolname = '{DB_USER}'"):
        _psql(bindir, f"CREATE ROLE {DB_USER} LOGIN CREATEDB")
    if not _psql(bindir, f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'"):
        # Owned by the application role: PostgreSQL 15 lets only the owner create in public.
        _psql(bindir, f"CREATE DATABASE {DB_NAME} OWNER {DB_USER}")


def start() -> int:
    """Start the server (idempotent, serialised with a lock) and make sure the database exists."""
    if os.environ.get("DATABASE_URL"):
        print("DATABASE_URL is set: using that server, starting none.")
        return 0
    bindir = find_bindir()
    if bindir is None:
        print(MISSING_BINARIES, file=sys.stderr)
        return 1
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    _chown(STATE_DIR)
    with open(STATE_DIR / "start.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not is_ready(bindir):
            SOCKET_DIR.mkdir(exist_ok=True)
            _chown(SOCKET_DIR)
            if not (DATA_DIR / "PG_VERSION").exists():
                if DATA_DIR.exists():
                    shutil.rmtree(DATA_DIR)
                _initialise(bindir)
            _write_settings()
            _remove_stale_pid_file()
            _pg_ctl_start(bindir, DATA_DIR, LOG_FILE)
        _ensure_database(bindir)
    print(f"PostgreSQL is running (socket in {SOCKET_DIR}, data in {DATA_DIR}).")
    return 0


def stop() -> int:
    """Stop the read replicas, then the server, if they run."""
    bindir = find_bindir()
    if bindir is None:
        print("PostgreSQL is not running.")
        return 0
    for standby in existing_replicas():
        standby.stop(bindir)
    if not (DATA_DIR / "PG_VERSION").exists() or not is_ready(bindir):
        print("PostgreSQL is not running.")
        return 0
    _pg_ctl_stop(bindir, DATA_DIR)
    print("PostgreSQL stopped.")
    return 0


def status() -> int:
    """Each server, whether it runs, and each replica's replication lag; exit 0 when the primary runs."""
    bindir = find_bindir()
    running = bindir is not None and is_ready(bindir)
    print(f"primary    port {PORT}  {'running' if running else 'not running'}")
    for standby in existing_replicas():
        if bindir is None or not standby.is_ready(bindir):
            print(f"{standby.name:<10} port {standby.port}  not running")
            continue
        lag = standby.lag_seconds(bindir)
        shown = "unknown (not streaming)" if lag is None else f"{lag:.1f} s"
        print(f"{standby.name:<10} port {standby.port}  running, replication lag {shown}")
    return 0 if running else 3


# Lag in seconds as the standby sees it: none while it has replayed all it received and still
# streams; otherwise the age of the last transaction it replayed (NULL: never replayed one).
LAG_EXPRESSION = """CASE
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver)
    THEN 0
    ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END"""
LAG_SQL = f"SELECT {LAG_EXPRESSION}"


@dataclass(frozen=True)
class Standby:
    """A hot standby of the embedded server: its own data folder and port, the same socket folder."""

    name: str
    port: str

    @property
    def data_dir(self) -> Path:
        return STATE_DIR / self.name

    @property
    def log_file(self) -> Path:
        return STATE_DIR / f"{self.name}.log"

    def url(self, database: str = DB_NAME) -> str:
        return f"postgres://{DB_USER}@{quote(str(SOCKET_DIR), safe='')}:{self.port}/{database}"

    def is_ready(self, bindir: Path) -> bool:
        return is_ready(bindir, self.port)

    def lag_seconds(self, bindir: Path) -> float | None:
        try:
            value = _psql(bindir, LAG_SQL, port=self.port)
        except subprocess.CalledProcessError:  # still starting up
            return None
        return float(value) if value else None

    def is_running(self, bindir: Path) -> bool:
        """Its postmaster runs (ready or not: one still starting up does not answer pg_isready)."""
        status = _as_server([str(bindir / "pg_ctl"), "-D", str(self.data_dir), "status"], capture_output=True)
        return status.returncode == 0

    def create(self, bindir: Path) -> None:
        """A base backup of the running primary, written with the settings to follow it (-R)."""
        if self.data_dir.exists():
            shutil.rmtree(self.data_dir)
        command = [str(bindir / "pg_basebackup"), "-h", str(SOCKET_DIR), "-p", PORT, "-U", "postgres"]
        command += ["-D", str(self.data_dir), "-R", "-X", "stream", "-c", "fast"]
        _as_server(command, check=True, stdout=subprocess.DEVNULL)
        settings = {**SERVER_SETTINGS, **STANDBY_SETTINGS, "port": self.port}
        conf = self.data_dir / "archive.conf"
        conf.write_text("".join(f"{k} = {v}\n" for k, v in settings.items()))
        _chown(conf)

    def start(self, bindir: Path) -> None:
        """Start it, made first from the primary if it does not exist yet (the primary must run)."""
        if not (self.data_dir / "standby.signal").exists():
            self.create(bindir)
        elif self.is_running(bindir):
            return
        _remove_stale_pid_file(self.data_dir)
        _pg_ctl_start(bindir, self.data_dir, self.log_file)

    def stop(self, bindir: Path, mode: str = "fast") -> None:
        if (self.data_dir / "PG_VERSION").exists() and self.is_running(bindir):
            _pg_ctl_stop(bindir, self.data_dir, mode)

    def remove(self, bindir: Path) -> None:
        """Stop it and delete its data."""
        self.stop(bindir, mode="immediate")
        shutil.rmtree(self.data_dir, ignore_errors=True)


def replica(number: int) -> Standby:
    """make cluster's replica N (1, 2 …): port 5432 + N."""
    return Standby(name=f"replica_{number}", port=str(int(PORT) + number))


def existing_replicas() -> list[Standby]:
    """Every standby made here (make cluster's replicas, the tests' own), read from its folder."""
    found = []
    for signal in sorted(STATE_DIR.glob("*/standby.signal")):
        settings = dict(
            line.split(" = ", 1)
            for line in (signal.parent / "archive.conf").read_text().splitlines()
            if " = " in line
        )
        found.append(Standby(name=signal.parent.name, port=settings.get("port", PORT)))
    return found


def wait_until_streaming(bindir: Path, standby: Standby, timeout: float = 60.0) -> None:
    """Until the standby has caught up with the primary and streams (RuntimeError after `timeout`)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lag = standby.lag_seconds(bindir) if standby.is_ready(bindir) else None
        if lag is not None and lag < 1:  # caught up (the primary may be writing meanwhile)
            return
        time.sleep(0.2)
    raise RuntimeError(f"{standby.name} did not catch up within {timeout:.0f} s (see {standby.log_file})")


def start_replicas(count: int) -> int:
    """Start the primary and replicas 1…count (made on first use); replicas above count are stopped."""
    if start() != 0:
        return 1
    bindir = find_bindir()
    wanted = {replica(number).name for number in range(1, count + 1)}
    for standby in existing_replicas():
        if standby.name.startswith("replica_") and standby.name not in wanted:
            standby.stop(bindir)
    for number in range(1, count + 1):
        standby = replica(number)
        standby.start(bindir)
        try:
            wait_until_streaming(bindir, standby)
        except RuntimeError:  # away longer than the WAL the primary keeps: made again
            print(f"{standby.name} cannot catch up; making it again from a base backup.")
            standby.remove(bindir)
            standby.start(bindir)
            wait_until_streaming(bindir, standby)
        print(f"{standby.name} is streaming from the primary (port {standby.port}).")
    return 0


def replica_urls(count: int) -> int:
    """The DATABASE_REPLICA_URLS value for replicas 1…count."""
    print(",".join(replica(number).url() for number in range(1, count + 1)))
    return 0


if __name__ == "__main__":
    commands = {"start": start, "stop": stop, "status": status}
    counted = {"start-replicas": start_replicas, "replica-urls": replica_urls}
    if len(sys.argv) == 2 and sys.argv[1] in commands:
        sys.exit(commands[sys.argv[1]]())
    if len(sys.argv) == 3 and sys.argv[1] in counted and sys.argv[2].isdigit():
        sys.exit(counted[sys.argv[1]](int(sys.argv[2])))
    print("usage: embedded_pg.py start|stop|status|start-replicas N|replica-urls N", file=sys.stderr)
    sys.exit(2)
