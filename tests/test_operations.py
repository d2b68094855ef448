"""Operations: deploy checks, security headers, login throttling, unreadable parameters, query timeouts."""

from __future__ import annotations

import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection

from config import embedded_pg
from tests.factories import make_article
from tests.test_query_plans import GENERATE_ROWS

ROOT = settings.BASE_DIR


def test_check_deploy_is_clean_with_https_and_a_real_key():
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "1",
        "DJANGO_SECRET_KEY": "k3y-" + "x7Q9vLm2Rt" * 6,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests; never in a deployment
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert not settings.SILENCED_SYSTEM_CHECKS


@pytest.mark.django_db
def test_every_response_carries_the_security_headers(client):
    for path in ["/", "/search/?q=Kati", "/api/search/?q=Kati", "/no-such-page/"]:
        response = client.get(path)
        assert "default-src 'self'" in response["Content-Security-Policy"], path
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_a_disallowed_host_gets_a_400_with_the_security_headers(client):
    response = client.get("/search/", {"q": "Kati"}, HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_a_login_with_an_unsafe_next_lands_on_the_admin_index(client):
    User.objects.create_user("editor", password="right-password-1", is_staff=True)
    response = client.post(
        "/admin/login/?next=http://evil.example/", {"username": "editor", "password": "right-password-1"}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_gunicorn_control_socket_is_in_the_checkouts_own_runtime_folder():
    conf = runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))
    socket = Path(conf["control_socket"])
    assert socket.parent == embedded_pg.SOCKET_DIR and embedded_pg.KEY in str(socket)
    assert len(str(socket)) < 100  # a unix socket path may not exceed 107 bytes


def log_in(client, username: str, password: str, address: str):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


@pytest.mark.django_db
def test_five_failed_logins_lock_out_that_username_from_that_address_only(client):
    User.objects.create_user("editor", password="right-password-1", is_staff=True)
    User.objects.create_user("other", password="right-password-2", is_staff=True)
    for _ in range(4):
        assert log_in(client, "editor", "wrong", "10.0.0.1").status_code == 200  # the form again
    assert log_in(client, "editor", "wrong", "10.0.0.1").status_code == 429  # the fifth failure locks
    assert log_in(client, "editor", "right-password-1", "10.0.0.1").status_code == 429
    assert log_in(client, "editor", "right-password-1", "10.0.0.2").status_code == 302
    client.logout()
    assert log_in(client, "other", "right-password-2", "10.0.0.1").status_code == 302


@pytest.mark.django_db
def test_failed_logins_with_many_usernames_lock_out_that_address(client):
    User.objects.create_user("editor", password="right-password-1", is_staff=True)
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    assert limit > settings.AXES_FAILURE_LIMIT  # an office behind one address is not locked by one typo
    answers = [log_in(client, f"guess{n}", "wrong", "10.0.0.9").status_code for n in range(40)]
    assert answers == [200] * (limit - 1) + [429] * (40 - limit + 1)
    assert log_in(client, "editor", "right-password-1", "10.0.0.9").status_code == 429
    assert log_in(client, "editor", "right-password-1", "10.0.0.10").status_code == 302


@pytest.mark.django_db
def test_axes_reset_unlocks(client):
    from django.core.management import call_command

    User.objects.create_user("editor", password="right-password-1", is_staff=True)
    for _ in range(5):
        log_in(client, "editor", "wrong", "10.0.0.1")
    call_command("axes_reset")
    assert log_in(client, "editor", "right-password-1", "10.0.0.1").status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path,params,kind",
    [
        ("/search/", {"place": "ma\x00li"}, "html"),
        ("/api/search/", {"source": "a\x00"}, "json"),
        ("/export/", {"format": "csv", "language": "\x00"}, "json"),
        ("/places/", {"page": "1\x00"}, "html"),
    ],
)
def test_nul_bytes_in_parameters_are_a_clear_400(client, path, params, kind):
    response = client.get(path, params)
    assert response.status_code == 400
    if kind == "json":
        assert "NUL" in response.json()["error"]
    else:
        assert "NUL character" in response.content.decode()


@pytest.mark.django_db
def test_nul_in_the_words_is_a_400_too(client):
    make_article("Kati base")
    response = client.get("/api/search/", {"q": "Ka\x00ti"})
    assert response.status_code == 400 and "NUL" in response.json()["error"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keeps the migrated rows for later tests
def test_a_search_over_the_statement_timeout_asks_to_narrow_it(client, settings):
    with connection.cursor() as cursor:
        cursor.execute(GENERATE_ROWS)
    settings.PUBLIC_STATEMENT_TIMEOUT_MS = 1
    page = client.get("/search/", {"q": "word1 OR word2 OR word3 OR word4 OR word5"})
    assert page.status_code == 503 and "too broad" in page.content.decode()
    api = client.get("/api/search/", {"q": "word1 OR word2 OR word3"})
    assert api.status_code == 503 and "too broad" in api.json()["error"]
    settings.PUBLIC_STATEMENT_TIMEOUT_MS = 5000
    assert client.get("/search/", {"q": "word1"}).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0", "the timeout must not outlive the request"


@pytest.mark.django_db
def test_a_database_outage_is_a_friendly_503_not_a_traceback(rf):
    from django.db import OperationalError

    from archive.middleware import DatabaseUnavailableMiddleware

    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    page = middleware.process_exception(rf.get("/search/?q=Kati"), OperationalError("connection refused"))
    assert page.status_code == 503 and "back in a moment" in page.content.decode()
    assert page["Retry-After"] == "10"
    api = middleware.process_exception(rf.get("/api/search/"), OperationalError("connection refused"))
    assert api.status_code == 503 and "not answering" in json.loads(api.content)["error"]
