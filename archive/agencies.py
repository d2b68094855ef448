"""News agencies, and the credit lines and datelines that name them.

A record's own `agency` is kept as given. Without one, the importer reads the text's credit line:
the dateline (`BAMAKO, July 22 (AFP) -`), the first words (`(Reuters) -`, `By Associated Press`), the
last line (`— Reuters`, `Source : AFP`, `avec AFP`) and the byline. Only these places are read: an
agency named in the middle of a story ("Reuters reported on Monday") is news, not a credit. A copy
that names no agency takes its story's (archive.derived.stories: the earliest copy naming one).

The table (name as the archive writes it: the spellings a credit uses):
"""

from __future__ import annotations

import re

AGENCIES: dict[str, tuple[str, ...]] = {
    "AFP": ("AFP", "Agence France-Presse", "Agence France Presse", "France-Presse"),
    "Reuters": ("Reuters", "Reuter"),
    "AP": ("AP", "Associated Press", "The Associated Press"),
    "Anadolu": ("Anadolu", "Anadolu Agency", "AA"),
    "dpa": ("dpa", "Deutsche Presse-Agentur"),
    "EFE": ("EFE", "Agencia EFE"),
    "ANSA": ("ANSA",),
    "Xinhua": ("Xinhua",),
    "Kyodo": ("Kyodo", "Kyodo News"),
    "TASS": ("TASS", "ITAR-TASS"),
    "APS": ("APS", "Algérie Presse Service"),
    "MAP": ("MAP", "Maghreb Arabe Presse"),
    "PTI": ("PTI", "Press Trust of India"),
    "UPI": ("UPI", "United Press International"),
    "Bloomberg": ("Bloomberg",),
}
__doc__ += "".join(f"\n- {name}: {', '.join(spellings)}" for name, spellings in AGENCIES.items())

_NAME_OF = {spelling.casefold(): name for name, spellings in AGENCIES.items() for spelling in spellings}
# Longest first, so "Agence France-Presse" wins over "France-Presse"; case kept for the short codes
# (AP, AA, MAP) that are ordinary words in lower case.
_SPELLINGS = sorted(_NAME_OF, key=len, reverse=True)
_ANY = "|".join(re.escape(s) for s in _SPELLINGS)
_WORD = rf"(?<![\w-])(?P<agency>{_ANY})(?![\w-])"
CREDITS = [
    re.compile(rf"\(\s*{_WORD}(?:\s*/\s*[^)]{{1,40}})?\s*\)", re.IGNORECASE),  # (AFP) (Reuters/Bamako)
    re.compile(rf"^\s*(?:by|par)\s+(?:the\s+)?{_WORD}\s*$", re.IGNORECASE),  # By Associated Press
    re.compile(rf"^\s*[—–-]+\s*{_WORD}\s*$", re.IGNORECASE),  # — Reuters
    re.compile(rf"^\s*(?:source|sources|avec|with|d['’]après)\s*:?\s*{_WORD}\s*\.?\s*$", re.IGNORECASE),
    re.compile(rf"^\s*{_WORD}\s*[—–-]\s", re.IGNORECASE),  # AFP - BAMAKO ...
    re.compile(rf"^\s*(?:\(c\)|©|copyright)\s*(?:\d{{4}}\s*)?{_WORD}", re.IGNORECASE),  # © 2022 AFP
]
HEAD_CHARS = 200  # the opening words a credit line can be in


def _name(spelling: str) -> str | None:
    name = _NAME_OF.get(spelling.casefold())
    if name is None:
        return None
    # Short codes count only as the agency writes them (AFP, dpa), or in capitals: not "map", "aa".
    if len(spelling) <= 3 and spelling not in AGENCIES[name] and not spelling.isupper():
        return None
    return name


def _credited(text: str) -> str:
    for pattern in CREDITS:
        for match in pattern.finditer(text):
            name = _name(match.group("agency"))
            if name:
                return name
    return ""


def detect(*, body: str = "", summary: str = "", dateline: str = "", byline: str = "") -> str:
    """The agency a credit line names, else ""."""
    text = body or summary
    lines = [line for line in text.strip().splitlines() if line.strip()]
    places = [
        dateline,
        byline,
        text.strip()[:HEAD_CHARS].split("\n", 1)[0],
        lines[-1] if lines else "",
    ]
    for place in places:
        found = _credited(place) if place else ""
        if found:
            return found
    return ""
