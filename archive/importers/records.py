"""What every reader yields: one parsed record with its line number, canonical fields and problems."""

from __future__ import annotations

import gzip
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


def open_binary(path: str | Path):
    """Open a file for reading bytes, transparently un-gzipping `.gz` files."""
    path = Path(path)
    return gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")


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
