"""JSON Lines: one JSON object per line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from archive.importers.records import (
    LINE_TOO_LONG,
    InputStopped,
    ParsedRecord,
    apply_mapping,
    bounded_lines,
    open_binary,
)


def read_jsonl(path: str | Path, *, mapping: dict[str, str]) -> Iterator[ParsedRecord]:
    """Yield a record per non-blank line; a broken line is a record with an error, not the end."""
    number = 0
    with open_binary(path) as handle:
        try:
            for number, raw_line in bounded_lines(handle):
                if raw_line is None or raw_line.strip():
                    yield _parse_line(ParsedRecord(path=str(path), line=number), raw_line, mapping)
        except InputStopped as error:
            yield ParsedRecord(path=str(path), line=number + 1, error=str(error))


def _parse_line(record: ParsedRecord, raw_line: bytes | None, mapping: dict[str, str]) -> ParsedRecord:
    if raw_line is None:
        record.error = LINE_TOO_LONG
        return record
    try:
        data = json.loads(raw_line.decode("utf-8"))
    except UnicodeDecodeError:
        record.error = "not valid UTF-8 (is the file in another encoding?)"
    except json.JSONDecodeError as error:
        record.error = f"broken JSON: {error.msg} at column {error.colno}"
    except RecursionError:
        record.error = "JSON nested too deeply"
    else:
        if isinstance(data, dict):
            record.fields = apply_mapping(data, mapping)
        else:
            record.error = f"expected a JSON object, found {type(data).__name__}"
    return record
