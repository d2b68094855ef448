"""Read replicas for real: a hot standby of the test server answers the public reads; writes, the
admin and read-your-writes use the primary; a stopped or lagging replica is skipped, and used again."""

import json
import re
import time

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from archive.desk.collections import collection_add, collection_create
from archive.exports import files
from archive.models import Article
from archive.replicas import health
from archive.replicas.middleware import PIN_COOKIE
from config import embedded_pg
from tests.factories import make_article, make_place
from tests.replica_helpers import ALIAS, REPLICA_DB, replica_ready, set_replay_paused
from tests.test_editorial import form_data

pytestmark = REPLICA_DB

PUBLIC_PAGES = [
    "/",
    "/search/?q=kati",
    "/search/?q=kati&collapse=story",
    "/search/feed/?q=kati",
    "/api/search/?q=kati",
    "/api/timeline/?q=kati",
    "/export/?q=kati&format=csv",
    "/export/?q=kati&format=ris",
    "/browse/",
    "/browse/2022/",
    "/places/",
    "/topics/",
    "/sources/",
    "/coverage/",
    "/compare/?q=kati&q=bamako",
    "/kwic/?q=kati",
    "/kwic/?q=kati&format=csv&sort=left",
    "/map/",
    "/sitemap.xml",
    "/sitemap-articles.xml",
    "/browse/2022/07/",
    "/browse/2022/07/22/",
    "/articles/{article}/",
    "/api/articles/{article}/",
    "/places/{place}/",
    "/collections/{collection}/",
    "/search/?collection={collection}",
]


