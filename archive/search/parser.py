"""The researcher's query language, parsed into terms (no database here; compiler.py compiles them).

Syntax: words (stemmed, accent-insensitive), "a phrase", "two words"~5 (both within 5 words, either
order), OR between alternatives, -word or -"a phrase" to exclude, infla* for a prefix,
headline:word / summary:word / body:word / byline:word / dateline:word to search one part,
exact:word for the unstemmed word (stop words included). Anything else is read as words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

FIELD_WEIGHTS = {"headline": "A", "summary": "B", "body": "C", "byline": "D", "dateline": "D"}
MAX_TERMS = 32
MAX_PROXIMITY = 50

TOKEN = re.compile(
    r"""
    (?P<neg>-)?
    (?:(?P<field>headline|summary|body|byline|dateline|exact):)?
    (?:
        "(?P<phrase>[^"]*)"?(?:~(?P<near>\d+))?      # a phrase; an unbalanced quote runs to the end
      | (?P<word>[^\s"]+)
    )
    """,
    re.VERBOSE | re.IGNORECASE,
)
WORD_CHARS = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")


@dataclass
class Term:
    """One searchable piece of the query."""

    text: str
    kind: str = "word"  # word | phrase | near
    negated: bool = False
    prefix: bool = False
    weight: str = ""  # "" or a weight letter from FIELD_WEIGHTS
    field: str = ""
    exact: bool = False
    distance: int = 0

    def describe(self) -> str:
        """How the term was understood, in the query language itself."""
        if self.kind == "phrase":
            body = f'"{self.text}"'
        elif self.kind == "near":
            body = f'"{self.text}"~{self.distance}'
        else:
            body = self.text + ("*" if self.prefix else "")
        if self.exact:
            body = f"exact:{body}"
        if self.field:
            body = f"{self.field}:{body}"
        return f"NOT {body}" if self.negated else body


@dataclass
class ParsedQuery:
    """Clauses joined by AND; the terms of a clause are alternatives (OR)."""

    clauses: list[list[Term]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def terms(self) -> list[Term]:
        return [term for clause in self.clauses for term in clause]

    def understood(self) -> str:
        parts = []
        for clause in self.clauses:
            text = " OR ".join(term.describe() for term in clause)
            parts.append(f"({text})" if len(clause) > 1 and len(self.clauses) > 1 else text)
        return " AND ".join(parts)


def _term_from(match: re.Match, *, exact_mode: bool) -> Term | None:
    scope = (match.group("field") or "").lower()
    negated = bool(match.group("neg"))
    exact = exact_mode or scope == "exact"
    field_name = scope if scope in FIELD_WEIGHTS else ""
    if match.group("phrase") is not None:
        words = WORD_CHARS.findall(match.group("phrase"))
        if not words:
            return None
        near = match.group("near")
        if near is not None and len(words) == 2 and int(near) >= 1:
            return Term(
                " ".join(words),
                "near",
                negated,
                field=field_name,
                weight=FIELD_WEIGHTS.get(field_name, ""),
                exact=exact,
                distance=min(int(near), MAX_PROXIMITY),
            )
        kind = "phrase" if len(words) > 1 else "word"
        return Term(
            " ".join(words),
            kind,
            negated,
            field=field_name,
            weight=FIELD_WEIGHTS.get(field_name, ""),
            exact=exact,
        )
    raw = match.group("word")
    words = WORD_CHARS.findall(raw)
    if not words:
        return None
    prefix = raw.endswith("*") and len(words) == 1
    kind = "word" if len(words) == 1 else "phrase"
    return Term(" ".join(words), kind, negated, prefix, FIELD_WEIGHTS.get(field_name, ""), field_name, exact)


def parse(text: str, *, exact_mode: bool = False) -> ParsedQuery:
    """Split the query into AND-ed clauses of OR-ed terms; never fails, whatever the input."""
    parsed, pending_or = ParsedQuery(), False
    for match in TOKEN.finditer(text):
        if match.group("word") == "OR" and not match.group("neg") and not match.group("field"):
            pending_or = bool(parsed.clauses)
            continue
        term = _term_from(match, exact_mode=exact_mode)
        if term is None:
            if match.group(0).strip() not in ("", "-"):
                ignored = repr(match.group(0).strip()[:30])
                parsed.notes.append(_("ignored %(text)s: no words in it") % {"text": ignored})
            continue
        if len(parsed.terms()) >= MAX_TERMS:
            parsed.notes.append(
                ngettext(
                    "only the first %(count)s term is used",
                    "only the first %(count)s terms are used",
                    MAX_TERMS,
                )
                % {"count": MAX_TERMS}
            )
            break
        if pending_or and not term.negated and not any(t.negated for t in parsed.clauses[-1]):
            parsed.clauses[-1].append(term)
        else:
            parsed.clauses.append([term])
        pending_or = False
    if text.split() and text.split()[-1] == "OR" and parsed.clauses:
        parsed.notes.append(_("a trailing OR was ignored"))
    return parsed
