"""Validate and clean one parsed record into the values an article is written from."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from archive import agencies
from archive.dates import article_date_problem, article_date_warning
from archive.importers.records import LIST_FIELDS, ParsedRecord
from archive.text_config import LANGUAGE_CODE

MAX_BODY_CHARS = 1_000_000
MAX_HEADLINE_CHARS = 500
TEXT_LIMITS = {"byline": 300, "dateline": 200, "agency": 100, "external_id": 200}
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
MAX_NAME_CHARS = 200  # a place's, topic's or source's name


@dataclass
class ArticleValues:
    """Clean values for one article, plus the names of its places and topics by kind."""

    headline: str
    published_on: dt.date
    published_at: dt.datetime | None
    body: str = ""
    summary: str = ""
    byline: str = ""
    dateline: str = ""
    agency: str = ""
    url: str = ""
    external_id: str = ""
    language: str = ""  # "" until detected (the record gave none)
    language_detected: bool = False
    source: str = ""
    tags: dict[str, list[str]] = field(default_factory=dict)
    _hash: str = field(default="", repr=False, compare=False)

    def content_hash(self) -> str:
        """The upsert key of a record with neither an id nor a url (computed once)."""
        if self._hash:
            return self._hash
        text = "\x1f".join([self.headline, self.published_on.isoformat(), self.body, self.summary])
        self._hash = hashlib.sha256(text.encode()).hexdigest()
        return self._hash


def clean_text(value) -> str:
    """A string without control characters (other than newlines and tabs), stripped."""
    if value is None:
        return ""
    return CONTROL_CHARS.sub("", str(value)).strip()


def canonical_url(value: str) -> str:
    """Scheme and host lower-cased, `utm_*` parameters and a trailing slash removed."""
    parts = urlsplit(value.strip())
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not k.lower().startswith("utm_")
        ]
    )
    path = parts.path.rstrip("/") if parts.path not in ("", "/") else ""
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))


def parse_published(value) -> tuple[dt.date, dt.datetime | None]:
    """A date, or a date-time (naive means UTC): raises ValueError when it is neither."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        return value, None
    else:
        text = clean_text(value)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text), None
        moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.date(), moment


def _as_list(value) -> list[str]:
    if value is None or value == "":
        return []
    items = value if isinstance(value, (list, tuple)) else [value]
    return [clean_text(item) for item in items if clean_text(item)]


def _truncate(record: ParsedRecord, name: str, text: str, limit: int) -> str:
    if len(text) > limit:
        record.warnings.append(f"{name} longer than {limit:,} characters, truncated")
        return text[:limit]
    return text


def _unusable(fields: dict) -> str | None:
    """Why a record cannot be stored at all (text PostgreSQL refuses, names too long), or None."""
    for name, value in fields.items():
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and LONE_SURROGATE.search(text):
                return f"{name} contains a lone surrogate (broken UTF-16, e.g. \\ud800): not valid Unicode"
    if len(clean_text(fields.get("source"))) > MAX_NAME_CHARS:
        return f"source name longer than {MAX_NAME_CHARS} characters"
    for name in LIST_FIELDS:
        if any(len(tag) > MAX_NAME_CHARS for tag in _as_list(fields.get(name))):
            return f"{name}: a name longer than {MAX_NAME_CHARS} characters"
    return None


def normalise(record: ParsedRecord) -> ArticleValues | None:
    """Clean values for the record, or None with `record.error` set when it cannot be imported."""
    fields = record.fields
    record.error = _unusable(fields)
    if record.error:
        return None
    headline = " ".join(clean_text(fields.get("headline")).split())
    if not headline:
        record.error = "missing headline"
        return None
    if fields.get("published") in (None, ""):
        record.error = "missing published date"
        return None
    try:
        published_on, published_at = parse_published(fields["published"])
    except (ValueError, TypeError, OverflowError):
        record.error = f"unparsable date {clean_text(fields['published'])[:40]!r}"
        return None
    record.error = article_date_problem(published_on)
    if record.error:
        return None
    if warning := article_date_warning(published_on, dt.date.today()):
        record.warnings.append(warning)
    values = ArticleValues(
        headline=_truncate(record, "headline", headline, MAX_HEADLINE_CHARS),
        published_on=published_on,
        published_at=published_at,
        body=_truncate(record, "body", clean_text(fields.get("body")), MAX_BODY_CHARS),
        summary=clean_text(fields.get("summary")),
        source=clean_text(fields.get("source")),
        tags={name: _as_list(fields.get(name)) for name in LIST_FIELDS},
    )
    for name, limit in TEXT_LIMITS.items():
        setattr(values, name, _truncate(record, name, clean_text(fields.get(name)), limit))
    if not values.agency:  # none given: the credit line's, if it names one (archive.agencies)
        values.agency = agencies.detect(
            body=values.body, summary=values.summary, dateline=values.dateline, byline=values.byline
        )
    values.url = _clean_url(record, clean_text(fields.get("url")))
    given = clean_text(fields.get("language")).lower()
    values.language = _clean_language(record, given) if given else ""
    return values


def _clean_url(record: ParsedRecord, url: str) -> str:
    if not url:
        return ""
    if not re.match(r"^https?://[^\s/]+", url, flags=re.IGNORECASE) or len(url) > 2000:
        record.warnings.append(f"url {url[:60]!r} is not an http(s) address; left out")
        return ""
    return canonical_url(url)


def _clean_language(record: ParsedRecord, language: str) -> str:
    if LANGUAGE_CODE.match(language):
        return language
    record.warnings.append(f"language {language[:20]!r} is not an ISO 639-1 code; detected instead")
    return ""
