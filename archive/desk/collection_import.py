"""A CSV of article ids or addresses into a collection; a line-numbered report of what matched nothing."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from archive.desk.collections import MAX_ITEMS, collection_add_many
from archive.models import Article, Collection

MAX_BYTES = 2_000_000
ARTICLE_PATH = re.compile(r"^/(?:api/)?articles/([0-9]{1,18})(?:/|$)")
HEADER_WORDS = {"id", "ids", "url", "urls", "article", "articles", "address", "link"}


@dataclass
class ImportReport:
    added: int = 0
    already: int = 0
    problems: list[str] = field(default_factory=list)  # "line 4: …", in line order


def _reference(cell: str) -> tuple[str, str | int] | None:
    """("id", 12) for an id or one of our article addresses, ("url", …) for an original's address."""
    cell = cell.strip()
    if cell.isdecimal() and len(cell) <= 18:
        return ("id", int(cell))
    parts = urlsplit(cell)
    own = ARTICLE_PATH.match(parts.path or "")
    if own and (not parts.netloc or parts.scheme in ("http", "https")):
        return ("id", int(own[1]))
    if parts.scheme in ("http", "https") and parts.netloc:
        return ("url", cell)
    return None


def _rows(data: bytes) -> list[tuple[int, str]]:
    """(line number, first cell) of each non-empty row; ValueError for what is not a CSV text."""
    if len(data) > MAX_BYTES:
        raise ValueError(f"The file is larger than {MAX_BYTES // 1_000_000} MB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(f"The file is not UTF-8 text (byte {error.start + 1}).") from error
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ValueError(f"line {line}: a NUL character, which no text holds.")
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            cells = [cell for cell in row if cell.strip()]
            if cells:
                rows.append((reader.line_num, cells[0]))
    except csv.Error as error:
        raise ValueError(f"line {reader.line_num}: {error}") from error
    return rows


def _resolve(references: dict[int, tuple[str, str | int]]) -> dict[int, int]:
    """Line → published article id, for the lines whose reference names one."""
    ids = {ref for kind, ref in references.values() if kind == "id"}
    urls = {ref for kind, ref in references.values() if kind == "url"}
    public = Article.objects.published()
    known_ids = set(public.filter(pk__in=ids).values_list("pk", flat=True))
    by_url = dict(public.filter(url__in=urls).values_list("url", "pk"))
    found = {}
    for line, (kind, ref) in references.items():
        pk = ref if kind == "id" and ref in known_ids else by_url.get(ref) if kind == "url" else None
        if pk is not None:
            found[line] = pk
    return found


def collection_import_csv(*, collection: Collection, data: bytes) -> ImportReport:
    """Add the articles a CSV names (first cell of each row: an id, our article address or the
    original's URL), in the file's order; a header row is skipped. Drafts match nothing."""
    report = ImportReport()
    rows = _rows(data)
    if len(rows) > MAX_ITEMS + 1:
        raise ValueError(f"At most {MAX_ITEMS:,} rows.")
    references, unreadable = {}, {}
    for line, cell in rows:
        reference = _reference(cell)
        if reference is not None:
            references[line] = reference
        elif not (line == rows[0][0] and cell.strip().lower() in HEADER_WORDS):
            unreadable[line] = f"“{cell[:80]}” is neither an article id nor an address"
    found = _resolve(references)
    unmatched = {
        line: f"“{str(ref)[:80]}” matches no published article"
        for line, (_, ref) in references.items()
        if line not in found
    }
    problems = {**unreadable, **unmatched}
    report.problems = [f"line {line}: {problems[line]}" for line in sorted(problems)]
    ordered = [found[line] for line in sorted(found)]
    report.added = collection_add_many(collection=collection, article_ids=ordered)
    report.already = len(dict.fromkeys(ordered)) - report.added
    return report
