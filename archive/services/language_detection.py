"""`detect_languages`: (re)detect the language of articles nobody gave one, in batches, resumable.

Only articles whose language is a detection (`language_detected`) are read; an editor's choice or
a record's own language is never touched. Each batch is one short transaction, and each change is
one guarded UPDATE: it applies only if the row still holds the language and version it was read
with, so an editor who saves meanwhile keeps their edit (and a form opened before the change is
refused by the version check, as after an import, instead of silently undoing it). A killed run
loses at most the batch in flight; running it again redoes the rest (detection is deterministic).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F

from archive import languages
from archive.models import Article

BATCH_SIZE = 500
READ_FIELDS = ("id", "headline", "summary", "body", "language", "version")


@dataclass
class DetectionTally:
    checked: int = 0
    changed: int = 0
    total: int = 0

    def line(self) -> str:
        return f"{self.checked:,} of {self.total:,} articles checked, {self.changed:,} changed"


_GUARDED_UPDATE = f"""
    UPDATE {Article._meta.db_table} SET language = %s, version = version + 1, updated = now()
    WHERE id = %s AND language_detected AND language = %s AND version = %s
"""


def _detect_batch(rows: list[dict]) -> list[tuple]:
    changes = []
    for row in rows:
        text = languages.article_text(row["headline"], row["summary"], row["body"])
        found = languages.detected_language(text, fallback=row["source_language"] or languages.UNDETERMINED)
        if found != row["language"]:
            changes.append((found, row["id"], row["language"], row["version"]))
    return changes


def articles_detect_languages(
    *, batch_size: int = BATCH_SIZE, report: Callable[[DetectionTally], None] = lambda tally: None
) -> DetectionTally:
    """Detect every detected-language article again, in id order; `report` is called per batch."""
    candidates = Article.objects.filter(language_detected=True)
    tally, after = DetectionTally(total=candidates.count()), 0
    while True:
        rows = list(
            candidates.filter(id__gt=after)
            .order_by("id")
            .annotate(source_language=F("source__language"))
            .values(*READ_FIELDS, "source_language")[:batch_size]
        )
        if not rows:
            return tally
        changes = _detect_batch(rows)
        with transaction.atomic(), connection.cursor() as cursor:
            for change in changes:
                cursor.execute(_GUARDED_UPDATE, change)
                tally.changed += cursor.rowcount
        tally.checked += len(rows)
        after = rows[-1]["id"]
        report(tally)
