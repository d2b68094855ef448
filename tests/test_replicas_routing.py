"""The router and the choice of server, without a replica: what goes to the primary whatever happens."""

import time

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.test import RequestFactory

from archive.models import Article
from archive.replicas import PRIMARY, health, read_alias, reading_from
from archive.replicas.middleware import (
    PIN_COOKIE,
    ReplicaReadsMiddleware,
    choose_alias,
    is_public_read,
    wrote_recently,
)
from archive.replicas.routing import ReplicaRouter

router = ReplicaRouter()
requests = RequestFactory()


def test_reads_follow_the_request_and_writes_always_use_the_primary():
    assert read_alias() == PRIMARY
    with reading_from("replica_1"):
        assert router.db_for_read(Article) == "replica_1"
        assert router.db_for_write(Article) == PRIMARY
        for model in (Session, User):  # sessions and accounts: never a replica
            assert router.db_for_read(model) == PRIMARY
    assert read_alias() == PRIMARY
    assert router.allow_migrate(PRIMARY, "archive") and not router.allow_migrate("replica_1", "archive")


@pytest.mark.parametrize(
    ("method", "path", "public"),
    [
        ("GET", "/", True),
        ("GET", "/search/", True),
        ("HEAD", "/api/search/", True),
        ("GET", "/export/", True),
        ("GET", "/kwic/", True),
        ("POST", "/search/", False),
        ("GET", "/admin/", False),
        ("GET", "/me/collections/", False),
        ("GET", "/accounts/login/", False),
        ("GET", "/snapshots/00000000-0000-0000-0000-000000000000/", False),
        ("GET", "/healthz", False),
    ],
)
def test_only_public_reads_may_use_a_replica(method, path, public):
    assert is_public_read(requests.generic(method, path)) is public


def test_a_client_that_wrote_is_pinned_for_DJANGO_REPLICA_PIN_S(settings):
    settings.REPLICA_PIN_S = 10
    request = requests.get("/search/")
    assert not wrote_recently(request)
    request.COOKIES[PIN_COOKIE] = str(time.time() - 3)
    assert wrote_recently(request)
    request.COOKIES[PIN_COOKIE] = str(time.time() - 11)
    assert not wrote_recently(request)
    request.COOKIES[PIN_COOKIE] = str(time.time() + 2)  # stamped by a web node whose clock is ahead
    assert wrote_recently(request)
    request.COOKIES[PIN_COOKIE] = "not a time"
    assert not wrote_recently(request)


def test_without_replicas_everything_reads_the_primary(settings):
    settings.REPLICA_ALIASES = []
    assert choose_alias(requests.get("/search/")) == PRIMARY


def test_a_replica_is_as_far_behind_as_the_oldest_primary_position_it_has_not_replayed():
    health.forget()
    try:
        health._primary_positions.extend([(100.0, 1_000), (101.0, 2_000), (102.0, 3_000)])
        assert health.lag_behind_primary(3_000, now=102.5) == 0  # replayed everything seen
        assert health.lag_behind_primary(2_500, now=102.5) == pytest.approx(0.5)
        assert health.lag_behind_primary(1_500, now=102.5) == pytest.approx(1.5)  # stalled since 101
    finally:
        health.forget()


@pytest.mark.parametrize("sqlstate", ["40001", "40P01", "25006"])
def test_a_read_cancelled_or_refused_by_a_standby_is_answered_again(sqlstate, caplog):
    request = requests.get("/search/")
    request.database_outage = sqlstate
    assert ReplicaReadsMiddleware._lost_replica(request, "replica_1")
    assert ("wrote on the standby" in caplog.text) is (sqlstate == "25006")


def test_a_read_without_a_database_error_is_not_answered_again():
    assert not ReplicaReadsMiddleware._lost_replica(requests.get("/search/"), "replica_1")
