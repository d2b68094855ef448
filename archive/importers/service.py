"""The import workflow: read files, clean records, write them in batches, record the run."""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from archive import languages
from archive.derived import refresh, stories
from archive.importers import csvfile, jsonl, reuters, reuters_catalogue, runs
from archive.importers.normalise import ArticleValues, normalise
from archive.importers.progress import NoProgress, Progress
from archive.importers.records import InputStopped, ParsedRecord, format_from_name, open_binary
from archive.importers.upsert import BatchWriter, Tally
from archive.models import ImportRun, Source

FORMATS = ("jsonl", "csv", "reuters")
WRITERS = 3  # writer threads (connections) of an import outside a transaction
REUTERS_RIGHTS = (
    "Reuters-21578, Distribution 1.0. Copyright Reuters Ltd.; Reuters Ltd. and Carnegie Group, "
    "Inc. allow free distribution for research purposes only."
)


class ImportInputError(Exception):
    """The input cannot be read at all (no such file, unknown format)."""


@dataclass
class ImportOptions:
    format: str | None = None
    source: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    dry_run: bool = False
    batch_size: int = 1000
    language: str | None = None  # every record without a language of its own is in this one
    find: bool = True  # places found in the dateline, headline and opening (`find_tags` does it later)


class _DryRunRollback(Exception):
    pass


def _reader(path: Path, options: ImportOptions) -> tuple[str, Iterator[ParsedRecord]]:
    fmt = options.format or format_from_name(path)
    if fmt not in FORMATS:
        raise ImportInputError(
            f"{path}: cannot tell the format from the name; use --format jsonl|csv|reuters"
        )
    if not path.is_file():
        raise ImportInputError(f"{path}: no such file")
    if fmt == "reuters":
        reuters_catalogue.ensure(path.parent)
        return fmt, reuters.read_reuters(path)
    module = jsonl.read_jsonl if fmt == "jsonl" else csvfile.read_csv
    return fmt, module(path, mapping=options.mapping)


def count_records(paths: list[Path], options: ImportOptions) -> int:
    """A quick count for the progress bar: lines, or <REUTERS tags, read a block at a time."""
    total = 0
    for path in paths:
        fmt = options.format or format_from_name(path)
        total += _count_marker(path, b"<REUTERS " if fmt == "reuters" else b"\n")
    return total


def _count_marker(path: Path, marker: bytes) -> int:
    count, tail, last = 0, b"", b""
    try:
        with open_binary(path) as handle:
            while block := handle.read(2**20):
                count += (tail + block).count(marker)
                tail, last = block[-(len(marker) - 1) :] if len(marker) > 1 else b"", block
    except InputStopped:
        pass  # the reader reports it; the bar just stops short
    return count + (marker == b"\n" and last != b"" and not last.endswith(b"\n"))


class SourceCache:
    """Sources by name, created on first use (slug from the name)."""

    def __init__(self, forced: str | None):
        self.forced, self.by_name, self.languages = forced, {}, {}

    def id_for(self, name: str, *, fmt: str) -> int | None:
        name = self.forced or name or ("Reuters" if fmt == "reuters" else "")
        if not name:
            return None
        if name not in self.by_name:
            reuters = slugify(name) == "reuters"
            defaults = {
                "name": name,
                "rights": REUTERS_RIGHTS if reuters else "",
                "language": "en" if reuters else "",  # unknown: detection falls back to "und"
            }
            source = Source.objects.get_or_create(slug=slugify(name)[:100], defaults=defaults)[0]
            self.by_name[name], self.languages[source.pk] = source.pk, source.language
        return self.by_name[name]

    def language_of(self, source_id: int | None) -> str:
        """The source's language ("" when it has none or there is no source)."""
        return self.languages.get(source_id, "")


def article_import(
    *,
    paths: list[str | Path],
    options: ImportOptions,
    user=None,
    stream=None,
    run: ImportRun | None = None,
) -> ImportRun:
    """Import the files; returns the recorded run (not saved on a dry run).

    `run` is a queued run to carry out (an upload from the admin); otherwise a new one is recorded.
    Runs write one at a time: a second one waits for the first, saying so on `stream`.
    """
    paths = [Path(p) for p in paths]
    readers = [_reader(path, options) for path in paths]  # fails early on unreadable input
    if run is None:
        run = ImportRun(user=user, files=[str(p) for p in paths], options=_options_record(options))
    tally = Tally(files=[str(p) for p in paths])
    if options.dry_run:
        return _dry_run(readers, options, run, tally)
    runs.mark_interrupted_runs()  # a run killed earlier is named as such before this one starts
    run.save()
    runs.claim(run, status=ImportRun.Status.QUEUED, progress="Waiting for another import to finish.")
    say = (lambda text: print(text, file=stream, flush=True)) if stream else None
    with runs.Heartbeat(run.pk), runs.import_lock(waiting=say):
        runs.claim(run, status=ImportRun.Status.RUNNING, progress="Reading the files.")
        progress = Progress(count_records(paths, options), stream=stream) if stream else NoProgress()
        try:
            _import_records(readers, options, run, tally, progress)
        except BaseException as error:
            _fail(run, tally, error)
            raise
        finally:
            progress.close()
        return _finish(run, tally, dry_run=False)


def _dry_run(readers, options: ImportOptions, run: ImportRun, tally: Tally) -> ImportRun:
    """Everything an import does, inside a transaction rolled back at the end."""
    try:
        with transaction.atomic():
            run.save()
            _import_records(readers, options, run, tally, NoProgress())
            raise _DryRunRollback
    except _DryRunRollback:
        run.pk = None
    return _finish(run, tally, dry_run=True)


