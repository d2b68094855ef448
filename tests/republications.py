"""Republications of real Reuters-21578 stories, as other outlets print them, and roundups.

Each original becomes three copies in other outlets, dated one to five days later: verbatim behind a
credit line, trimmed to its first paragraphs, and lightly edited (a word in thirty changed). A roundup
strings together one sentence from each of several stories. `python -m tests.republications OUT.jsonl`
writes the file the Done-when of issue 20 imports after Reuters-21578.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from archive.importers import reuters
from archive.importers.normalise import normalise

REUTERS = Path(__file__).resolve().parents[2] / "shared" / "data" / "reuters21578"
OUTLETS = ("Daily Gazette", "Evening Courier", "Harbour Times")
EDITS = {"said": "stated", "the": "this", "would": "will", "and": "as well as", "to": "toward"}
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"])")


@dataclass(frozen=True)
class Original:
    external_id: str
    headline: str
    body: str
    published_on: dt.date


def originals(path: Path, *, count: int, min_words: int = 120) -> list[Original]:
    """The first `count` long Reuters stories of a file (long enough to trim and still be most of it)."""
    found = []
    for record in reuters.read_reuters(path):
        values = normalise(record) if record.error is None else None
        if values and len(values.body.split()) >= min_words and not values.body.isupper():
            found.append(Original(values.external_id, values.headline, values.body, values.published_on))
            if len(found) == count:
                break
    return found


def _paragraphs(body: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n|\n {3,}", body) if p.strip()]


def trimmed(body: str) -> str:
    """The first paragraphs, about the first 60 % of the words."""
    kept, words, total = [], 0, len(body.split())
    for paragraph in _paragraphs(body):
        kept.append(paragraph)
        words += len(paragraph.split())
        if words >= 0.6 * total:
            break
    return "\n\n".join(kept)


def lightly_edited(body: str) -> str:
    """One word in thirty changed (the first in each run of thirty that has a stand-in)."""
    tokens = body.split(" ")
    for start in range(0, len(tokens), 30):
        for i in range(start, min(start + 30, len(tokens))):
            if tokens[i] in EDITS:
                tokens[i] = EDITS[tokens[i]]
                break
    return " ".join(tokens)


def copies_of(original: Original) -> list[dict]:
    """Three republications in other outlets: verbatim with a credit, trimmed, lightly edited."""
    texts = (
        f"LONDON (Reuters) - {original.body}",
        trimmed(original.body) + "\n\n— Reuters",
        lightly_edited(original.body),
    )
    return [
        {
            "headline": f"{original.headline.title()} ({outlet})",
            "body": text,
            "published": (original.published_on + dt.timedelta(days=days)).isoformat(),
            "source": outlet,
            "external_id": f"{slug}-{original.external_id}",
            "language": "en",
        }
        for (outlet, text, days, slug) in zip(
            OUTLETS, texts, (1, 3, 5), ("verbatim", "trimmed", "edited"), strict=True
        )
    ]


def word_for_word(originals_: list[Original], *, outlets: tuple[str, ...] = OUTLETS[:2]) -> list[dict]:
    """Each original reprinted with its text unchanged (only the headline and outlet differ), as sites
    that republish the wire do: the reprints join their story through the original itself."""
    return [
        {
            "headline": f"{original.headline.title()} ({outlet})",
            "body": original.body,
            "published": (original.published_on + dt.timedelta(days=2)).isoformat(),
            "source": outlet,
            "external_id": f"reprint{number}-{original.external_id}",
            "language": "en",
        }
        for original in originals_
        for number, outlet in enumerate(outlets, 1)
    ]


def roundup(originals_: list[Original], number: int) -> dict:
    """One sentence (the first of 12 to 40 words after the lead) from each of several stories."""
    sentences = []
    for original in originals_:
        parts = SENTENCE.split(" ".join(original.body.split()))
        fitting = [p for p in parts[1:] if 12 <= len(p.split()) <= 40]
        if fitting:
            sentences.append(fitting[0])
    return {
        "headline": f"The week in business, part {number}",
        "body": " ".join(sentences),
        "published": (originals_[0].published_on + dt.timedelta(days=7)).isoformat(),
        "source": "Weekly Digest",
        "external_id": f"roundup-{number}",
        "language": "en",
    }


def records(originals_: list[Original], *, roundup_size: int = 8) -> list[dict]:
    """Every original's copies, then a roundup per `roundup_size` originals."""
    rows = [copy for original in originals_ for copy in copies_of(original)]
    for number, start in enumerate(range(0, len(originals_) - roundup_size + 1, roundup_size), 1):
        rows.append(roundup(originals_[start : start + roundup_size], number))
    return rows


def main(out: str, file: str = "reut2-000.sgm", count: int = 100) -> None:
    rows = records(originals(REUTERS / file, count=int(count)))
    Path(out).write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    print(f"{len(rows)} records written to {out}")


if __name__ == "__main__":
    main(*sys.argv[1:])
