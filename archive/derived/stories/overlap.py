"""When two articles are copies of one story: most of the shorter text is in the longer one.

"Most" is measured on distinct word 5-grams (`shingles`):

- **containment** ≥ 0.7: at least 70 % of the shorter text's 5-grams are in the other. A copy trimmed
  to its first paragraphs keeps 100 %; a light edit (a word changed every 30) keeps about 85 %.
  At 0.5 Reuters-21578's own templates merge: dividend notices, bond issues and prime-rate items
  that differ only in names and figures (1,213 pairs at 0.5 against 896 at 0.7; of a sample of
  pairs between 0.5 and 0.7, all were templates, none a resend).
- **coverage** ≥ 0.2: the shared text is at least a fifth of the longer one. A roundup quoting one
  paragraph from each of ten stories holds all of a very short story, but that story is a tenth of
  the roundup: the two are not copies, and the roundup does not tie its sources into one story.
- **at least 15 shared 5-grams** (about 19 running words): two one-line notices are not a story.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_CONTAINMENT = 0.7
MIN_COVERAGE = 0.2
MIN_SHARED = 15


@dataclass(frozen=True)
class Overlap:
    shared: int
    shorter: int
    longer: int

    @property
    def containment(self) -> float:
        """The share of the shorter text's 5-grams found in the other (0–1)."""
        return self.shared / self.shorter if self.shorter else 0.0

    @property
    def coverage(self) -> float:
        return self.shared / self.longer if self.longer else 0.0

    @property
    def is_copy(self) -> bool:
        return (
            self.shared >= MIN_SHARED
            and self.containment >= MIN_CONTAINMENT
            and self.coverage >= MIN_COVERAGE
        )


def measure(first: set[str], second: set[str]) -> Overlap:
    shorter, longer = sorted((len(first), len(second)))
    # The set intersection walks the smaller set in C (a Python generator over it was about 7 % of
    # the story work's GIL time in an import of 200,000 plain records).
    return Overlap(shared=len(first & second), shorter=shorter, longer=longer)
