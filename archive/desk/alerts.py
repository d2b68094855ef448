"""Alert digests: each researcher gets one e-mail listing the new matches of the searches they asked
alerts for, and never the same article twice.

For each researcher, under an advisory lock of theirs (two runs at once take turns), the articles are
recorded as sent and committed, then the mail goes out: an article is never mailed twice. A mail that
fails takes its records back (the articles come again next run); a run killed between the commit and
the mail loses that one digest's articles (never sends them twice).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import translation

from archive import search
from archive.desk.saved_searches import new_matches_params
from archive.models import AlertSent, Article, SavedSearch

LISTED = 50  # articles listed per search in one digest; the rest are counted and linked
MAX_RECORDED = 5000  # per search and run: beyond, they wait for the next run


@dataclass
class SearchNews:
    saved: SavedSearch
    articles: list[Article]
    more: int  # new matches sent but not listed
    link: str


def _news(saved: SavedSearch, already: set[int], site: str) -> SearchNews | None:
    params = new_matches_params(saved, since=saved.created)
    outcome = search.run(params, counted=False, viewer=saved.owner)
    if outcome.errors:
        return None
    newest = outcome.ordered.order_by("-made_public_at", "-pk")
    ids = [pk for pk in newest.values_list("pk", flat=True)[:MAX_RECORDED] if pk not in already]
    if not ids:
        return None
    listed = Article.objects.in_bulk(ids[:LISTED])
    articles = [listed[pk] for pk in ids[:LISTED] if pk in listed]
    return SearchNews(saved, articles, len(ids) - len(articles), f"{site}/search/?{params.urlencode()}")


ALERT_LOCK = 0x616C7274  # the advisory-lock namespace of alert digests ("alrt"), one key per researcher


def _record(user, site: str) -> tuple[list[SearchNews], list[AlertSent]]:
    """The researcher's news, recorded as sent, in one transaction under their advisory lock (a
    second run waits for this one's commit, then finds these articles already sent)."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ALERT_LOCK, user.pk])
        already = set(AlertSent.objects.filter(owner=user).values_list("article_id", flat=True))
        news = []
        for saved in SavedSearch.objects.filter(owner=user, alerts=True).order_by("created"):
            found = _news(saved, already, site)
            if found:
                news.append(found)
                already.update(a.pk for a in found.articles)
        records = AlertSent.objects.bulk_create(
            [
                AlertSent(owner=user, article_id=a.pk, saved_search=found.saved)
                for found in news
                for a in found.articles
            ]
        )
    return news, records


def digest_for(user, site: str) -> int:
    """Mail `user` their new matches (one digest); how many articles it sent. The articles are
    recorded before the mail leaves, so none is ever mailed twice; a mail that fails takes its
    records back, so the next run sends them."""
    news, records = _record(user, site)
    if not records:
        return 0
    context = {"news": news, "user": user, "site": site, "total": len(records)}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("desk/alert_subject.txt", context).strip()
        body = render_to_string("desk/alert_email.txt", context)
    try:
        send_mail(subject, body, None, [user.email])
    except Exception:
        AlertSent.objects.filter(pk__in=[record.pk for record in records]).delete()
        raise
    return len(records)


def send_alerts(site: str, on_digest=None) -> tuple[int, int]:
    """Every researcher's digest; (researchers mailed, articles sent). `on_digest(user, count)` is
    called after each digest that went out (the command's progress)."""
    mailed = articles = 0
    owners = SavedSearch.objects.filter(alerts=True, owner__is_active=True).exclude(owner__email="")
    for user in get_user_model().objects.filter(pk__in=owners.values("owner_id")).order_by("pk"):
        count = digest_for(user, site)
        mailed += bool(count)
        articles += count
        if count and on_digest:
            on_digest(user, count)
    return mailed, articles
