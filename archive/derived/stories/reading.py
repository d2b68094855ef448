"""A story as pages and the API show it: its published copies by date, and how far they travelled."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass

from django.urls import reverse

from archive.derived.stories import overlap, shingles
from archive.models import Article, StoryMember

MAX_COPIES = 1000  # a story's copies listed on one page or answer (the size is always exact)
MAX_COMPARED_WORDS = 20_000  # words of each text a side-by-side comparison reads


@dataclass(frozen=True)
class Story:
    id: int
    copies: list[Article]  # published, by date then id (the first is the first appearance)
    size: int
    agency: str = ""  # the earliest copy's that names one: what a copy naming none is credited with

    @property
    def first(self) -> Article:
        return self.copies[0]

    @property
    def first_published(self) -> dt.date:
        return self.copies[0].published_on

    @property
    def last_published(self) -> dt.date:
        return max(copy.published_on for copy in self.copies)

    @property
    def days_spanned(self) -> int:
        return (self.last_published - self.first_published).days

    @property
    def url(self) -> str:
        return reverse("archive:story", args=[self.id])

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "size": self.size,
            "first_published": self.first_published.isoformat(),
            "days_spanned": self.days_spanned,
            "url": self.url,
        }


def _grams(article: Article) -> set[str]:
    return shingles.shingles(shingles.article_text(article.body, article.summary))


def story(story_id: int) -> Story | None:
    """The story of that id with its published copies (None when it has fewer than two)."""
    members = StoryMember.objects.filter(story_id=story_id).values("article_id")
    copies = Article.objects.published().select_related("source").filter(pk__in=members)
    size = copies.count()
    if size < 2:
        return None
    agency = StoryMember.objects.filter(story_id=story_id).values_list("agency", flat=True).first() or ""
    shown = list(copies.order_by("published_on", "id")[:MAX_COPIES])
    return Story(id=story_id, copies=shown, size=size, agency=agency)


def story_of(article: Article) -> Story | None:
    member = StoryMember.objects.filter(article_id=article.pk).values_list("story_id", flat=True).first()
    return story(member) if member is not None else None


def with_overlaps(reference: Article, copies: list[Article]) -> list[tuple[Article, float]]:
    """Each copy with the share of the shorter text (it or `reference`) found in the other (0–1)."""
    grams = _grams(reference)
    return [(copy, round(overlap.measure(grams, _grams(copy)).containment, 3)) for copy in copies]


@dataclass(frozen=True)
class Comparison:
    """Two texts word by word: each side's runs, marked kept, cut (first only) or added (copy only)."""

    first: list[tuple[str, str]]  # (kind, text): "same" or "cut"
    copy: list[tuple[str, str]]  # "same" or "added"
    truncated: bool


def compare(first: Article, copy: Article) -> Comparison:
    """What the copy cut, added and changed from the first appearance (difflib, word by word)."""
    a_words = shingles.article_text(first.body, first.summary).split()
    b_words = shingles.article_text(copy.body, copy.summary).split()
    truncated = max(len(a_words), len(b_words)) > MAX_COMPARED_WORDS
    a_words, b_words = a_words[:MAX_COMPARED_WORDS], b_words[:MAX_COMPARED_WORDS]
    left: list[tuple[str, str]] = []
    right: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=a_words, b=b_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            left.append(("same", " ".join(a_words[a1:a2])))
            right.append(("same", " ".join(b_words[b1:b2])))
            continue
        if a2 > a1:
            left.append(("cut", " ".join(a_words[a1:a2])))
        if b2 > b1:
            right.append(("added", " ".join(b_words[b1:b2])))
    return Comparison(first=left, copy=right, truncated=truncated)
