"""JSON Lines: one JSON object per line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from archive.importers.records import ParsedRecord, apply_mapping, open_binary


def read_jsonl(path: str | Path, *, mapping: dict[str, str]) -> Iterator[ParsedRecord]:
    """Yield a record per non-blank line; a broken line is a record with an error, not the end."""
    with open_binary(path) as handle:
        for number, raw_line in enumerate(handle, start=1):
            if not raw_line.strip():
                continue
            record = ParsedRecord(path=str(path), line=number)
            try:
                data = json.loads(raw_line.decode("utf-8"))
            except UnicodeDecodeError:
                record.error = "not valid UTF-8 (is the file in another encoding?)"
            except json.JSONDecodeError as error:
                record.error = f"broken JSON: {error.msg} at column {error.colno}"
            else:
                if isinstance(data, dict):
                    record.fields = apply_mapping(data, mapping)
                else:
                    record.error = f"expected a JSON object, found {type(data).__name__}"
            yield record