def read_everything(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def article_queries(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "archive_article" in q["sql"]]


@pytest.fixture
def kati(standby):
    place = make_place("Kati")
    made = [
        make_article(
            "Gunfire at Kati", body="Shots near the Kati base, not far from Bamako.", places=[place]
        ),
        make_article(
            "Kati attack claimed", body="A group claims the Kati attack.", published_on="2022-07-23"
        ),
    ]
    replica_ready(standby)
    return made


@pytest.fixture
def named(kati, standby, django_user_model):
    """The public objects the pages of PUBLIC_PAGES name."""
    owner = django_user_model.objects.create_user("ada@example.org", "ada@example.org", "a-pass-8812-x")
    shelf = collection_create(owner=owner, name="Kati", visibility="public")
    for article in kati:
        collection_add(collection=shelf, article=article)
    replica_ready(standby)
    return {"article": kati[0].pk, "place": kati[0].places.get().slug, "collection": shelf.slug}


def served_by_replica(response) -> bool:
    """The replica answered, at the first try (no read failed over to the primary)."""
    request = response.wsgi_request
    return request.read_alias == ALIAS and not getattr(request, "replica_retried", False)


def get(client, url):
    """The response, its whole body, and the queries it ran on the replica and on the primary."""
    with (
        CaptureQueriesContext(connections[ALIAS]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        response = client.get(url, follow=True)
        body = read_everything(response)
    return response, body, on_replica, on_primary


def test_a_search_page_runs_its_queries_on_the_replica(client, kati):
    response, body, on_replica, on_primary = get(client, "/search/?q=kati")
    assert response.status_code == 200 and served_by_replica(response)
    assert b"Gunfire at" in body
    assert article_queries(on_replica), "the search read nothing from the replica"
    assert not article_queries(on_primary), "the search read articles from the primary"
    with connections[ALIAS].cursor() as cursor:  # the very connection that ran them
        cursor.execute("SELECT pg_is_in_recovery(), current_setting('port')")
        assert cursor.fetchone() == (True, connections[ALIAS].settings_dict["PORT"])


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_public_read_answers_from_the_replica(client, named, url):
    """Nothing on these pages writes or needs a temporary table where a standby refuses it (a
    failed read would have been answered again from the primary: `served_by_replica` says not)."""
    url = url.format(**named)
    response, _, on_replica, on_primary = get(client, url)
    assert response.status_code == 200, url
    assert served_by_replica(response), url
    assert article_queries(on_replica) or url == "/map/", f"{url} read no article from the replica"
    assert not article_queries(on_primary), f"{url} read articles from the primary"


def test_replica_and_primary_give_the_same_counts_and_facets(client, kati):
    """The derived tables (browse counts, day counts, vocabulary) replicate: never refreshed on a standby."""
    url = "/api/search/?q=kati&facets=place,topic,source"
    on_replica, replica_body, _, _ = get(client, url)
    pinned = Client()
    pinned.cookies[PIN_COOKIE] = str(time.time())
    on_primary, primary_body, _, _ = get(pinned, url)
    assert served_by_replica(on_replica) and on_primary.wsgi_request.read_alias == "default"
    from_replica, from_primary = json.loads(replica_body), json.loads(primary_body)
    for answer in (from_replica, from_primary):
        answer.pop("took_ms", None)
    assert from_replica == from_primary
    assert from_replica["count"] == 2


def test_an_export_reads_one_replica_in_one_snapshot(client, kati, standby, monkeypatch):
    """An article published while the file streams is not in it: every batch reads the snapshot the
    first one took, on the replica, though the replica has replayed the new article meanwhile."""
    monkeypatch.setattr(files, "BATCH_SIZE", 1)
    with CaptureQueriesContext(connections[ALIAS]) as on_replica:
        response = client.get("/export/?q=kati&format=jsonl&sort=oldest")
        assert served_by_replica(response)
        chunks = iter(response.streaming_content)
        first = next(chunks)
        make_article("Kati curfew lifted", body="The Kati curfew ends.", published_on="2022-07-24")
        replica_ready(standby)
        with CaptureQueriesContext(connections["default"]) as on_primary:
            rest = b"".join(chunks)
    lines = (first + rest).decode().splitlines()
    assert len(lines) == 2 and "curfew" not in first.decode() + rest.decode()
    statements = [q["sql"] for q in on_replica.captured_queries]
    assert any("REPEATABLE READ" in sql for sql in statements), statements
    assert len(article_queries(on_replica)) >= 3 and not article_queries(on_primary)
    # a new read sees it (asked last: a new request resets the captured queries)
    assert b"lifted" in client.get("/search/?q=curfew").content


def test_the_admin_and_writes_use_the_primary(staff_client, kati, standby):
    set_replay_paused(standby, True)  # from here the standby cannot show any change
    try:
        article = kati[0]
        response = staff_client.post(
            f"/admin/archive/article/{article.pk}/change/",
            form_data(article, headline="Gunfire and blasts at Kati"),
        )
        assert response.status_code == 302
        assert PIN_COOKIE in response.cookies
        assert Article.objects.using("default").get(pk=article.pk).headline == "Gunfire and blasts at Kati"
        # the editor's next page reads the primary at once: their change, not the standby's old copy
        response, body, on_replica, _ = get(staff_client, f"/articles/{article.pk}/")
        assert response.status_code == 200 and b"Gunfire and blasts" in body
        assert response.wsgi_request.read_alias == "default" and not on_replica.captured_queries
        # a reader who wrote nothing reads the replica, which has not replayed the change yet
        response, body, on_replica, _ = get(Client(), "/search/?q=kati")
        assert b"Gunfire and blasts" not in body and on_replica.captured_queries
    finally:
        set_replay_paused(standby, False)


def test_an_editors_new_article_is_on_their_next_page_at_once(staff_client, kati, standby):
    set_replay_paused(standby, True)
    try:
        data = form_data(kati[0], headline="Curfew declared in Kati", external_id="", url="", version=0)
        response = staff_client.post("/admin/archive/article/add/", data)
        assert response.status_code == 302, response.content[:2000]
        new = Article.objects.using("default").get(headline="Curfew declared in Kati")
        response, body, _, _ = get(staff_client, "/search/?q=curfew")
        assert b"Curfew declared" in body
        response, _, _, _ = get(staff_client, f"/articles/{new.pk}/")
        assert response.status_code == 200
    finally:
        set_replay_paused(standby, False)


def test_the_pin_lasts_DJANGO_REPLICA_PIN_S_seconds(client, kati, settings):
    settings.REPLICA_PIN_S = 1
    client.cookies[PIN_COOKIE] = str(time.time())
    assert not get(client, "/search/?q=kati")[2].captured_queries
    time.sleep(1.1)
    assert get(client, "/search/?q=kati")[2].captured_queries


def test_a_stopped_replica_is_skipped_and_used_again_after_it_returns(client, named, standby, settings):
    bindir = embedded_pg.find_bindir()
    settings.REPLICA_CHECK_S = 60
    assert health.refresh()[0].ok
    standby.stop(bindir, mode="immediate")  # the last check still says it is well: the first read fails
    try:
        for url in PUBLIC_PAGES:
            started = time.monotonic()
            response = client.get(url.format(**named), follow=True)
            read_everything(response)
            assert response.status_code == 200, url
            assert time.monotonic() - started < 5, url
        assert b"Gunfire at" in client.get("/search/?q=kati").content
        detail = json.loads(client.get("/healthz?detail=1").content)
        assert detail == {"primary": "ok", "replicas": [{"alias": ALIAS, "ok": False, "lag_s": None}]}
    finally:
        standby.start(bindir)
    embedded_pg.wait_until_streaming(bindir, standby)
    settings.REPLICA_CHECK_S = 0.2
    time.sleep(0.3)  # past DJANGO_REPLICA_CHECK_S: the next request checks it again
    response, body, on_replica, _ = get(client, "/search/?q=kati")
    assert response.status_code == 200 and b"Gunfire at" in body
    assert article_queries(on_replica), "the replica was not used again after it returned"


def test_a_lagging_replica_is_skipped_until_it_catches_up(client, kati, standby, settings):
    settings.REPLICA_MAX_LAG_S = 0.5
    set_replay_paused(standby, True)
    try:
        make_article("Kati market reopens", body="Traders return to Kati.")
        time.sleep(0.8)
        [state] = health.refresh()
        assert not state.ok and state.lag_s > 0.5
        response, body, on_replica, _ = get(client, "/search/?q=kati")
        assert b"market reopens" in body  # from the primary
        assert not on_replica.captured_queries
        detail = json.loads(client.get("/healthz?detail=1").content)
        assert detail["replicas"][0]["ok"] is False and detail["replicas"][0]["lag_s"] > 0.5
    finally:
        set_replay_paused(standby, False)
    replica_ready(standby)
    assert health.states()[0].ok
    assert article_queries(get(client, "/search/?q=kati")[2])


def test_healthz_detail_names_each_replica_and_no_secret(client, kati):
    response = client.get("/healthz?detail=1")
    assert response.status_code == 200
    detail = json.loads(response.content)
    [replica] = detail.pop("replicas")
    assert detail == {"primary": "ok"} and replica.keys() == {"alias", "ok", "lag_s"}
    assert replica["alias"] == ALIAS and replica["ok"] is True and 0 <= replica["lag_s"] < 1
    text = response.content.decode()
    for secret in (
        str(embedded_pg.SOCKET_DIR),
        "postgres",
        "archive",
        connections[ALIAS].settings_dict["PORT"],
    ):
        assert secret not in text
    assert client.get("/healthz").content == b"ok\n"


def test_embedded_pg_status_lists_each_server_and_its_lag(standby, capsys):
    assert embedded_pg.status() == 0
    printed = capsys.readouterr().out
    assert re.search(r"^primary +port 5432 +running$", printed, re.M)
    assert re.search(
        rf"^{standby.name} +port {standby.port} +running, replication lag \d+\.\d s$", printed, re.M
    )
