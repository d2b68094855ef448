"""Request guards: every method under the same limits, 503s saying why and when to retry, JSON API errors."""

from __future__ import annotations

import contextlib

import psycopg
import pytest
from django.db import connection
from django.test import Client

from tests import middleware_urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def timed(settings):
    settings.PUBLIC_STATEMENT_TIMEOUT_MS = 100
    return settings


@pytest.fixture
def unraised_client():
    """A client that gets the site's 500 answer instead of the exception."""
    return Client(raise_request_exception=False)


@pytest.mark.urls("tests.middleware_urls")
@pytest.mark.parametrize("method", ["get", "head", "options", "post", "put", "delete"])
def test_every_method_runs_under_the_statement_and_lock_timeouts(client, timed, method):
    middleware_urls.SEEN_LIMITS.clear()
    getattr(client, method)("/search/limits/")
    assert middleware_urls.SEEN_LIMITS == [(method.upper(), "100ms", "50ms")]


@pytest.mark.urls("tests.middleware_urls")
@pytest.mark.parametrize("method", ["get", "head", "options"])
def test_a_slow_statement_is_stopped_whatever_the_method(client, timed, method):
    response = getattr(client, method)("/api/sleep/")
    assert response.status_code == 503 and response["Retry-After"]


# One request a test: a failed statement leaves the test's transaction unusable for the next one.
@pytest.mark.urls("tests.middleware_urls")
def test_the_api_timeout_503_says_too_broad_and_when_to_retry(client, timed):
    response = client.get("/api/sleep/")
    assert response.status_code == 503 and "too broad" in response.json()["error"]
    assert int(response["Retry-After"]) > 0


@pytest.mark.urls("tests.middleware_urls")
def test_the_page_timeout_503_says_too_broad_and_when_to_retry(client, timed):
    response = client.get("/search/sleep/")
    assert response.status_code == 503 and "too broad" in response.content.decode()
    assert int(response["Retry-After"]) > 0


@pytest.mark.urls("tests.middleware_urls")
def test_the_limits_do_not_outlive_the_request(client, timed):
    client.head("/search/limits/")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('statement_timeout'), current_setting('lock_timeout')")
        assert cursor.fetchone() == ("0", "0")


@contextlib.contextmanager
def articles_locked_as_by_a_restore():
    """Another session holding what `pg_restore --clean --single-transaction` holds: the article table."""
    db = connection.settings_dict
    options = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "password": db["PASSWORD"]}
    with psycopg.connect(dbname=db["NAME"], **{k: v for k, v in options.items() if v}) as other:
        other.execute("LOCK TABLE archive_article IN ACCESS EXCLUSIVE MODE")
        yield
        other.rollback()


def test_an_api_search_waiting_on_a_restore_says_the_archive_is_busy(client, settings):
    settings.PUBLIC_STATEMENT_TIMEOUT_MS = 2000
    with articles_locked_as_by_a_restore():
        response = client.get("/api/search/", {"q": "Kati"})
    assert response.status_code == 503 and "being restored" in response.json()["error"]
    assert "too broad" not in response.json()["error"] and int(response["Retry-After"]) > 0


def test_a_search_page_waiting_on_a_restore_says_the_archive_is_busy(client, settings):
    settings.PUBLIC_STATEMENT_TIMEOUT_MS = 2000
    with articles_locked_as_by_a_restore():
        response = client.get("/search/", {"q": "Kati"})
    assert response.status_code == 503 and "being restored" in response.content.decode()
    assert int(response["Retry-After"]) > 0


@pytest.mark.urls("tests.middleware_urls")
def test_an_unhandled_error_under_the_api_is_a_json_500(unraised_client):
    response = unraised_client.get("/api/broken/")
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
    assert response.json()["error"]


@pytest.mark.urls("tests.middleware_urls")
def test_an_unhandled_error_on_a_page_is_the_html_500_page(unraised_client):
    response = unraised_client.get("/search/broken/")
    assert response.status_code == 500 and response["Content-Type"].startswith("text/html")


def test_an_unknown_api_address_is_a_json_404(client):
    response = client.get("/api/no-such-endpoint/")
    assert response.status_code == 404 and response.json()["error"]


def test_a_real_database_error_under_the_api_is_a_json_500(unraised_client):
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE archive_article RENAME TO archive_article_gone")  # rolled back after
    response = unraised_client.get("/api/search/", {"q": "Kati"})
    assert response.status_code == 500 and "error" in response.json()


def test_too_many_parameters_under_the_api_is_a_json_400(client):
    response = client.get("/api/search/?" + "&".join(f"a{n}=1" for n in range(1_100)))
    assert response.status_code == 400 and "error" in response.json()
