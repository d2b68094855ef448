"""Citations of one article: RIS, BibTeX, CSL-JSON and a Chicago (notes) line, from one set of facts."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

import rispy
from django.utils.html import format_html

from archive.models import Article

STYLES = {
    "ris": ("application/x-research-info-systems; charset=utf-8", "ris"),
    "bibtex": ("application/x-bibtex; charset=utf-8", "bib"),
    "csl-json": ("application/vnd.citationstyles.csl+json; charset=utf-8", "json"),
}
SPACES = re.compile(r"\s+")
BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
BIBTEX_SPECIAL = re.compile("|".join(re.escape(c) for c in BIBTEX_SPECIALS))
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def one_line(text: str) -> str:
    """Newlines, tabs and runs of spaces become one space: every format wants single-line values."""
    return SPACES.sub(" ", text or "").strip()


@dataclass(frozen=True)
class CitedArticle:
    """What every citation format needs, already flattened to single lines."""

    id: int
    headline: str
    byline: str
    source_name: str
    source_slug: str
    published: dt.date
    permalink: str
    original_url: str
    language: str
    rights: str
    accessed: dt.date

    @classmethod
    def of(cls, article: Article, *, permalink: str, accessed: dt.date) -> CitedArticle:
        source = article.source
        return cls(
            id=article.pk,
            headline=one_line(article.headline),
            byline=one_line(article.byline),
            source_name=one_line(source.name) if source else "",
            source_slug=source.slug if source else "archive",
            published=article.published_on,
            permalink=permalink,
            original_url=article.url,
            language=article.language,
            rights=one_line(source.rights) if source else "",
            accessed=accessed,
        )

    @classmethod
    def from_values(cls, row: dict, *, permalink: str, accessed: dt.date) -> CitedArticle:
        """From an export row (plain values, see exports._batch_rows)."""
        return cls(
            id=row["pk"],
            headline=one_line(row["headline"]),
            byline=one_line(row["byline"]),
            source_name=one_line(row["source_name"] or ""),
            source_slug=row["source_slug"] or "archive",
            published=row["published_on"],
            permalink=permalink,
            original_url=row["source_url"],
            language=row["language"],
            rights=one_line(row["rights"] or ""),
            accessed=accessed,
        )

    @property
    def note(self) -> str:
        """The original address and the terms the text is held under, for the formats with a note."""
        parts = [
            f"Original: {self.original_url}" if self.original_url else "",
            f"Rights: {self.rights}" if self.rights else "",
        ]
        return ". ".join(p for p in parts if p)

    @property
    def key(self) -> str:
        """The BibTeX key and CSL id: <sourceslug><yyyy><mm><dd><id>, letters and digits only."""
        slug = re.sub(r"[^a-z0-9]", "", self.source_slug.lower()) or "archive"
        return f"{slug}{self.published:%Y%m%d}{self.id}"


# --------------------------------------------------------------------------- RIS


class _RisWriter(rispy.RisWriter):
    """rispy's writer without its numbered header line before each record."""

    def set_header(self, count: int) -> str:
        return ""


def ris_record(cited: CitedArticle) -> dict:
    record = {
        "type_of_reference": "NEWS",
        "title": cited.headline,
        "secondary_title": cited.source_name,
        "date": f"{cited.published:%Y/%m/%d}/",
        "year": f"{cited.published:%Y}",
        "urls": [cited.permalink, *([cited.original_url] if cited.original_url else [])],
        "access_date": f"{cited.accessed:%Y/%m/%d}",
        "language": cited.language,
        "id": cited.key,
    }
    if cited.byline:
        record["authors"] = [cited.byline]
    if cited.rights:
        record["notes"] = [f"Rights: {cited.rights}"]
    return record


def ris(citations: list[CitedArticle]) -> str:
    return rispy.dumps([ris_record(c) for c in citations], implementation=_RisWriter)


# --------------------------------------------------------------------------- BibTeX


def bibtex_escape(text: str) -> str:
    return BIBTEX_SPECIAL.sub(lambda m: BIBTEX_SPECIALS[m.group(0)], one_line(text))


def url_for_bibtex(url: str) -> str:
    """URLs are read verbatim (url/biblatex): only braces, which would unbalance the entry, are encoded."""
    return url.replace("{", "%7B").replace("}", "%7D")


def bibtex(cited: CitedArticle) -> str:
    """One @article entry; the title double-braced so reference managers keep its capitals."""
    braced = [
        ("author", f"{{{bibtex_escape(cited.byline)}}}" if cited.byline else ""),
        ("title", f"{{{bibtex_escape(cited.headline)}}}"),
        ("journal", bibtex_escape(cited.source_name)),
        ("year", f"{cited.published:%Y}"),
    ]
    more = [
        ("date", f"{cited.published:%Y-%m-%d}"),
        ("url", url_for_bibtex(cited.permalink)),
        ("urldate", f"{cited.accessed:%Y-%m-%d}"),
        ("note", bibtex_escape(cited.note)),
        ("language", bibtex_escape(cited.language)),
    ]
    lines = [f"  {name} = {{{value}}}," for name, value in braced if value]
    lines.append(f"  month = {MONTHS[cited.published.month - 1]},")  # a standard macro, unbraced
    lines += [f"  {name} = {{{value}}}," for name, value in more if value]
    return f"@article{{{cited.key},\n" + "\n".join(lines) + "\n}\n"


# --------------------------------------------------------------------------- CSL-JSON


def csl_item(cited: CitedArticle) -> dict:
    item = {
        "id": cited.key,
        "type": "article-newspaper",
        "title": cited.headline,
        "container-title": cited.source_name,
        "issued": {"date-parts": [[cited.published.year, cited.published.month, cited.published.day]]},
        "accessed": {"date-parts": [[cited.accessed.year, cited.accessed.month, cited.accessed.day]]},
        "URL": cited.permalink,
        "language": cited.language,
    }
    if cited.byline:
        item["author"] = [{"literal": cited.byline}]
    if cited.note:
        item["note"] = cited.note
    return item


def csl_json(citations: list[CitedArticle]) -> str:
    return json.dumps([csl_item(c) for c in citations], ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- formatted


def chicago_note(cited: CitedArticle) -> str:
    """Chicago notes-bibliography, note form (names as printed, not inverted), as safe HTML."""
    date = f"{cited.published:%B} {cited.published.day}, {cited.published.year}"
    accessed = f"{cited.accessed:%B} {cited.accessed.day}, {cited.accessed.year}"
    author = format_html("{}, ", cited.byline) if cited.byline else ""
    source = format_html("<cite>{}</cite>, ", cited.source_name) if cited.source_name else ""
    return format_html(
        "{}“{},” {}{}, accessed {}, {}.", author, cited.headline, source, date, accessed, cited.permalink
    )


def formatted(style: str, citations: list[CitedArticle]) -> str:
    """The citations in a downloadable style: ris, bibtex or csl-json."""
    if style == "ris":
        return ris(citations)
    if style == "bibtex":
        return "\n".join(bibtex(c) for c in citations)
    return csl_json(citations)
