"""CSV with a header row of field names; list fields separated by `;`."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from archive.importers.records import LIST_FIELDS, ParsedRecord, apply_mapping, open_binary

# Bodies can be long; the csv module's default field limit (128 kB) is far too small.
csv.field_size_limit(16 * 1024 * 1024)


def _split_lists(fields: dict) -> dict:
    for name in LIST_FIELDS:
        if isinstance(fields.get(name), str):
            fields[name] = [part.strip() for part in fields[name].split(";") if part.strip()]
    return fields


def read_csv(path: str | Path, *, mapping: dict[str, str]) -> Iterator[ParsedRecord]:
    """Yield a record per data row, numbered by the line on which the row starts."""
    with open_binary(path) as binary:
        text = io.TextIOWrapper(binary, encoding="utf-8", errors="strict", newline="")
        reader = csv.DictReader(text)
        line = 2
        while True:
            record = ParsedRecord(path=str(path), line=line)
            try:
                row = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError:
                record.error = (
                    "not valid UTF-8 (is the file in another encoding?); the rest of the file is unreadable"
                )
                yield record
                return
            except csv.Error as error:
                record.error = f"malformed CSV: {error}"
                yield record
                line = reader.line_num + 1
                continue
            if None in row:
                record.warnings.append("more values than header columns; extra values ignored")
                row.pop(None)
            record.fields = _split_lists(apply_mapping(row, mapping))
            yield record
            line = reader.line_num + 1
