"""What researchers type (names, notes, titles): trimmed, bounded, and without control characters,
which no page needs and an Atom feed (XML 1.0) cannot carry."""

from __future__ import annotations

import re

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def typed(value: str | None, limit: int) -> str:
    """`value` without control characters (line breaks kept), trimmed to `limit` characters."""
    return CONTROL.sub("", value or "").strip()[:limit]
