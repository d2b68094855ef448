"""A snapshot as a Frictionless Data Package in one zip: datapackage.json and articles.csv.

Everything in the zip comes from the snapshot's frozen versions and its own record (the file dates are
the snapshot's moment), so every download of a snapshot is the same bytes for the same address.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile

from archive.desk.snapshots import TEXT_FIELDS, snapshot_rows
from archive.models import Snapshot

COLUMNS = (
    ("position", "integer", "The article's place in the frozen result list (1 is first)."),
    ("id", "integer", "The article's id in the archive (/articles/<id>/)."),
    ("revision", "integer", "The revision of its text that was frozen."),
    ("published_on", "date", "The date as printed."),
    ("language", "string", "ISO 639-1 code (und: undetermined)."),
    ("source_id", "integer", "The source's id in the archive (/sources/)."),
    ("headline", "string", ""),
    ("byline", "string", ""),
    ("dateline", "string", ""),
    ("summary", "string", ""),
    ("body", "string", ""),
    ("url", "string", "The original's address, when known."),
    ("text_sha256", "string", "SHA-256 of headline, summary and body joined by newlines (UTF-8)."),
    (
        "withheld",
        "boolean",
        "true: the article was withdrawn from the archive after the freeze; its text columns are empty "
        "(text_sha256, and so the snapshot's checksum, are as frozen).",
    ),
)
CHECKSUM_METHOD = (
    "SHA-256 over one line per article, in position order: id, revision and text_sha256 separated by "
    "tabs, each line ending in a newline (ASCII)."
)


def articles_csv(snapshot: Snapshot) -> bytes:
    """The frozen articles as CSV (UTF-8, header row, RFC 4180 quoting, \\r\\n line ends)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow([name for name, _, _ in COLUMNS])
    for item, fields in snapshot_rows(snapshot):
        writer.writerow(
            [
                item.position,
                item.article_id,
                item.version.revision_id,
                fields.get("published_on") or "",
                fields.get("language") or "",
                fields.get("source") or "",
                *(fields.get(name) or "" for name in ("headline", "byline", "dateline", *TEXT_FIELDS[1:])),
                fields.get("url") or "",
                item.text_sha256,
                "true" if fields.get("withheld") else "false",
            ]
        )
    return out.getvalue().encode("utf-8")


def descriptor(snapshot: Snapshot, data: bytes, address: str) -> dict:
    """datapackage.json: the snapshot's record and the articles resource with its bytes and hash."""
    return {
        "name": f"snapshot-{snapshot.pk}",
        "id": address,
        "title": snapshot.title,
        "created": snapshot.created.isoformat(),
        "homepage": address,
        "snapshot": {
            "query": snapshot.query,
            "count": snapshot.count,
            "app_version": snapshot.app_version,
            "checksum": f"sha256:{snapshot.checksum}",
            "checksum_method": CHECKSUM_METHOD,
        },
        "resources": [
            {
                "name": "articles",
                "path": "articles.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": len(data),
                "hash": f"sha256:{hashlib.sha256(data).hexdigest()}",
                "schema": {
                    "fields": [
                        {"name": name, "type": kind, **({"description": text} if text else {})}
                        for name, kind, text in COLUMNS
                    ],
                    "primaryKey": ["position"],
                },
            }
        ],
    }


def _entry(name: str, snapshot: Snapshot) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=snapshot.created.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def package_zip(snapshot: Snapshot, address: str) -> bytes:
    """The zip: datapackage.json, then articles.csv."""
    data = articles_csv(snapshot)
    meta = json.dumps(descriptor(snapshot, data, address), ensure_ascii=False, indent=2, sort_keys=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(_entry("datapackage.json", snapshot), meta.encode("utf-8") + b"\n")
        archive.writestr(_entry("articles.csv", snapshot), data)
    return buffer.getvalue()
