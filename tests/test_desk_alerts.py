"""send_alerts: one digest per researcher with the new matches of their alerting searches, never an
article twice."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from archive.desk import alerts, saved_searches
from archive.models import AlertSent
from tests.desk_helpers import researcher
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def added(headline: str, **fields):
    return make_article(headline, made_public_at=timezone.now(), **fields)


@pytest.fixture
def ada(client):
    user = researcher(client)
    saved_searches.saved_search_create(owner=user, query_string="q=kati", name="Kati", alerts=True)
    saved_searches.saved_search_create(owner=user, query_string="q=bamako", name="Bamako", alerts=True)
    saved_searches.saved_search_create(owner=user, query_string="q=mali", name="Mali, no alerts")
    return user


def test_a_digest_lists_each_alerting_searchs_new_matches_once(ada):
    kati = added("Kati base attacked near Bamako")
    bamako = added("Bamako market reopens")
    added("Mali elections")

    call_command("send_alerts", "--site", "https://archive.example.org")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@example.org"] and "2 new articles" in message.subject
    assert message.body.count("Kati base attacked") == 1  # it matches both searches: mailed once
    assert f"https://archive.example.org/articles/{kati.pk}/" in message.body
    assert "Bamako market reopens" in message.body and "Mali elections" not in message.body
    assert set(AlertSent.objects.values_list("article_id", flat=True)) == {kati.pk, bamako.pk}


def test_a_second_run_mails_only_what_is_new_since(ada):
    added("Kati base attacked")
    alerts.send_alerts("http://x")
    alerts.send_alerts("http://x")
    assert len(mail.outbox) == 1
    added("Kati, the day after")
    alerts.send_alerts("http://x")
    assert len(mail.outbox) == 2 and "Kati base attacked" not in mail.outbox[1].body


def test_articles_added_before_the_search_was_saved_are_not_news(client):
    make_article("Kati base attacked", made_public_at=timezone.now() - dt.timedelta(days=1))
    user = researcher(client)
    saved_searches.saved_search_create(owner=user, query_string="q=kati", alerts=True)
    alerts.send_alerts("http://x")
    assert mail.outbox == []


def test_a_mail_that_fails_records_nothing_so_the_next_run_sends_it(ada, monkeypatch):
    added("Kati base attacked")

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(alerts, "send_mail", refuse)
    with pytest.raises(ConnectionRefusedError):
        alerts.send_alerts("http://x")
    assert not AlertSent.objects.exists()
    monkeypatch.undo()
    alerts.send_alerts("http://x")
    assert len(mail.outbox) == 1


def test_drafts_are_never_mailed(ada):
    added("Kati secret draft", status="draft")
    alerts.send_alerts("http://x")
    assert mail.outbox == []


def test_each_researcher_gets_their_own_digest(ada):
    other = Client()
    bob = researcher(other, "bob@example.org")
    saved_searches.saved_search_create(owner=bob, query_string="q=bamako", alerts=True)
    added("Bamako market reopens")
    alerts.send_alerts("http://x")
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.org", "bob@example.org"]
