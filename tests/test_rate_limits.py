"""Rate limits: per client, per group of URLs, 429 with Retry-After, shared by every gunicorn worker."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from archive import rate_limits
from archive.rate_limits import DEFAULT_LIMITS, parse_limits

ROOT = Path(__file__).resolve().parents[1]


def test_limits_are_read_from_the_environment_variable():
    assert parse_limits(None) == DEFAULT_LIMITS == {"search": 120, "api": 120, "export": 10}
    assert parse_limits("0") == {}
    assert parse_limits("search=5,export=1/minute") == {"search": 5, "api": 120, "export": 1}
    with pytest.raises(ValueError, match="DJANGO_RATE_LIMITS"):
        parse_limits("search=many")


@pytest.mark.django_db
def test_a_client_over_its_limit_gets_429_with_retry_after(client, settings, monkeypatch):
    settings.RATE_LIMITS = {"search": 3, "export": 1}
    monkeypatch.setattr(rate_limits.time, "time", lambda: 1_800_000_030.0)  # mid-minute, for every request
    answers = [client.get("/search/", {"q": "Kati"}, REMOTE_ADDR="10.1.1.1").status_code for _ in range(5)]
    assert answers == [200, 200, 200, 429, 429]
    refused = client.get("/search/", {"q": "Kati"}, REMOTE_ADDR="10.1.1.1")
    assert refused["Retry-After"] == "31" and "Too many requests" in refused.content.decode()
    assert client.get("/search/", {"q": "Kati"}, REMOTE_ADDR="10.1.1.2").status_code == 200  # another client
    assert client.get("/", REMOTE_ADDR="10.1.1.1").status_code == 200  # pages outside the groups
    assert client.get("/export/", {"format": "csv"}, REMOTE_ADDR="10.1.1.1").status_code == 200
    api = client.get("/export/", {"format": "csv"}, REMOTE_ADDR="10.1.1.1")
    assert api.status_code == 429 and "Too many" in api.json()["error"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keeps the migrated rows for later tests
def test_two_gunicorn_workers_share_one_counter():
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_DB_NAME": connection.settings_dict["NAME"],
        "DJANGO_DEBUG": "0",
        "DJANGO_RATE_LIMITS": "api=6",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_WORKERS": "2",
        "WEB_THREADS": "1",
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "--config", "config/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if _status(f"{base}/healthz") == 200:
                    break
            except OSError:
                time.sleep(0.2)
        while time.time() % 60 > 50:  # all ten requests inside one counting minute
            time.sleep(1)
        # A new connection each time: gunicorn hands them to either worker.
        answers = [_status(f"{base}/api/search/?q=kati") for _ in range(10)]
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert answers.count(200) == 6 and answers.count(429) == 4, answers
