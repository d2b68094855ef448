"""Word 5-grams of an article's text: the unit of text reuse.

Two articles are copies of one story when most of the shorter one's 5-grams are in the longer one
(see `overlap.is_copy`). Candidates are found through a sample of each article's 5-grams, kept in
PostgreSQL: the 5-grams whose stable 32-bit hash is 0 modulo `SAMPLE_MODULUS`. The same 5-gram is
sampled in every article that holds it, so the shared samples of two articles estimate the share of
text they have in common without bias (Broder's "mod-p" sampling), which a MinHash of the whole
text cannot do for a trimmed copy (its Jaccard similarity with the original is low, its containment
high).
"""

from __future__ import annotations

import hashlib
import re
import zlib

SHINGLE_WORDS = 5
SAMPLE_MODULUS = 4
WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The text's words, lower-cased, without punctuation (numbers kept: they tell templates apart)."""
    return WORD.findall(text.casefold())


def shingles(text: str) -> set[str]:
    """Every distinct run of five words of `text` (none when it has fewer than five)."""
    tokens = words(text)
    return set(map(" ".join, zip(*(tokens[i:] for i in range(SHINGLE_WORDS)), strict=False)))


def stable_hash(shingle: str) -> int:
    """A 32-bit hash that is the same in every process (as a signed integer, for an int4 column)."""
    value = zlib.crc32(shingle.encode())
    return value - 2**32 if value >= 2**31 else value


def sample(grams: set[str]) -> list[int]:
    """The sampled 5-grams' hashes (as `stable_hash` gives them), sorted and distinct. 2**32 is a
    multiple of the modulus, so the unsigned CRC picks the same 5-grams as the signed hash."""
    crc = zlib.crc32
    picked = {c for c in (crc(gram.encode()) for gram in grams) if c % SAMPLE_MODULUS == 0}
    return sorted(c - 2**32 if c >= 2**31 else c for c in picked)


def fingerprint(grams: set[str]) -> int:
    """A signed 64-bit hash of the whole set of 5-grams (for a bigint column): two texts with the same
    5-grams have the same fingerprint, so a reprint word for word finds its original by one key. Equal
    fingerprints are not trusted alone: the counts and samples must agree too (`maintain._same_texts`)."""
    digest = hashlib.blake2b("\n".join(sorted(grams)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def article_text(body: str, summary: str) -> str:
    """What is compared: the body, else the summary (many records hold a summary only); never the
    headline, which a republication rewrites."""
    return body or summary
