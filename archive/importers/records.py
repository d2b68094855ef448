"""What every reader yields: one parsed record with its line number, canonical fields and problems."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

# The canonical field names of an imported record (the --map targets).
CANONICAL_FIELDS = (
    "headline",
    "published",
    "body",
    "summary",
    "byline",
    "dateline",
    "agency",
    "url",
    "external_id",
    "source",
    "language",
    "places",
    "topics",
    "people",
    "organisations",
    "exchanges",
)
LIST_FIELDS = ("places", "topics", "people", "organisations", "exchanges")
# Bounds on what one input file may make the importer hold (documented in the README).
MAX_INPUT_BYTES = 2**30  # a file's decompressed size
MAX_LINE_BYTES = 8 * 2**20  # one JSON Lines or CSV line, one Reuters record


@dataclass
class ParsedRecord:
    """One record of an input file, before validation.

    `fields` holds canonical names: strings, or lists of strings for LIST_FIELDS. `published` is a
    string (ISO date or date-time) or a datetime/date already parsed by the reader.
    `warnings` are repairs the reader made; `error` set means the record cannot be used.
    """

    path: str
    line: int
    fields: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


class InputStopped(Exception):
    """The rest of a file cannot be read: the reader reports it on one line and stops there."""


class InputTooLarge(InputStopped):
    """A file holds more than MAX_INPUT_BYTES once decompressed (a compressed bomb, most likely)."""


class InputBroken(InputStopped):
    """A compressed file is corrupt or cut short."""


class _BoundedReader:
    """A binary file that refuses to give more than MAX_INPUT_BYTES in all."""

    def __init__(self, handle):
        self.handle, self.taken = handle, 0

    def _count(self, data: bytes) -> bytes:
        self.taken += len(data)
        if self.taken > MAX_INPUT_BYTES:
            size = f"{MAX_INPUT_BYTES // 2**20:,} MiB"
            raise InputTooLarge(f"more than {size} once decompressed; the rest of the file is not read")
        return data

    def read(self, size: int = -1) -> bytes:
        return self._count(self._safely(self.handle.read, size if size >= 0 else MAX_INPUT_BYTES + 1))

    def readline(self, size: int = -1) -> bytes:
        return self._count(self._safely(self.handle.readline, size if size >= 0 else MAX_LINE_BYTES + 1))

    @staticmethod
    def _safely(read, size: int) -> bytes:
        try:
            return read(size)
        except (EOFError, zlib.error, gzip.BadGzipFile) as error:
            raise InputBroken(
                f"the compressed file is corrupt or cut short ({error}); the rest is not read"
            ) from error

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.handle.close()


def open_binary(path: str | Path) -> _BoundedReader:
    """Open a file for reading bytes, un-gzipping `.gz` files, never more than MAX_INPUT_BYTES."""
    path = Path(path)
    return _BoundedReader(gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb"))


def bounded_lines(handle: _BoundedReader) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) for each line; a line over MAX_LINE_BYTES comes as None, never held whole."""
    number = 0
    while line := handle.readline(MAX_LINE_BYTES + 1):
        number += 1
        if len(line) <= MAX_LINE_BYTES or line.endswith(b"\n"):
            yield number, line
            continue
        while (rest := handle.readline(2**20)) and not rest.endswith(b"\n"):
            pass  # skip the rest of the over-long line, a mebibyte at a time
        yield number, None


LINE_TOO_LONG = f"line longer than {MAX_LINE_BYTES // 2**20} MiB; skipped"


def format_from_name(path: str | Path) -> str | None:
    """Guess the format from the extension (`.jsonl`, `.json`, `.csv`, `.sgm`, each optionally `.gz`)."""
    suffixes = [s.lower() for s in Path(path).suffixes if s.lower() != ".gz"]
    last = suffixes[-1] if suffixes else ""
    return {
        ".jsonl": "jsonl",
        ".json": "jsonl",
        ".ndjson": "jsonl",
        ".csv": "csv",
        ".sgm": "reuters",
        ".sgml": "reuters",
    }.get(last)


def apply_mapping(raw: dict, mapping: dict[str, str]) -> dict:
    """Canonical fields from a foreign record: `mapping` names the column for a canonical field."""
    return {name: raw[mapping.get(name, name)] for name in CANONICAL_FIELDS if mapping.get(name, name) in raw}
