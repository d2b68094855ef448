"""The one way the archive writes CSV: cells a spreadsheet would run as a formula are neutralised.

OWASP's rule for CSV injection: a text cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage
return gets a leading single quote, so the spreadsheet shows it as text. Numbers are left as they are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value):
    """`value` with a leading `'` when it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeCsvWriter:
    """csv.writer whose rows are neutralised cell by cell."""

    def __init__(self, stream):
        self._writer = csv.writer(stream)

    def writerow(self, row: Iterable) -> None:
        self._writer.writerow([neutralised(value) for value in row])


def csv_text(rows: Iterable[Iterable]) -> str:
    """Rows as CSV text, neutralised."""
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer)
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue()
