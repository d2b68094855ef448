"""The project's own PostgreSQL server: found, initialised, started and stopped here.

Standard library only: the Makefile runs it before Django is configured, and the
settings import it to learn where the server listens when DATABASE_URL is unset.
Usage: python config/embedded_pg.py start|stop|status
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
from pathlib import Path

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


def is_ready(bindir: Path) -> bool:
    """True when the server accepts connections (a killed postmaster can look alive)."""
    result = subprocess.run(
        [str(bindir / "pg_isready"), "-q", "-h", str(SOCKET_DIR), "-p", PORT, "-U", "postgres"],
        cwd="/",
    )
    return result.returncode == 0


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


def _remove_stale_pid_file() -> None:
    pid_file = DATA_DIR / "postmaster.pid"
    if not pid_file.exists():
        return
    pid = int(pid_file.read_text().splitlines()[0])
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        state = "gone"
    if state in ("gone", "Z", "X"):
        pid_file.unlink()


def _psql(bindir: Path, sql: str, database: str = "postgres") -> str:
    result = subprocess.run(
        [
            str(bindir / "psql"),
            "-h",
            str(SOCKET_DIR),
            "-p",
            PORT,
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
            LOG_FILE.touch()
            _chown(LOG_FILE)
            # Without -l, pg_ctl keeps the caller's output open and anything capturing it hangs.
            _as_server(
                [str(bindir / "pg_ctl"), "-D", str(DATA_DIR), "-l", str(LOG_FILE), "-w", "-t", "60", "start"],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        _ensure_database(bindir)
    print(f"PostgreSQL is running (socket in {SOCKET_DIR}, data in {DATA_DIR}).")
    return 0


def stop() -> int:
    """Stop the server if it runs."""
    bindir = find_bindir()
    if bindir is None or not (DATA_DIR / "PG_VERSION").exists() or not is_ready(bindir):
        print("PostgreSQL is not running.")
        return 0
    _as_server(
        [str(bindir / "pg_ctl"), "-D", str(DATA_DIR), "-m", "fast", "-w", "stop"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print("PostgreSQL stopped.")
    return 0


def status() -> int:
    """Exit 0 when the server accepts connections."""
    bindir = find_bindir()
    running = bindir is not None and is_ready(bindir)
    print("running" if running else "not running")
    return 0 if running else 3


if __name__ == "__main__":
    commands = {"start": start, "stop": stop, "status": status}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        print("usage: embedded_pg.py start|stop|status", file=sys.stderr)
        sys.exit(2)
    sys.exit(commands[sys.argv[1]]())
