"""Keyset (cursor) paging: deep pages cost what the first one does, and every match is reached once."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Iterator
from operator import attrgetter

from django.core import signing
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

# Sort keys per order, most significant first: (field, descending).
ORDERINGS = {
    "relevance": [("rank", True), ("published_on", True), ("id", True)],
    "newest": [("published_on", True), ("id", True)],
    "oldest": [("published_on", False), ("id", False)],
}


class BadCursor(ValueError):
    """The cursor was not made by this site (or not for this sort)."""


# Signed with the site's secret: a cursor is opaque, and one not made here is refused before its
# values are read. "." joins value and signature, so the cursor needs no escaping in a URL.
CURSOR_SIGNER = signing.Signer(salt="archive.paging.cursor", sep=".")
MAX_ID = 2**63 - 1  # bigint


def in_id_order(rows: Iterable, ids: list[int], *, key: Callable = attrgetter("pk")) -> list:
    """`rows` in the order of `ids`, fetched in any order: an id with no row is skipped."""
    by_id = {key(row): row for row in rows}
    return [by_id[pk] for pk in ids if pk in by_id]


def order(queryset: QuerySet, sort: str) -> QuerySet:
    return queryset.order_by(*[f"-{f}" if desc else f for f, desc in ORDERINGS[sort]])


def ids_then_rows(ordered: QuerySet, start: int, stop: int) -> list:
    """`ordered[start:stop]` in two statements: the ids first, which under a date order an index-only
    scan of article_listing_date finds by testing the filters on its own tuples (a filtered list skips
    thousands of rows to fill a page), then only those rows."""
    ids = list(ordered.values_list("pk", flat=True)[start:stop])
    if not ids:
        return []
    return in_id_order(ordered.order_by().filter(pk__in=ids), ids)


def signed_cursor(data: dict) -> str:
    """The cursor carrying `data`: URL-safe base64 of its JSON, and a signature."""
    return CURSOR_SIGNER.sign_object(data)


def encode(sort: str, article, direction: str) -> str:
    values = [getattr(article, name) for name, _ in ORDERINGS[sort]]
    values = [v.isoformat() if isinstance(v, dt.date) else v for v in values]
    return signed_cursor({"s": sort, "d": direction, "v": values})


def _key_value(name: str, value):
    """One sort key's value, of exactly the type its column holds; BadCursor otherwise."""
    if name == "published_on" and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    elif name == "id" and type(value) is int and 0 < value <= MAX_ID:
        return value
    elif name == "rank" and type(value) in (int, float) and math.isfinite(value):
        return float(value)
    raise BadCursor("this cursor is not valid")


def decode(cursor: str, sort: str) -> tuple[str, list]:
    """(direction, key values) of a cursor; BadCursor if it is not one of ours for this sort."""
    try:
        data = CURSOR_SIGNER.unsign_object(cursor)
    except (signing.BadSignature, ValueError) as error:
        raise BadCursor("this cursor is not valid") from error
    if not isinstance(data, dict) or data.get("s") != sort:
        raise BadCursor("this cursor belongs to another search order")
    values, direction = data.get("v"), data.get("d")
    if direction not in ("after", "before") or not isinstance(values, list):
        raise BadCursor("this cursor is not valid")
    if len(values) != len(ORDERINGS[sort]):
        raise BadCursor("this cursor belongs to another search order")
    return direction, [_key_value(name, v) for (name, _), v in zip(ORDERINGS[sort], values, strict=True)]


def _beyond(sort: str, values: list, direction: str) -> Q:
    """Rows strictly after (or before) the key values in the given order."""
    keys = ORDERINGS[sort]
    condition = Q(pk__in=[])
    for i, (name, descending) in enumerate(keys):
        forward = descending if direction == "after" else not descending
        lookup = "lt" if forward else "gt"
        equal = {keys[j][0]: values[j] for j in range(i)}
        condition |= Q(**equal, **{f"{name}__{lookup}": values[i]})
    return condition


def page_after(queryset: QuerySet, sort: str, cursor: str | None, size: int) -> tuple[list, bool, bool]:
    """A page of rows from a cursor: (rows, has_more_after, has_more_before)."""
    if not cursor:
        rows = _first_rows(order(queryset, sort), sort, size + 1)
        return rows[:size], len(rows) > size, False
    direction, values = decode(cursor, sort)
    beyond = queryset.filter(_beyond(sort, values, direction))
    if direction == "after":
        rows = _first_rows(order(beyond, sort), sort, size + 1)
        return rows[:size], len(rows) > size, True
    reversed_sort = [f if desc else f"-{f}" for f, desc in ORDERINGS[sort]]
    rows = _first_rows(beyond.order_by(*reversed_sort), sort, size + 1)
    return list(reversed(rows[:size])), True, len(rows) > size


def _first_rows(ordered: QuerySet, sort: str, size: int) -> list:
    if sort == "relevance":  # the rank is computed per row: no index orders it
        return list(ordered[:size])
    return ids_then_rows(ordered, 0, size)


def _after_row(queryset: QuerySet, sort: str, values: list) -> QuerySet:
    """Rows after the key values; date orders use a row comparison, served by the (status, date, id) index."""
    if sort == "relevance":
        return queryset.filter(_beyond(sort, values, "after"))
    operator = "<" if sort == "newest" else ">"
    condition = RawSQL(
        f'("archive_article"."published_on", "archive_article"."id") {operator} (%s, %s)',
        values,
        output_field=BooleanField(),
    )
    return queryset.filter(condition)


def keyset_batches(queryset: QuerySet, sort: str, size: int) -> Iterator[list[int]]:
    """The ids of every match, in order, a batch at a time: one short query per batch, nothing held."""
    keys = [name for name, _ in ORDERINGS[sort]]
    only = [k for k in keys if k != "rank"]
    rows_query, values = order(queryset, sort).only(*only), None
    while True:
        selected = rows_query if values is None else _after_row(rows_query, sort, values)
        rows = list(selected[:size])
        if not rows:
            return
        yield [row.pk for row in rows]
        if len(rows) < size:
            return
        values = [getattr(rows[-1], key) for key in keys]
