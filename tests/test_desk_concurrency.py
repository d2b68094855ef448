"""The desk's writes raced by real threads and processes: alert runs, collection adds, a freeze
against an editor's save; and send_alerts killed half-way, then run again."""

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import reversion
from django.core import mail
from django.db import close_old_connections, connection
from django.utils import timezone

from archive.desk import alerts, saved_searches, snapshots
from archive.desk import collections as desk
from archive.models import AlertSent, Article, Collection
from tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
ROOT = Path(__file__).resolve().parents[1]


def race(target, count: int) -> list:
    """Run `target(n)` in `count` threads released at once; their exceptions, if any."""
    barrier, errors = threading.Barrier(count), []

    def run(n):
        try:
            barrier.wait()
            target(n)
        except Exception as error:  # reported to the test
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return errors


def researcher(django_user_model, email="ada@example.org"):
    return django_user_model.objects.create_user(email, email, "a-long-pass-4411")


def test_two_alert_runs_at_once_mail_each_article_once(django_user_model):
    user = researcher(django_user_model)
    saved_searches.saved_search_create(owner=user, query_string="q=kati", alerts=True)
    saved_searches.saved_search_create(owner=user, query_string="q=bamako", alerts=True)
    for n in range(30):
        make_article(f"Kati and Bamako report {n}", made_public_at=timezone.now())

    assert race(lambda n: alerts.send_alerts("http://x"), 4) == []

    mailed = [line for message in mail.outbox for line in message.body.splitlines() if line.startswith("- ")]
    assert len(mail.outbox) == 1 and len(mailed) == 30
    assert AlertSent.objects.filter(owner=user).count() == 30


def test_researchers_adding_at_once_get_distinct_positions(django_user_model):
    user = researcher(django_user_model)
    collection = desk.collection_create(owner=user, name="Race")
    articles = [make_article(f"Report {n}") for n in range(8)]

    errors = race(lambda n: desk.collection_add(collection=collection, article=articles[n]), 8)

    assert errors == []
    positions = sorted(collection.items.values_list("position", flat=True))
    assert positions == list(range(1, 9))


def test_a_freeze_racing_editors_saves_records_a_consistent_text_and_loses_no_edit(django_user_model):
    user = researcher(django_user_model)
    articles = [make_article(f"Kati report {n}", body=f"First text {n}.") for n in range(40)]

    def work(n):
        if n == 0:
            snapshots.snapshot_freeze(owner=user, query_string="q=kati")
            return
        for article in articles[n - 1 :: 3]:
            with reversion.create_revision():
                fresh = Article.objects.get(pk=article.pk)
                fresh.body = f"Edited text of {article.pk}."
                fresh.save()

    assert race(work, 4) == []
    snapshot = user.snapshots.get()
    assert snapshot.count == 40
    for item, fields in snapshots.snapshot_rows(snapshot):
        assert item.text_sha256 == snapshots.text_sha256(fields)  # the checksum is the frozen text's
    assert set(Article.objects.values_list("body", flat=True)) == {
        f"Edited text of {a.pk}." for a in articles
    }


def test_send_alerts_killed_half_way_mails_the_rest_once_when_run_again(django_user_model, tmp_path):
    for n in range(12):
        user = researcher(django_user_model, f"r{n}@example.org")
        saved_searches.saved_search_create(owner=user, query_string="q=kati", alerts=True)
    for n in range(40):
        make_article(f"Kati report {n}", made_public_at=timezone.now())
    env = {
        **os.environ,
        "DJANGO_DB_NAME": connection.settings_dict["NAME"],
        "DJANGO_EMAIL_URL": f"file:///{tmp_path}",
    }
    command = [sys.executable, "manage.py", "send_alerts"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    first = [process.stdout.readline() for _ in range(3)]  # three digests out
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert all(line.startswith("Mailed 40 articles") for line in first)
    done = AlertSent.objects.values("owner").distinct().count()
    assert 3 <= done < 12, "the run finished before it could be killed"

    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)

    assert AlertSent.objects.values("owner").distinct().count() == 12
    assert AlertSent.objects.count() == 12 * 40
    mailed = "".join(path.read_text() for path in tmp_path.iterdir())
    recipients = [f"r{n}@example.org" for n in range(12)]
    # Recorded before it leaves, a digest is never sent twice; the one out when the kill came may
    # be lost (its records committed, its mail not sent): at-most-once, as documented.
    assert all(mailed.count(f"To: {address}") <= 1 for address in recipients)
    assert sum(mailed.count(f"To: {address}") for address in recipients) >= 11
    assert Collection.objects.count() == 0


def test_two_sign_ups_of_one_address_at_once_make_one_account_and_no_error(django_user_model):
    from django.test import Client

    statuses = []

    def sign_up(n):
        password = "a-long-pass-4411"
        response = Client().post(
            "/accounts/signup/", {"email": "ada@example.org", "password1": password, "password2": password}
        )
        statuses.append(response.status_code)

    assert race(sign_up, 2) == []
    assert sorted(statuses) == [302, 400] and django_user_model.objects.count() == 1
