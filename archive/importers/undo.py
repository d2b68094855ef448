"""Undo an import: remove what it created and restore what it changed, unless edited since."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import reversion
from django.db import transaction
from django.utils import timezone

from archive.models import Article, ImportChange, ImportRun

DATE_FIELDS = {"published_on": dt.date.fromisoformat, "published_at": dt.datetime.fromisoformat}


@dataclass
class UndoResult:
    removed: int = 0
    restored: int = 0
    kept: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"Removed {self.removed:,} created article(s), restored {self.restored:,} changed one(s)."
        if self.kept:
            text += f" Kept {len(self.kept):,} edited since the import: " + "; ".join(self.kept[:50])
        return text


def _restore(article: Article, previous: dict) -> None:
    for name, value in previous.items():
        if name in ("places", "topics"):
            getattr(article, name).set(value)
        else:
            setattr(article, name, DATE_FIELDS[name](value) if name in DATE_FIELDS and value else value)
    article.version += 1
    article.save()


@transaction.atomic
def import_run_undo(*, run: ImportRun, user=None) -> UndoResult:
    """Undo `run`; articles edited after it (their version moved on) are kept and listed."""
    result = UndoResult()
    changes = list(run.changes.all())
    articles = Article.objects.select_for_update().in_bulk([c.article_pk for c in changes])
    created = [c for c in changes if c.action == ImportChange.Action.CREATED]
    removable = [
        c.article_pk
        for c in created
        if c.article_pk in articles and articles[c.article_pk].version == c.version_after
    ]
    for change in changes:
        article = articles.get(change.article_pk)
        if article is None:
            continue
        if article.version != change.version_after:
            result.kept.append(f"#{article.pk} “{article.headline[:60]}”")
        elif change.action == ImportChange.Action.UPDATED:
            with reversion.create_revision():
                _restore(article, change.previous)
                reversion.set_user(user)
                reversion.set_comment(f"Undo of import #{run.pk}.")
            result.restored += 1
    result.removed = _delete_articles(removable)
    run.status = ImportRun.Status.UNDONE
    run.report += f"\nUndone {timezone.now():%Y-%m-%d %H:%M} UTC: {result.summary()}"
    run.save(update_fields=["status", "report"])
    return result


def _delete_articles(pks: list[int]) -> int:
    """Delete the articles and their tags in a few statements."""
    _, per_model = Article.objects.filter(pk__in=pks).delete()
    return per_model.get(Article._meta.label, 0)
