"""Undo an import: remove what it created and restore what it changed, unless edited since.

The work goes in batches, each its own transaction, with progress on the run's page: an undo of
thousands of articles is a background job (`manage.py undo_import`), and one killed half-way
resumes with the changes it had not reached.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import reversion
from django.db import transaction
from django.utils import timezone

from archive import tag_origins
from archive.derived import stories
from archive.importers import runs
from archive.importers.upsert import digest
from archive.models import Article, ImportChange, ImportRun, Place, Topic

DATE_FIELDS = {"published_on": dt.date.fromisoformat, "published_at": dt.datetime.fromisoformat}
UNDO_BATCH = 500
KEPT_LISTED = 50  # articles named in the report; the count covers them all


@dataclass
class UndoResult:
    removed: int = 0
    restored: int = 0
    kept_count: int = 0
    kept: list[str] = field(default_factory=list)  # the first KEPT_LISTED of them

    def keep(self, article: Article) -> None:
        self.kept_count += 1
        if len(self.kept) < KEPT_LISTED:
            self.kept.append(f"#{article.pk} “{article.headline[:60]}”")

    def summary(self) -> str:
        text = f"Removed {self.removed:,} created article(s), restored {self.restored:,} changed one(s)."
        if self.kept_count:
            text += f" Kept {self.kept_count:,} edited since the import: " + "; ".join(self.kept)
        return text

    def as_counts(self) -> dict:
        return {**{k: getattr(self, k) for k in ("removed", "restored", "kept_count")}, "kept": self.kept}


def _restore(article: Article, previous: dict) -> None:
    """The values from before the import; the import's fingerprints follow, so a re-import applies again."""
    digests = {k: v for k, v in (article.import_digest or {}).items() if k != "*"}
    for name, value in previous.items():
        if name in ("places", "topics"):
            value = _still_existing(name, value)  # a place or topic deleted since cannot come back
            tag_origins.replace_given_links(article, name, value, tag_origins.IMPORT)
        else:
            setattr(article, name, DATE_FIELDS[name](value) if name in DATE_FIELDS and value else value)
        if name in digests:
            digests[name] = digest(getattr(article, name) if name not in ("places", "topics") else value)
    article.import_digest = digests
    article.version += 1
    article.save()


def _still_existing(name: str, pks: list[int]) -> list[int]:
    model = Place if name == "places" else Topic
    return list(model.objects.filter(pk__in=pks).values_list("pk", flat=True))


def import_run_undo(*, run: ImportRun, user=None, batch_size: int = UNDO_BATCH) -> UndoResult:
    """Undo `run`; articles edited after it (their version moved on) are kept and listed.

    Waits for any import or undo under way; an undo of a run undone meanwhile does nothing.
    """
    waiting = "Waiting for another import to finish."
    runs.claim(run, status=ImportRun.Status.UNDOING, progress=waiting, unless=ImportRun.Status.UNDONE)
    with runs.Heartbeat(run.pk), runs.import_lock():
        run.refresh_from_db()
        done = (run.counts or {}).get("undo") or {}
        result = UndoResult(
            **{k: done[k] for k in ("removed", "restored", "kept_count", "kept") if k in done}
        )
        if run.status == ImportRun.Status.UNDONE:
            return result
        runs.claim(run, status=ImportRun.Status.UNDOING, progress="Undoing.")
        try:
            _undo_batches(run, user=user, result=result, batch_size=batch_size)
        except BaseException as error:
            _stopped(run, result, error)
            raise
        _finish(run, result)
    return result


def _undo_batches(run: ImportRun, *, user, result: UndoResult, batch_size: int) -> None:
    total = run.changes.count()
    done = total - run.changes.filter(undone=False).count()  # an interrupted undo resumes
    while batch := list(run.changes.filter(undone=False).order_by("pk")[:batch_size]):
        with transaction.atomic():  # the batch and its counts commit together: a kill loses neither
            _undo_batch(batch, run=run, user=user, result=result)
            ImportRun.objects.filter(pk=run.pk).update(counts=_counts(run, result))
        done += len(batch)
        runs.beat(run.pk, f"Undoing: {done:,} of {total:,} changes done.")


def _stopped(run: ImportRun, result: UndoResult, error: BaseException) -> None:
    """An undo stopped by an error keeps what it did, says why, and can be started again."""
    note = (
        f"\nUndo stopped ({runs.describe(error)}) after {result.removed:,} removed and {result.restored:,} "
        "restored; what it did is kept. Undo the import again to go on."
    )
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.FAILED,
        progress="Undo stopped.",
        counts=_counts(run, result),
        report=run.report + note,
    )


def _counts(run: ImportRun, result: UndoResult) -> dict:
    return {**{k: v for k, v in (run.counts or {}).items() if k != "undo"}, "undo": result.as_counts()}


def _undo_batch(changes: list[ImportChange], *, run: ImportRun, user, result: UndoResult) -> None:
    articles = Article.objects.select_for_update(of=("self",)).in_bulk([c.article_pk for c in changes])
    removable = []
    for change in changes:
        article = articles.get(change.article_pk)
        if article is None:
            continue
        if article.version != change.version_after:
            result.keep(article)
        elif change.action == ImportChange.Action.CREATED:
            removable.append(article.pk)
        else:
            with reversion.create_revision():
                _restore(article, change.previous)
                reversion.set_user(user)
                reversion.set_comment(f"Undo of import #{run.pk}.")
            result.restored += 1
    result.removed += _delete_articles(removable)
    ImportChange.objects.filter(pk__in=[c.pk for c in changes]).update(undone=True)
    stories.catch_up()  # the removed copies leave their stories in the batch's own transaction


def _finish(run: ImportRun, result: UndoResult) -> None:
    run.refresh_from_db(fields=["report", "counts"])
    run.status, run.progress, run.counts = ImportRun.Status.UNDONE, "", _counts(run, result)
    run.report += f"\nUndone {timezone.now():%Y-%m-%d %H:%M} UTC: {result.summary()}"
    run.save(update_fields=["status", "progress", "counts", "report"])


def _delete_articles(pks: list[int]) -> int:
    """Delete the articles and their tags in a few statements."""
    _, per_model = Article.objects.filter(pk__in=pks).delete()
    return per_model.get(Article._meta.label, 0)
