"""Alert digests: each researcher gets one e-mail listing the new matches of the searches they asked
alerts for, and never the same article twice.

Each researcher's digest is one transaction: their user row is locked (two runs at once take turns),
the articles are recorded as sent, the mail goes out, then it commits. A mail that fails rolls the
record back (the articles come again next run); a run killed before the commit leaves nothing recorded.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
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


def digest_for(user, site: str) -> int:
    """Mail `user` their new matches (one digest); how many articles it sent."""
    with transaction.atomic():
        get_user_model().objects.select_for_update().get(pk=user.pk)
        already = set(AlertSent.objects.filter(owner=user).values_list("article_id", flat=True))
        news = []
        for saved in SavedSearch.objects.filter(owner=user, alerts=True).order_by("created"):
            found = _news(saved, already, site)
            if found:
                news.append(found)
                already.update(a.pk for a in found.articles)
        sent = [(found.saved, a.pk) for found in news for a in found.articles]
        if not sent:
            return 0
        AlertSent.objects.bulk_create(
            [AlertSent(owner=user, article_id=pk, saved_search=saved) for saved, pk in sent],
            ignore_conflicts=False,
        )
        context = {"news": news, "user": user, "site": site, "total": len(sent)}
        with translation.override(settings.LANGUAGE_CODE):
            subject = render_to_string("desk/alert_subject.txt", context).strip()
            body = render_to_string("desk/alert_email.txt", context)
        send_mail(subject, body, None, [user.email])
        return len(sent)


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
