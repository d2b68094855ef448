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
from tests.factories import make_article

ROOT = Path(__file__).resolve().parents[1]


def test_limits_are_read_from_the_environment_variable():
    assert parse_limits(None) == DEFAULT_LIMITS
    assert DEFAULT_LIMITS == {
        "search": 120,
        "api": 120,
        "export": 10,
        "analysis": 30,
        "article": 120,
        "browse": 120,
        "login": 10,
        "signup": 5,
        "desk": 120,
    }
    assert parse_limits("0") == {}
    limits = parse_limits("search=5,export=1/minute,analysis=0")
    assert limits == {
        "search": 5,
        "api": 120,
        "export": 1,
        "article": 120,
        "browse": 120,
        "login": 10,
        "signup": 5,
        "desk": 120,
    }
    assert parse_limits("analysis=4,article=50,login=3")["login"] == 3
    with pytest.raises(ValueError, match="DJANGO_RATE_LIMITS"):
        parse_limits("search=many")
    with pytest.raises(ValueError, match="groups: search, api, export, analysis, article, browse, login"):
        parse_limits("kwic=5")


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


@pytest.mark.parametrize(
    ("method", "path", "group"),
    [
        ("GET", "/kwic/", "analysis"),
        ("GET", "/compare/", "analysis"),
        ("HEAD", "/articles/12/a-slug/", "article"),
        ("GET", "/coverage/", "analysis"),
        ("GET", "/browse/1987/", "browse"),
        ("GET", "/places/mali/", "browse"),
        ("GET", "/sitemap-articles-1.xml", "browse"),
        ("POST", "/admin/login/", "login"),
        ("GET", "/admin/login/", None),  # showing the form is free; trying a password counts
        ("GET", "/", None),
    ],
)
def test_every_expensive_public_path_belongs_to_a_group(method, path, group):
    assert rate_limits.group_of(path, method) == group


@pytest.mark.django_db
def test_kwic_compare_and_article_pages_are_limited(client, settings, monkeypatch):
    article = make_article("Kati market")
    settings.RATE_LIMITS = {"analysis": 2, "article": 1}
    monkeypatch.setattr(rate_limits.time, "time", lambda: 1_800_000_030.0)
    answers = [client.get(path, {"q": "Kati"}).status_code for path in ["/kwic/", "/compare/", "/kwic/"]]
    assert answers == [200, 400, 429]  # /compare/ counts in the same group (one query is its 400)
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get(article.get_absolute_url(), {"q": "Kati"}).status_code == 429


@pytest.mark.django_db
def test_login_attempts_are_limited_per_address(client, settings, monkeypatch):
    settings.RATE_LIMITS = {"login": 3}
    monkeypatch.setattr(rate_limits.time, "time", lambda: 1_800_000_030.0)
    tries = [
        client.post(
            "/admin/login/", {"username": f"u{n}", "password": "x"}, REMOTE_ADDR="10.2.2.2"
        ).status_code
        for n in range(4)
    ]
    assert tries == [200, 200, 200, 429]
    assert client.get("/admin/login/", REMOTE_ADDR="10.2.2.2").status_code == 200
    other = client.post("/admin/login/", {"username": "u9", "password": "x"}, REMOTE_ADDR="10.2.2.3")
    assert other.status_code == 200


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
