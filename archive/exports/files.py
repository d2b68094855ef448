"""Every match of a search as a file: CSV, JSON Lines, RIS, BibTeX or CSL-JSON, streamed batch by batch."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from operator import itemgetter

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import F, OuterRef
from django.db.models.functions import Left
from django.utils.translation import gettext as _

from archive import openapi
from archive.api_items import api_item, permalink
from archive.csv_cells import csv_text
from archive.exports import citations
from archive.models import Article
from archive.search import ordering

BATCH_SIZE = 1000
FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "jsonl": ("application/jsonl; charset=utf-8", "jsonl"),
    **citations.STYLES,
}
# The API item's keys plus the body; `rights` travels with every record whatever the choice.
FIELDS = [*openapi.RESULT["required"], "body"]
DEFAULT_FIELDS = [f for f in FIELDS if f != "body"]
SNIPPET_CHARACTERS = 300


class ExportError(ValueError):
    """A parameter of the export (not of the search) is wrong."""


@dataclass(frozen=True)
class ExportRequest:
    format: str
    fields: list[str]
    site: str  # scheme and host, for permalinks
    accessed: dt.date


def export_request(params, *, site: str, accessed: dt.date) -> ExportRequest:
    """Check `format` and `fields`; ExportError names what is wrong."""
    fmt = params.get("format", "")
    if fmt not in FORMATS:
        raise ExportError(_("format must be one of: %(choices)s") % {"choices": ", ".join(FORMATS)})
    fields = DEFAULT_FIELDS
    if params.get("fields"):
        fields = [name.strip() for name in params["fields"].split(",") if name.strip()]
        unknown = [name for name in fields if name not in FIELDS]
        if unknown or not fields:
            raise ExportError(
                _("unknown field %(fields)s; choose from: %(choices)s")
                % {"fields": ", ".join(unknown) or _("(none)"), "choices": ", ".join(FIELDS)}
            )
    return ExportRequest(format=fmt, fields=fields, site=site, accessed=accessed)


def _slugs(through_model, column: str) -> ArraySubquery:
    """The slugs of an article's places (or topics), as one array column: no model per row."""
    links = through_model.objects.filter(article_id=OuterRef("pk")).order_by(f"{column}__slug")
    return ArraySubquery(links.values(f"{column}__slug"))


def _batch_rows(ids: list[int], *, with_body: bool) -> list[dict]:
    """The batch's articles as plain values (one query, no model instances), in the batch's order."""
    fields = [
        "pk",
        "slug",
        "headline",
        "byline",
        "agency",
        "published_on",
        "published_at",
        "language",
        "summary",
    ]
    named = {
        "source_url": F("url"),
        "body_start": Left("body", SNIPPET_CHARACTERS),
        "source_slug": F("source__slug"),
        "source_name": F("source__name"),
        "rights": F("source__rights"),
        "place_slugs": _slugs(Article.places.through, "place"),
        "topic_slugs": _slugs(Article.topics.through, "topic"),
    }
    rows = Article.objects.filter(pk__in=ids).values(*fields, *(["body"] if with_body else []), **named)
    return ordering.in_id_order(rows, ids, key=itemgetter("pk"))


def _permalink(export: ExportRequest, row: dict) -> str:
    return permalink(export.site, row["pk"], row["slug"])


def record(row: dict, export: ExportRequest) -> dict:
    """One match as the API's item (chosen fields) plus the source's rights."""
    values = api_item(
        pk=row["pk"],
        url=_permalink(export, row),
        source_url=row["source_url"],
        headline=row["headline"],
        published_on=row["published_on"],
        published_at=row["published_at"],
        source=row["source_slug"],
        agency=row["agency"],
        language=row["language"],
        byline=row["byline"],
        places=row["place_slugs"],
        topics=row["topic_slugs"],
        snippet=citations.one_line(row["summary"] or row["body_start"])[:SNIPPET_CHARACTERS],
    )
    if "body" in export.fields:
        values["body"] = row["body"]
    item = {name: values[name] for name in export.fields}
    item["rights"] = row["rights"] or ""
    return item


def _csv_chunk(items: list[dict], columns: list[str], *, header: bool) -> str:
    rows = [
        ["; ".join(v) if isinstance(v, list) else ("" if v is None else v) for v in item.values()]
        for item in items
    ]
    return csv_text([columns, *rows] if header else rows)


def _citations(rows: list[dict], export: ExportRequest) -> list[citations.CitedArticle]:
    return [
        citations.CitedArticle.from_values(row, permalink=_permalink(export, row), accessed=export.accessed)
        for row in rows
    ]


def _encode(articles: list[dict], export: ExportRequest, *, first: bool) -> str:
    """One batch in the export's format; `first` says whether a header or opening bracket is due."""
    if export.format == "csv":
        return _csv_chunk([record(a, export) for a in articles], [*export.fields, "rights"], header=False)
    if export.format == "jsonl":
        return "".join(json.dumps(record(a, export), ensure_ascii=False) + "\n" for a in articles)
    cited = _citations(articles, export)
    if export.format == "ris":
        return citations.ris(cited)
    if export.format == "bibtex":
        return "".join(citations.bibtex(c) + "\n" for c in cited)
    items = ",\n".join(json.dumps(citations.csl_item(c), ensure_ascii=False) for c in cited)
    return items if first else ",\n" + items


def stream(matches, sort: str, export: ExportRequest) -> Iterator[str]:
    """The whole file, batch by batch: keyset reads, constant memory, no cap."""
    if export.format == "csv":
        yield _csv_chunk([], [*export.fields, "rights"], header=True)
    if export.format == "csl-json":
        yield "[\n"
    first = True
    for ids in ordering.keyset_batches(matches.select_related(None), sort, BATCH_SIZE):
        yield _encode(_batch_rows(ids, with_body="body" in export.fields), export, first=first)
        first = False
    if export.format == "csl-json":
        yield "\n]\n"
