"""CSV with a header row of field names; list fields separated by `;`."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from archive.importers.records import (
    LINE_TOO_LONG,
    LIST_FIELDS,
    MAX_LINE_BYTES,
    InputStopped,
    ParsedRecord,
    apply_mapping,
    bounded_lines,
    open_binary,
)

# Bodies can be long (the csv module's default field limit, 128 kB, is far too small), but no field
# may be longer than a line may be.
csv.field_size_limit(MAX_LINE_BYTES)


def _split_lists(fields: dict) -> dict:
    for name in LIST_FIELDS:
        if isinstance(fields.get(name), str):
            fields[name] = [part.strip() for part in fields[name].split(";") if part.strip()]
    return fields


def read_csv(path: str | Path, *, mapping: dict[str, str]) -> Iterator[ParsedRecord]:
    """Yield a record per data row, numbered by the line on which the row starts."""
    problems: dict[int, str] = {}
    with open_binary(path) as binary:
        reader = csv.DictReader(_text_lines(binary, problems))
        try:
            yield from _rows(str(path), reader, problems, mapping)
        except InputStopped as error:
            yield ParsedRecord(path=str(path), line=reader.line_num + 1, error=str(error))


def _text_lines(binary, problems: dict[int, str]) -> Iterator[str]:
    """Decoded lines; an over-long or undecodable line becomes an empty one, its problem noted."""
    for number, raw in bounded_lines(binary):
        try:
            text = raw.decode("utf-8") if raw is not None else None
        except UnicodeDecodeError:
            text = None
            problems[number] = "not valid UTF-8 (is the file in another encoding?)"
        if text is None:
            problems.setdefault(number, LINE_TOO_LONG)
            text = "\n"
        yield text


def _rows(path: str, reader: csv.DictReader, problems: dict, mapping: dict) -> Iterator[ParsedRecord]:
    line = 2
    while True:
        record = ParsedRecord(path=path, line=line)
        try:
            row = next(reader)
        except StopIteration:
            row = None
        except csv.Error as error:
            row, record.error = {}, f"malformed CSV: {error}"
        for number in sorted(problems):  # lines skipped before this row
            yield ParsedRecord(path=path, line=number, error=problems.pop(number))
        if row is None:
            return
        if record.error is None:
            record.fields = _fields(record, row, mapping)
        yield record
        line = reader.line_num + 1


def _fields(record: ParsedRecord, row: dict, mapping: dict) -> dict:
    if None in row:
        record.warnings.append("more values than header columns; extra values ignored")
        row.pop(None)
    return _split_lists(apply_mapping(row, mapping))
