"""Shared helpers for the import tests: paths to the shared data and small file writers."""

from __future__ import annotations

import json
from pathlib import Path

from archive.importers.service import ImportOptions, article_import

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
HUFFPOST = SHARED_DATA / "huffpost" / "News_Category_Dataset_v3.subset.json"
REUTERS = SHARED_DATA / "reuters21578"
HUFFPOST_MAP = {
    "summary": "short_description",
    "topics": "category",
    "published": "date",
    "byline": "authors",
    "url": "link",
}


def write_jsonl(path: Path, records: list) -> Path:
    """One line per record: dicts are dumped as JSON, strings written as they are."""
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_import(*paths, **options):
    """Import through the service, as the command does, and return the run."""
    return article_import(paths=list(paths), options=ImportOptions(**options))