def as_uploaded(run: ImportRun, text: str) -> str:
    """`text` naming an admin upload's stored file as the editor knows it (the name they uploaded)."""
    upload = run.options.get("upload") if isinstance(run.options, dict) else None
    return text.replace(upload["path"], upload["name"]) if upload else text


def _fail(run: ImportRun, tally: Tally, error: BaseException) -> None:
    """A run stopped by an error is recorded as failed, with what it had done (never left running)."""
    reason = runs.describe(error)
    lines = [
        *tally.lines,
        f"Failed ({reason}) after {tally.counts['read']:,} records; every finished batch is kept.",
    ]
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.FAILED,
        finished=timezone.now(),
        counts=tally.counts,
        report=as_uploaded(run, "\n".join(lines)),
        progress="Failed.",
    )


def _import_records(readers, options: ImportOptions, run: ImportRun, tally: Tally, progress) -> None:
    """Clean each record, report the bad ones, and write the good ones in batches."""
    writer, sources = BatchWriter(run=run, tally=tally, find=options.find), SourceCache(options.source)
    # Inside a transaction (a dry run, a test) the writes must share it; otherwise they overlap the reading.
    pipeline = _SameThread(writer) if connection.in_atomic_block else _WriterThreads(writer, WRITERS)
    try:
        _feed(readers, options, writer, sources, tally, progress, pipeline)
    finally:
        pipeline.close()


def _feed(readers, options, writer, sources, tally, progress, pipeline) -> None:
    batch = []
    for fmt, records in readers:
        for record in records:
            tally.add("read")
            progress.advance(1)
            values = normalise(record) if record.error is None else None
            for warning in record.warnings:
                tally.note(record, f"warning: {warning}")
            if values is None:
                tally.add("skipped")
                tally.note(record, f"skipped: {record.error}")
                continue
            source_id = sources.id_for(values.source, fmt=fmt)
            if not values.language:
                _give_language(values, options.language, fallback=sources.language_of(source_id))
            batch.append(writer.item(record, values, source_id))
            if len(batch) >= options.batch_size:
                pipeline.put(writer.collapse(batch))
                batch = []
                _report_progress(writer.run, tally)
    pipeline.put(writer.collapse(batch))


def _give_language(values: ArticleValues, chosen: str | None, *, fallback: str) -> None:
    """The import's `--language`, else the language detected from the text (the source's if unsure)."""
    if chosen:
        values.language = chosen
        return
    text = languages.article_text(values.headline, values.summary, values.body)
    values.language = languages.detected_language(text, fallback=fallback)
    values.language_detected = True


def _report_progress(run: ImportRun, tally: Tally) -> None:
    """The run's page shows how far it got (and a killed run keeps its counts so far)."""
    if run.pk is None or connection.in_atomic_block:
        return
    counts = dict(tally.counts)
    text = (
        f"{counts['read']:,} records read: {counts['created']:,} created, "
        f"{counts['updated']:,} updated, {counts['skipped']:,} skipped so far."
    )
    runs.beat(run.pk, text, counts)


def _write(writer: BatchWriter, batch: list) -> None:
    """One batch, one transaction: a killed run keeps every batch it finished."""
    if batch:
        with transaction.atomic():
            created = writer.write(batch)
            stories.catch_up(fresh=created)  # the batch's copies join their stories before it commits
        writer.add_promoted()


class _SameThread:
    """Writes each batch at once."""

    def __init__(self, writer: BatchWriter):
        self.writer = writer

    def put(self, batch: list) -> None:
        _write(self.writer, batch)

    def close(self) -> None:
        pass


class _WriterThreads:
    """Writes batches on other threads, each with its own connection, while the next batch is read.

    PostgreSQL builds the two search vectors of every article in the writing connection's process: most
    of an import's work. Each writer's thread also works in Python between statements (5-grams, digests,
    rows), holding the GIL; with three, both cores stay busy (200,000 plain records: 150 s with two,
    139–145 s with three). Batches never share a key (see `collapse`).
    """

    def __init__(self, writer: BatchWriter, count: int):
        self.writer, self.error = writer, None
        self.queue: queue.Queue = queue.Queue(maxsize=2 * count)
        self.threads = [
            threading.Thread(target=self._run, name=f"import-writer-{n}", daemon=True) for n in range(count)
        ]
        for thread in self.threads:
            thread.start()

    def _run(self) -> None:
        try:
            while (batch := self.queue.get()) is not None:
                if self.error is None:
                    try:
                        _write(self.writer, batch)
                    except BaseException as error:  # handed to the reading thread, which re-raises it
                        self.error = error
        finally:
            connection.close()

    def put(self, batch: list) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put(batch)

    def close(self) -> None:
        for _ in self.threads:
            self.queue.put(None)
        for thread in self.threads:
            thread.join()
        if self.error is not None:
            raise self.error


def _finish(run: ImportRun, tally: Tally, *, dry_run: bool) -> ImportRun:
    counts = tally.counts
    run.counts = counts
    summary = ", ".join(
        f"{counts[k]:,} {k}"
        for k in ["created", "updated", "unchanged", "skipped", "warned", "duplicates", "conflicts"]
    )
    run.report = "\n".join(
        [*tally.lines, f"{'Dry run: ' if dry_run else ''}{counts['read']:,} records read: {summary}."]
    )
    run.status = ImportRun.Status.FINISHED
    run.finished = timezone.now()
    run.progress = ""
    run.report = as_uploaded(run, run.report)
    if not dry_run:
        run.save(update_fields=["counts", "report", "status", "finished", "progress"])
        refresh.refresh_after_write(changed=bool(counts["created"] or counts["updated"]))
    return run


def _options_record(options: ImportOptions) -> dict:
    return json.loads(json.dumps(options.__dict__, default=str))
