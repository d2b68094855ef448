"""Integer arrays handed to PostgreSQL as one literal parameter (`'{1,2,3}'`, cast in the SQL).

Django's client-side binding quotes a Python list element by element, which for thousands of ids
costs seconds an import; arrays of different lengths cannot share one 2-D array either.
"""

from __future__ import annotations

from collections.abc import Iterable


def int_array(values: Iterable[int]) -> str:
    """The literal of an int[]: `{1,2,3}`."""
    return "{" + ",".join(map(str, values)) + "}"
