"""Imports racing editors and each other: no editor's save is lost, overlapping runs serialise."""

import json
import random
import threading

import pytest
from django.db import connection
from django.test import Client

from archive.models import Article, ImportRun
from tests.import_helpers import HUFFPOST, HUFFPOST_MAP, run_import, write_jsonl
from tests.test_editorial import change_url, form_data

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
RECORDS = 1_500
HUFFPOST_OPTIONS = {"format": "jsonl", "source": "HuffPost", "mapping": HUFFPOST_MAP}


def on_own_connection(work) -> None:
    """Run `work` in this thread and close the thread's connection after it."""
    try:
        work()
    finally:
        connection.close()


def huffpost_records(count: int, *, suffix: str = "") -> list[dict]:
    """The first HuffPost records, their headlines and summaries marked with `suffix`."""
    records = []
    with open(HUFFPOST, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            record["headline"] += suffix
            record["short_description"] += suffix
            records.append(record)
            if len(records) == count:
                break
    return records


def editor_saves_while(thread: threading.Thread, client: Client, limit: int) -> dict[int, str]:
    """Save random articles' headlines through the admin until the thread ends; {pk: headline} saved."""
    pks, saved, n = list(Article.objects.values_list("pk", flat=True)), {}, 0
    while thread.is_alive() and n < limit:
        article = Article.objects.get(pk=random.choice(pks))
        headline = f"Editor's fix {n}"
        data = form_data(article, headline=headline, published_at_0="", published_at_1="")
        if client.post(change_url(article), data).status_code == 302:
            saved[article.pk] = headline
        n += 1
    return saved


def test_editor_saves_during_a_reimport_are_never_overwritten(tmp_path, staff_user):
    first = write_jsonl(tmp_path / "first.jsonl", huffpost_records(RECORDS))
    run_import(first, **HUFFPOST_OPTIONS)
    changed = write_jsonl(tmp_path / "changed.jsonl", huffpost_records(RECORDS, suffix=" (revised)"))
    client = Client()
    client.force_login(staff_user)
    result = {}
    importer = threading.Thread(
        target=on_own_connection,
        args=(lambda: result.setdefault("run", run_import(changed, **HUFFPOST_OPTIONS, batch_size=100)),),
    )
    importer.start()
    saved = editor_saves_while(importer, client, limit=200)
    importer.join()
    assert saved, "no editor save landed during the import"
    now = dict(Article.objects.filter(pk__in=saved).values_list("pk", "headline"))
    lost = {pk: now[pk] for pk, headline in saved.items() if now[pk] != headline}
    assert lost == {}
    assert result["run"].status == ImportRun.Status.FINISHED
