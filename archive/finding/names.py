"""Which of the archive's people and organisations an article names — a dictionary, no database.

English has no named-entity model on the package index from spaCy's own hands (only re-uploads by
third parties), so the archive's own person and organisation topics are the dictionary — their names
and aliases, matched as whole words with the same automaton as places (`places.PlaceFinder`):

- a **full name** (a person's of two words or more, an organisation's) wherever it is written in its
  case ("Ronald Reagan", "International Wrought Copper Council");
- an **acronym** alias of four capitals or more ("OPEC", "IWCC", "GATT") written in capitals — never
  two or three: on Reuters "ATT" was AT&T, not Amadou Toumani Touré, "ITC" the Trade Commission,
  not the Tin Council, "HRW" hard red winter wheat (and "UN" is also the French "un");
- never a **surname** alone ("Reagan", "Martin", "Wilson": Reuters' people codes are surnames, and
  in another decade's news they name other people — measured on the HuffPost sample, most surname
  matches were someone else).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

from archive.finding.places import HEADLINE, WORD, fold, text_in_capitals

TEXT = "text"
TEXT_CHARS = 2000  # how much of the summary and body are read for names
ACRONYM_LETTERS = 4


@dataclass(frozen=True)
class Named:
    topic_id: int
    words: str
    where: str  # HEADLINE or TEXT

    @property
    def evidence(self) -> dict:
        return {"words": self.words, "where": self.where}


@dataclass(frozen=True)
class Entry:
    topic_id: int
    name: str  # as the dictionary writes it
    acronym: bool


class NameFinder:
    """The dictionary in one automaton: (topic id, name, kind, aliases) rows."""

    def __init__(self, topics: Iterable[tuple[int, str, str, list[str]]]):
        entries: dict[str, dict[int, Entry]] = {}
        for pk, name, kind, aliases in topics:
            for written in {name, *aliases}:
                entry = _entry(pk, written, kind, is_name=written == name)
                if entry is not None:
                    entries.setdefault(fold(written), {})[pk] = entry
        self.size = len(entries)
        self.automaton = ahocorasick.Automaton()
        for key, by_topic in entries.items():
            self.automaton.add_word(key, (len(key), tuple(by_topic.values())))
        if entries:
            self.automaton.make_automaton()

    def find(self, *, headline: str = "", text: str = "") -> list[Named]:
        """The people and organisations named, each once, at their first mention."""
        if not self.size:
            return []
        found, seen = [], set()
        for where, part in ((HEADLINE, headline), (TEXT, text[:TEXT_CHARS])):
            for words, entry in self._mentions(part):
                if entry.topic_id not in seen:
                    seen.add(entry.topic_id)
                    found.append(Named(entry.topic_id, " ".join(words.split()), where))
        return found

    def _mentions(self, text: str):
        if not text:
            return
        folded, last_end = fold(text), -1
        spans = []
        for end, (length, entries) in self.automaton.iter(folded):
            start = end - length + 1
            before = folded[start - 1] if start else " "
            after = folded[end + 1] if end + 1 < len(folded) else " "
            if not (before.isalnum() or after.isalnum()):
                spans.append((start, end + 1, entries))
        for start, stop, entries in sorted(spans, key=lambda s: (s[0], -s[1])):
            if start < last_end:
                continue
            words = text[start:stop]
            for entry in entries:
                if _written_as(entry, words, text):
                    last_end = stop
                    yield words, entry
                    break


def _entry(pk: int, written: str, kind: str, *, is_name: bool) -> Entry | None:
    """A dictionary entry for a full name or an acronym; None for what is neither (a surname)."""
    letters = sum(ch.isalpha() for ch in written)
    if written.isupper() and letters >= ACRONYM_LETTERS and " " not in written:
        return Entry(pk, written, acronym=True)
    words = WORD.findall(written)
    if not written[:1].isupper() or letters < 4:
        return None
    if kind == "person" and len(words) < 2:
        return None
    return Entry(pk, written, acronym=False) if is_name or len(words) >= 2 else None


def _written_as(entry: Entry, words: str, text: str) -> bool:
    """In the dictionary's case: an acronym in capitals, a name with its capitalised words capitalised."""
    if words.isupper():  # an acronym, not in a text all in capitals ("WHO", "AID"); a name in one
        return entry.acronym != text_in_capitals(text)
    if entry.acronym:
        return False
    return all(
        not n[:1].isupper() or w[:1].isupper()
        for n, w in zip(WORD.findall(entry.name), WORD.findall(words), strict=False)
    )
