"""The router and the choice of server, without a replica: what goes to the primary whatever happens."""

import time

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.test import RequestFactory

from archive.models import Article
from archive.replicas import PRIMARY, read_alias, reading_from
from archive.replicas.middleware import PIN_COOKIE, choose_alias, is_public_read, wrote_recently
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
    request.COOKIES[PIN_COOKIE] = "not a time"
    assert not wrote_recently(request)


def test_without_replicas_everything_reads_the_primary(settings):
    settings.REPLICA_ALIASES = []
    assert choose_alias(requests.get("/search/")) == PRIMARY
